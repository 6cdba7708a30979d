"""A photo drawn in the terminal with half-block characters: two pixels per cell, top in the
foreground colour of «▀» and bottom in its background, so any terminal with colour shows it."""

from __future__ import annotations

from PIL import Image
from rich.color import Color
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import Static

__all__ = ["HalfBlockImage", "PhotoPreview", "half_block_lines"]

UPPER_HALF = "▀"


def half_block_lines(image: Image.Image) -> list[list[Segment]]:
    """Return the rows of cells that draw an RGB image, two pixel rows per cell row."""
    rgb = image if image.mode == "RGB" else image.convert("RGB")
    width, height = rgb.size
    raw = rgb.tobytes()

    def pixel(x: int, y: int) -> Color:
        at = (y * width + x) * 3
        return Color.from_rgb(raw[at], raw[at + 1], raw[at + 2])

    lines: list[list[Segment]] = []
    for top in range(0, height, 2):
        segments = [
            Segment(
                UPPER_HALF,
                Style(color=pixel(x, top), bgcolor=pixel(x, top + 1) if top + 1 < height else None),
            )
            for x in range(width)
        ]
        lines.append(list(Segment.simplify(segments)))
    return lines


class HalfBlockImage(Widget):
    """Draws a small RGB image; `set_image(None)` clears it."""

    DEFAULT_CSS = """
    HalfBlockImage {
        width: auto;
        height: auto;
    }
    """

    def __init__(self, *, name: str | None = None, id: str | None = None) -> None:
        super().__init__(name=name, id=id)
        self._lines: list[list[Segment]] = []
        self._width = 0

    def set_image(self, image: Image.Image | None) -> None:
        """Show `image` (already shrunk to fit) or nothing."""
        if image is None:
            self._lines, self._width = [], 0
        else:
            self._lines, self._width = half_block_lines(image), image.width
        self.refresh(layout=True)

    @property
    def has_image(self) -> bool:
        """Whether a picture is shown."""
        return bool(self._lines)

    def get_content_width(self, container: object, viewport: object) -> int:
        """The picture's width in cells."""
        return self._width

    def get_content_height(self, container: object, viewport: object, width: int) -> int:
        """The picture's height in cells (half its pixel height)."""
        return len(self._lines)

    def render_line(self, y: int) -> Strip:
        """One row of half-block cells."""
        if 0 <= y < len(self._lines):
            return Strip(self._lines[y], self._width)
        return Strip.blank(self.size.width)


class PhotoPreview(Vertical):
    """A titled preview box: the picture, or a plain-text line saying why there is none."""

    DEFAULT_CSS = """
    PhotoPreview {
        height: auto;
        width: auto;
        min-width: 20;
    }
    PhotoPreview > .preview-caption {
        width: auto;
        color: $text-muted;
    }
    """

    def compose(self) -> ComposeResult:
        yield HalfBlockImage(id="preview-image")
        yield Static("", classes="preview-caption", id="preview-caption", markup=False)

    def show(self, image: Image.Image | None, caption: str = "") -> None:
        """Show a picture with a caption under it (the caption is literal text)."""
        self.query_one(HalfBlockImage).set_image(image)
        self.query_one("#preview-caption", Static).update(Text(caption))
