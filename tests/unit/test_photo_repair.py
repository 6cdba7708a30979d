"""A defect outside the pixel data does not cost a photo (issue 12, row 8): a JPEG without its
end marker and a PNG with oversized text or ICC chunks are attached like the sound file, while
a file whose pixels are really cut off is still refused."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFile, PngImagePlugin

from privet_tui import photo_repair
from privet_tui.photos import PhotoError, PreparedPhoto, make_preview, prepare

PHOTOS = Path(__file__).resolve().parents[2].parent / "shared" / "testdata" / "photos"
JOLLA = PHOTOS / "mobile" / "jolla.jpg"
needs_jolla = pytest.mark.skipif(not JOLLA.is_file(), reason=f"{JOLLA} is absent")
CUT = "Файл повреждён или обрезан"
#: Bigger than PngImagePlugin.MAX_TEXT_CHUNK (1 MB) once decompressed.
OVERSIZED = 2 * 1024 * 1024


def _picture(size: tuple[int, int] = (640, 480)) -> Image.Image:
    """A picture with detail everywhere, so every scan byte carries pixels."""
    width, height = size
    image = Image.merge(
        "RGB",
        (
            Image.linear_gradient("L").resize(size),
            Image.effect_noise(size, 50).convert("L"),
            Image.linear_gradient("L").rotate(90).resize(size),
        ),
    )
    ImageDraw.Draw(image).rectangle((width // 8, height // 8, width // 3, height // 2), "red")
    return image


def _jpeg(image: Image.Image, **params: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=90, **params)
    data = buffer.getvalue()
    assert data.endswith(b"\xff\xd9")
    return data


def _prepared(tmp_path: Path, name: str, data: bytes) -> PreparedPhoto:
    path = tmp_path / name
    path.write_bytes(data)
    return prepare(path)


def _refused(tmp_path: Path, name: str, data: bytes) -> str:
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(PhotoError) as info:
        prepare(path)
    return info.value.message


# --- JPEG without its end marker ------------------------------------------------------------


@needs_jolla
def test_jolla_without_its_end_marker_is_attached_like_the_whole_file(tmp_path: Path) -> None:
    """Issue 12, row 8: the last two bytes (EOI) missing, the pixels complete."""
    data = JOLLA.read_bytes()
    whole = prepare(JOLLA)
    short = _prepared(tmp_path, "jolla.jpg", data[:-2])
    assert (short.width, short.height) == (whole.width, whole.height) == (1200, 900)
    assert short.sha256 == whole.sha256  # the same upright picture, byte for byte


@needs_jolla
def test_jolla_missing_only_the_last_byte_is_attached(tmp_path: Path) -> None:
    short = _prepared(tmp_path, "jolla.jpg", JOLLA.read_bytes()[:-1])
    assert short.sha256 == prepare(JOLLA).sha256


@needs_jolla
@pytest.mark.parametrize("keep", [0.5, 0.9])
def test_jolla_cut_in_its_scan_data_is_refused(tmp_path: Path, keep: float) -> None:
    data = JOLLA.read_bytes()
    assert CUT in _refused(tmp_path, "jolla.jpg", data[: int(len(data) * keep)])


@needs_jolla
def test_jolla_cut_a_few_bytes_before_the_end_is_refused(tmp_path: Path) -> None:
    assert CUT in _refused(tmp_path, "jolla.jpg", JOLLA.read_bytes()[:-40])


@pytest.mark.parametrize("progressive", [False, True])
def test_generated_jpeg_without_end_marker_gives_the_same_photo(
    tmp_path: Path, progressive: bool
) -> None:
    data = _jpeg(_picture(), progressive=progressive)
    whole = _prepared(tmp_path, "whole.jpg", data)
    short = _prepared(tmp_path, "short.jpg", data[:-2])
    assert short.sha256 == whole.sha256


@pytest.mark.parametrize("progressive", [False, True])
def test_every_cut_into_the_last_scan_bytes_is_refused(tmp_path: Path, progressive: bool) -> None:
    """Losing even the last byte of scan data (3..40 bytes off the end) is a cut-off picture."""
    data = _jpeg(_picture((160, 120)), progressive=progressive)
    for lost in range(3, 41):
        assert CUT in _refused(tmp_path, f"cut{lost}.jpg", data[:-lost]), lost


def test_restart_markers_do_not_hide_a_cut(tmp_path: Path) -> None:
    data = _jpeg(_picture(), restart_marker_blocks=4)
    assert _prepared(tmp_path, "short.jpg", data[:-2]).width == 640
    assert CUT in _refused(tmp_path, "cut.jpg", data[: len(data) * 3 // 4])


def test_orientation_is_applied_to_a_mended_jpeg(tmp_path: Path) -> None:
    exif = Image.Exif()
    exif[0x0112] = 6  # turned 90° clockwise
    data = _jpeg(_picture(), exif=exif)
    whole = _prepared(tmp_path, "whole.jpg", data)
    short = _prepared(tmp_path, "short.jpg", data[:-2])
    assert (short.width, short.height) == (whole.width, whole.height) == (480, 640)
    assert short.sha256 == whole.sha256


def test_preview_of_a_jpeg_without_end_marker(tmp_path: Path) -> None:
    data = _jpeg(_picture())
    assert make_preview(data[:-2]).tobytes() == make_preview(data).tobytes()


def test_pillow_global_truncation_flag_is_left_alone(tmp_path: Path) -> None:
    data = _jpeg(_picture())
    _prepared(tmp_path, "short.jpg", data[:-2])
    _refused(tmp_path, "cut.jpg", data[: len(data) // 2])
    assert ImageFile.LOAD_TRUNCATED_IMAGES is False
    with Image.open(io.BytesIO(data[:-2])) as image, pytest.raises(OSError, match="truncated"):
        image.load()  # Pillow itself still refuses; only our judged retry accepts


# --- PNG with oversized metadata ------------------------------------------------------------


def _png(image: Image.Image, **params: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", **params)
    return buffer.getvalue()


def _oversized_text() -> PngImagePlugin.PngInfo:
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "x" * OVERSIZED, zip=True)
    return info


def _oversized_itxt() -> PngImagePlugin.PngInfo:
    info = PngImagePlugin.PngInfo()
    info.add_itxt("Comment", "x" * OVERSIZED, zip=True)
    return info


@pytest.mark.parametrize(
    ("kind", "params"),
    [
        ("zTXt", lambda: {"pnginfo": _oversized_text()}),
        ("iTXt", lambda: {"pnginfo": _oversized_itxt()}),
        ("iCCP", lambda: {"icc_profile": b"\0" * OVERSIZED}),
    ],
)
def test_png_with_oversized_metadata_is_attached_like_the_plain_one(
    tmp_path: Path, kind: str, params: Callable[[], dict[str, object]]
) -> None:
    picture = _picture()
    data = _png(picture, **params())
    assert kind.encode() in data
    plain = _prepared(tmp_path, "plain.png", _png(picture))
    assert _prepared(tmp_path, "meta.png", data).sha256 == plain.sha256


def test_png_with_oversized_text_and_cut_pixels_is_refused(tmp_path: Path) -> None:
    data = _png(_picture(), pnginfo=_oversized_text())
    idat = data.index(b"IDAT")
    message = _refused(tmp_path, "cut.png", data[: idat + (len(data) - idat) // 2])
    assert "повреждён" in message


# --- the byte-level helpers -----------------------------------------------------------------


def test_jpeg_continuations_only_for_a_jpeg_without_end_marker() -> None:
    data = _jpeg(_picture((64, 48)))
    assert photo_repair.jpeg_continuations(data) is None
    assert photo_repair.jpeg_continuations(b"\x89PNG\r\n\x1a\n") is None
    endings = photo_repair.jpeg_continuations(data[:-1])
    assert endings is not None
    assert endings[0] == data  # a lone trailing 0xFF is the first half of the lost marker
    assert len(set(endings)) == 3


def test_png_pixel_chunks_keeps_only_pixel_chunks() -> None:
    picture = _picture((64, 48))
    plain = _png(picture)
    assert photo_repair.png_pixel_chunks(plain) is None  # nothing to drop
    with_text = _png(picture, pnginfo=_oversized_text())
    assert photo_repair.png_pixel_chunks(with_text) == plain
    assert photo_repair.png_pixel_chunks(b"\xff\xd8\xff") is None
