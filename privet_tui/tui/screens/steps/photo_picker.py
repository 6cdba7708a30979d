"""The photo picker of step 3: a directory tree of the inbox folder filtered to images
(space marks, Enter attaches), pasted paths (several files, a folder), per-file progress and
a preview."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from PIL import Image
from rich.style import Style
from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import DirectoryTree, Input, Label, ProgressBar, Static
from textual.widgets.tree import TreeNode

from privet_tui.pdf.words import plural
from privet_tui.photos import MIB, PhotoError, make_preview
from privet_tui.tui import texts_steps as t
from privet_tui.tui.photo_paths import expand_folders, is_image_name, one_line, pasted_paths
from privet_tui.tui.screens.base import PrivetModal
from privet_tui.tui.widgets.footer import PrivetFooter
from privet_tui.tui.widgets.photo_preview import PhotoPreview

if TYPE_CHECKING:
    from textual.widgets._directory_tree import DirEntry

    from privet_tui.services.actor import Actor
    from privet_tui.services.gateway import Gateway
    from privet_tui.services.steps.device_photos import PhotoOutcome

__all__ = ["ImageTree", "PathInput", "PhotoPickerModal"]

#: Files larger than this are not read for the preview (prepare() refuses them anyway).
PREVIEW_MAX_BYTES = 40 * MIB
PREVIEW_SIZE = (32, 28)  # pixels: 32 cells wide, 14 cells tall


class ImageTree(DirectoryTree):
    """A directory tree of folders and image files, with marks on files (space)."""

    ICON_NODE = "+ "
    ICON_NODE_EXPANDED = "- "
    ICON_FILE = ""
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "space",
            "mark",
            t.PICKER_MARK,
            id="picker.mark",
            tooltip=t.PICKER_MARK_TIP,
            key_display="Space",
        ),
    ]

    def __init__(self, path: Path, *, id: str | None = None) -> None:
        super().__init__(path, id=id)
        self.marks: dict[Path, TreeNode[DirEntry]] = {}
        self.show_guides = False  # box-drawing guides are width-ambiguous in some terminals

    def filter_paths(self, paths: Iterable[Path]) -> Iterable[Path]:
        """Folders and files whose name looks like a photo; hidden ones left out."""
        return [
            path
            for path in paths
            if not path.name.startswith(".") and (self._safe_is_dir(path) or is_image_name(path))
        ]

    def render_label(self, node: TreeNode[DirEntry], base_style: Style, style: Style) -> Text:
        """Files get a `[x]`/`[ ]` mark in front, so marking is not shown by colour alone."""
        label = super().render_label(node, base_style, style)
        if node.data is None or node.allow_expand:
            return label
        mark = "[x] " if node.data.path in self.marks else "[ ] "
        return Text.assemble(mark, label)

    def action_mark(self) -> None:
        """Mark or unmark the file under the cursor; on a folder, open or close it."""
        node = self.cursor_node
        if node is None or node.data is None:
            return
        if node.allow_expand:
            node.toggle()
            return
        path = node.data.path
        if self.marks.pop(path, None) is None:
            self.marks[path] = node
        node.refresh()
        self.post_message(PhotoPickerModal.MarksChanged(len(self.marks)))

    @property
    def marked(self) -> list[Path]:
        """The marked files, in the order they were marked."""
        return list(self.marks)

    def clear_marks(self) -> None:
        """Unmark everything (after a batch)."""
        nodes = list(self.marks.values())
        self.marks.clear()
        for node in nodes:
            node.refresh()


class PathInput(Input):
    """The path field: a paste of several lines (a file manager's list of files) is kept
    whole, as one line of quoted paths, where a plain Input keeps only the first line."""

    def _on_paste(self, event: events.Paste) -> None:
        if len(event.text.strip().splitlines()) <= 1:
            return  # one line: Input's own handling
        event.prevent_default()
        event.stop()
        self.insert_text_at_cursor(one_line(event.text))


class PhotoPickerModal(PrivetModal[int]):
    """Pick photos for one device; closes with how many were attached."""

    CSS_PATH = "steps.tcss"
    DEFAULT_CSS = """
    PhotoPickerModal { background: $background; }
    PhotoPickerModal #picker-title { width: 100%; background: $primary; text-style: bold;
        padding: 0 1; }
    PhotoPickerModal #picker-main { height: 1fr; }
    PhotoPickerModal #picker-tree { width: 1fr; height: 1fr; }
    PhotoPickerModal #picker-side { width: 34; height: 1fr; padding-left: 1; }
    PhotoPickerModal #picker-path { margin: 0 1; }
    PhotoPickerModal #picker-status { height: 1; padding: 0 1; }
    PhotoPickerModal #picker-progress { height: 1; padding: 0 1; }
    PhotoPickerModal #picker-results { height: 4; padding: 0 1; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "ctrl+s",
            "attach",
            t.PICKER_ATTACH,
            id="picker.attach",
            tooltip=t.PICKER_ATTACH_TIP,
            key_display="^s",
        ),
        Binding(
            "ctrl+o",
            "focus_path",
            t.PICKER_PATH,
            id="picker.path",
            tooltip=t.PICKER_PATH_TIP,
            key_display="^o",
        ),
        Binding(
            "escape",
            "close",
            t.PICKER_CLOSE,
            id="picker.close",
            tooltip=t.BACK_TIP,
            key_display="Esc",
        ),
    ]
    COMPACT_FOOTER: ClassVar[frozenset[str]] = frozenset({"mark", "attach", "close"})

    class MarksChanged(Message):
        """The set of marked files changed."""

        def __init__(self, count: int) -> None:
            super().__init__()
            self.count = count

    class Progress(Message):
        """One file of the batch is done (stored or refused)."""

        def __init__(self, done: int, total: int, outcome: PhotoOutcome) -> None:
            super().__init__()
            self.done = done
            self.total = total
            self.outcome = outcome

    class Finished(Message):
        """The batch is over."""

        def __init__(self, outcomes: list[PhotoOutcome]) -> None:
            super().__init__()
            self.outcomes = outcomes

    class Previewed(Message):
        """A preview picture (or the reason there is none) for `path`."""

        def __init__(self, path: Path, image: Image.Image | None, caption: str) -> None:
            super().__init__()
            self.path = path
            self.image = image
            self.caption = caption

    def __init__(
        self, gateway: Gateway, actor: Actor, client_id: int, device_id: int, device_label: str
    ) -> None:
        super().__init__()
        self.gateway = gateway
        self.actor = actor
        self.client_id = client_id
        self.device_id = device_id
        self.device_label = device_label
        self.inbox = gateway.settings.photo_inbox.expanduser()
        self.attached = 0
        self.busy = False
        self.lines: list[Text] = []

    def compose(self) -> ComposeResult:
        yield Label(Text(t.PICKER_TITLE.format(device=self.device_label)), id="picker-title")
        with Horizontal(id="picker-main"):
            if self.inbox.is_dir():
                yield ImageTree(self.inbox, id="picker-tree")
            else:
                yield Static(
                    Text(t.PICKER_NO_INBOX.format(path=self.inbox)), id="picker-tree", markup=False
                )
            with Vertical(id="picker-side"):
                yield PhotoPreview(id="picker-preview")
        yield PathInput(placeholder=t.PICKER_PATH_PLACEHOLDER, id="picker-path", compact=True)
        yield Static(Text(t.PICKER_NOTHING), id="picker-status", markup=False)
        yield ProgressBar(id="picker-progress", show_eta=False)
        with VerticalScroll(id="picker-results"):
            yield Static("", id="picker-lines", markup=False)
        yield PrivetFooter()

    def on_mount(self) -> None:
        self.query_one(PhotoPreview).show(None, t.PICKER_PREVIEW_NONE)
        self.query_one("#picker-progress").display = False
        trees = self.query(ImageTree)
        (trees.first() if trees else self.query_one("#picker-path", Input)).focus()

    # --- marking and preview ----------------------------------------------------------

    @on(MarksChanged)
    def _marks_changed(self, message: MarksChanged) -> None:
        text = t.PICKER_MARKED.format(count=message.count) if message.count else t.PICKER_NOTHING
        self._status(text)

    def _status(self, text: str) -> None:
        self.query_one("#picker-status", Static).update(Text(text))

    @on(DirectoryTree.NodeHighlighted)
    def _highlighted(self, event: DirectoryTree.NodeHighlighted[DirEntry]) -> None:
        data = event.node.data
        if data is None or event.node.allow_expand:
            return
        self.query_one(PhotoPreview).show(None, t.PICKER_PREVIEW_BUSY)
        self.preview(data.path)

    @work(thread=True, exclusive=True, exit_on_error=False, group="picker-preview")
    def preview(self, path: Path) -> None:
        """Shrink the file for the terminal (content decides whether it is a photo)."""
        try:
            if path.stat().st_size > PREVIEW_MAX_BYTES:
                raise PhotoError(t.PICKER_PREVIEW_TOO_BIG.format(mb=PREVIEW_MAX_BYTES // MIB))
            width, height = PREVIEW_SIZE
            data = path.read_bytes()
            image = make_preview(data, max_width=width, max_height=height)
            caption = t.PICKER_PREVIEW_CAPTION.format(name=path.name, kb=-(-len(data) // 1024))
            self.post_message(self.Previewed(path, image, caption))
        except PhotoError as exc:
            self.post_message(self.Previewed(path, None, f"{path.name}: {exc.message}"))
        except OSError as exc:
            self.post_message(self.Previewed(path, None, f"{path.name}: {exc.strerror or exc}"))

    @on(Previewed)
    def _previewed(self, message: Previewed) -> None:
        self.query_one(PhotoPreview).show(message.image, message.caption)

    # --- attaching --------------------------------------------------------------------

    @on(DirectoryTree.FileSelected)
    def _file_selected(self, event: DirectoryTree.FileSelected) -> None:
        event.stop()
        tree = self.query_one(ImageTree)
        self.start_upload(tree.marked or [event.path])

    @on(Input.Submitted, "#picker-path")
    def _path_submitted(self, event: Input.Submitted) -> None:
        paths = pasted_paths(event.value)
        if paths:
            self.start_upload(paths)

    def action_attach(self) -> None:
        """Attach the marked files, else the file under the cursor, else the pasted path."""
        trees = self.query(ImageTree)
        paths: list[Path] = trees.first().marked if trees else []
        if not paths and trees:
            node = trees.first().cursor_node
            if node is not None and node.data is not None and not node.allow_expand:
                paths = [node.data.path]
        if not paths:
            paths = pasted_paths(self.query_one("#picker-path", Input).value)
        if paths:
            self.start_upload(paths)
        else:
            self._status(t.PICKER_NOTHING)

    def on_paste(self, event: events.Paste) -> None:
        """Paths pasted while the tree has the focus go to the path field."""
        event.stop()
        field = self.query_one("#picker-path", PathInput)
        field.focus()
        field.insert_text_at_cursor(one_line(event.text))

    def action_focus_path(self) -> None:
        """Jump to the path field."""
        self.query_one("#picker-path", Input).focus()

    def start_upload(self, given: list[Path]) -> None:
        """Attach the files; a folder among them gives its images (a line says how many)."""
        if self.busy:
            self._status(t.PICKER_BUSY)
            return
        picked = expand_folders(given)
        for folder, count in picked.folders:
            name = f"«{folder.name or folder}»"
            if count is None:
                self._line(t.ERROR_MARK, t.PICKER_FOLDER_UNREADABLE.format(name=name))
            elif count == 0:
                self._line(t.ERROR_MARK, t.PICKER_FOLDER_EMPTY.format(name=name))
            else:
                photos = plural(count, *t.PICKER_PHOTO_FORMS)
                self._line(t.OK_MARK, t.PICKER_FOLDER.format(name=name, count=count, photos=photos))
        paths = picked.files
        if not paths:
            self._status(t.PICKER_NOTHING)
            return
        self.busy = True
        bar = self.query_one(ProgressBar)
        bar.display = True
        bar.update(total=len(paths), progress=0)
        self._status(t.PICKER_WORKING.format(done=0, total=len(paths)))
        self.upload(paths)

    @work(thread=True, exclusive=True, exit_on_error=False, group="picker-upload")
    def upload(self, paths: list[Path]) -> None:
        """Prepare, upload and record each file; progress is posted per file."""

        def progress(done: int, total: int, outcome: PhotoOutcome) -> None:
            self.post_message(self.Progress(done, total, outcome))

        outcomes = self.gateway.attach_photos(
            self.actor, self.client_id, self.device_id, paths, progress
        )
        self.post_message(self.Finished(outcomes))

    @on(Progress)
    def _progress(self, message: Progress) -> None:
        outcome = message.outcome
        self.query_one(ProgressBar).update(total=message.total, progress=message.done)
        self._status(t.PICKER_WORKING.format(done=message.done, total=message.total))
        name = outcome.path.name
        if outcome.photo is not None:
            self.attached += 1
            line = t.PICKER_OK.format(
                name=name, width=outcome.photo.width, height=outcome.photo.height
            )
            self._line(t.OK_MARK, line)
        else:
            self._line(t.ERROR_MARK, t.PICKER_FAILED.format(name=name, error=outcome.error))

    def _line(self, mark: str, text: str) -> None:
        """Add one outcome line under the progress bar (literal text) and show it."""
        self.lines.append(Text(f"{mark} {text}"))
        self.query_one("#picker-lines", Static).update(Text("\n").join(self.lines))
        self.query_one("#picker-results", VerticalScroll).scroll_end(animate=False)

    @on(Finished)
    def _finished(self, message: Finished) -> None:
        self.busy = False
        ok = sum(1 for outcome in message.outcomes if outcome.ok)
        self._status(t.PICKER_DONE.format(ok=ok, total=len(message.outcomes)))
        for tree in self.query(ImageTree):
            tree.clear_marks()

    def worker_failed(self, worker: object) -> None:
        """A failed batch (storage down, ...) frees the picker for another try."""
        self.busy = False

    def action_close(self) -> None:
        """Back to the device list with the count of attached photos."""
        self.dismiss(self.attached)
