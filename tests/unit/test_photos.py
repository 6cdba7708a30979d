"""The photo pipeline against real camera files and generated edge cases: upright, small, clean."""

from __future__ import annotations

import hashlib
import io
import os
import struct
import time
import zlib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image, ImageChops, ImageCms, ImageDraw

from privet_tui.errors import ValidationError
from privet_tui.photos import PhotoError, PreparedPhoto, make_preview, prepare, prepare_many

PHOTOS = Path(__file__).resolve().parents[2].parent / "shared" / "testdata" / "photos"
needs_photos = pytest.mark.skipif(not PHOTOS.is_dir(), reason=f"{PHOTOS} is absent")


def _real_files() -> list[Path]:
    """Every image in the shared folder (an empty list skips the parametrised tests)."""
    if not PHOTOS.is_dir():
        return []
    return sorted(p for p in PHOTOS.rglob("*") if p.is_file() and p.suffix.lower() != ".md")


def _rgb(image: Image.Image, xy: tuple[int, int]) -> tuple[int, int, int]:
    """One pixel of an RGB image as a plain tuple."""
    pixel = image.getpixel(xy)
    assert isinstance(pixel, tuple)
    red, green, blue = (int(v) for v in pixel[:3])
    return red, green, blue


def _outcome(path: Path) -> PreparedPhoto | PhotoError:
    """prepare() with PhotoError as a value, for files that may legitimately be refused."""
    try:
        return prepare(path)
    except PhotoError as exc:
        return exc


def _decode(photo: PreparedPhoto) -> Image.Image:
    image = Image.open(io.BytesIO(photo.data))
    image.load()
    return image


def _jpeg_segments(data: bytes) -> list[int]:
    """Marker codes of the JPEG segments before the first scan (APPn, COM, DQT, …)."""
    assert data[:2] == b"\xff\xd8"
    markers: list[int] = []
    pos = 2
    while pos < len(data):
        assert data[pos] == 0xFF
        marker = data[pos + 1]
        markers.append(marker)
        if marker == 0xDA:  # start of scan: entropy-coded data follows
            break
        (length,) = struct.unpack(">H", data[pos + 2 : pos + 4])
        pos += 2 + length
    return markers


def assert_clean_jpeg(photo: PreparedPhoto) -> Image.Image:
    """The output is an RGB progressive JPEG with no metadata segment but JFIF, and consistent."""
    image = _decode(photo)
    assert image.format == "JPEG"
    assert image.mode == "RGB"
    assert image.size == (photo.width, photo.height)
    assert photo.content_type == "image/jpeg"
    assert photo.size == len(photo.data)
    assert photo.sha256 == hashlib.sha256(photo.data).hexdigest()
    assert image.info.get("progressive") or image.info.get("progression")
    assert not image.getexif()
    for key in ("exif", "icc_profile", "xmp", "comment", "XML:com.adobe.xmp"):
        assert key not in image.info
    markers = _jpeg_segments(photo.data)
    app_or_comment = [m for m in markers if 0xE0 <= m <= 0xEF or m == 0xFE]
    assert app_or_comment == [0xE0], [hex(m) for m in markers]  # JFIF APP0 only
    assert 0xC2 in markers  # SOF2: progressive DCT
    assert b"GPS" not in photo.data[:4096]
    return image


def _small_grey(image: Image.Image) -> Image.Image:
    return image.convert("L").resize((40, 30) if image.width > image.height else (30, 40))


def _difference(a: Image.Image, b: Image.Image) -> float:
    """Mean absolute difference of two equally sized grey images (0…255)."""
    histogram = ImageChops.difference(a, b).histogram()
    return sum(i * n for i, n in enumerate(histogram)) / (a.width * a.height)


def _write(path: Path, image: Image.Image, fmt: str, **params: object) -> Path:
    image.save(path, format=fmt, **params)
    return path


def _noise_photo(size: tuple[int, int] = (800, 600)) -> Image.Image:
    """Something photo-like: gradients, shapes and noise, so JPEG sizes and scans are realistic."""
    width, height = size
    base = Image.merge(
        "RGB",
        (
            Image.linear_gradient("L").resize(size),
            Image.linear_gradient("L").rotate(90).resize(size),
            Image.effect_noise(size, 40).convert("L"),
        ),
    )
    draw = ImageDraw.Draw(base)
    draw.rectangle((width // 10, height // 10, width // 3, height // 2), fill=(200, 30, 30))
    draw.ellipse((width // 2, height // 3, width - 10, height - 10), fill=(20, 90, 200))
    return base


@pytest.fixture(scope="module")
def jpeg_bytes() -> bytes:
    buffer = io.BytesIO()
    _noise_photo().save(buffer, format="JPEG", quality=90)
    return buffer.getvalue()


# --- real files -------------------------------------------------------------------------------


@needs_photos
@pytest.mark.timeout(60)
@pytest.mark.parametrize("path", _real_files(), ids=lambda p: str(p.relative_to(PHOTOS)))
def test_real_file_becomes_clean_jpeg_or_clear_error(path: Path) -> None:
    photo = _outcome(path)
    if isinstance(photo, PhotoError):
        assert path.parent.name == "broken", f"{path.name} refused: {photo}"
        assert photo.message
        return
    image = assert_clean_jpeg(photo)
    with Image.open(path) as original:
        long_side = max(original.size)
    assert max(image.size) == min(1200, long_side)


@needs_photos
@pytest.mark.parametrize(
    "name",
    [f"{shape}_{n}.jpg" for shape in ("landscape", "portrait") for n in (1, 3, 6, 8)],
)
def test_orientation_ends_upright(name: str) -> None:
    image = assert_clean_jpeg(prepare(PHOTOS / "orientation" / name))
    if name.startswith("landscape"):
        assert image.width > image.height
    else:
        assert image.height > image.width
    reference = _small_grey(
        _decode(prepare(PHOTOS / "orientation" / f"{name.split('_')[0]}_1.jpg"))
    )
    candidate = _small_grey(image)
    upright = _difference(candidate, reference)
    # The same picture (only the digit differs) is close; a turned or mirrored one is far.
    assert upright < 20
    assert upright < _difference(candidate, reference.transpose(Image.Transpose.ROTATE_180)) / 2
    assert upright < _difference(candidate, reference.transpose(Image.Transpose.FLIP_LEFT_RIGHT))


@needs_photos
@pytest.mark.parametrize(
    "name", ["gps/DSCN0010.jpg", "Canon_40D.jpg", "mobile/HMD_Nokia_8.3_5G.jpg"]
)
def test_gps_is_gone(name: str) -> None:
    with Image.open(PHOTOS / name) as original:
        assert original.getexif().get_ifd(0x8825), "precondition: the source has GPS"
    assert_clean_jpeg(prepare(PHOTOS / name))


@needs_photos
def test_mobile_photos_are_long_side_1200_same_aspect() -> None:
    for path in sorted((PHOTOS / "mobile").glob("*.jpg")):
        with Image.open(path) as original:
            ratio = original.width / original.height
        photo = prepare(path)
        assert max(photo.width, photo.height) == 1200
        assert photo.width / photo.height == pytest.approx(ratio, rel=0.01)


@needs_photos
def test_small_camera_photo_not_upscaled() -> None:
    photo = prepare(PHOTOS / "Canon_40D.jpg")
    assert (photo.width, photo.height) == (100, 68)


@needs_photos
def test_heic_opens() -> None:
    image = assert_clean_jpeg(prepare(PHOTOS / "heic" / "IMG_5195.HEIC"))
    assert max(image.size) == 1200
    assert image.height > image.width  # the iPhone shot is portrait


@needs_photos
def test_tiff_rgba_becomes_rgb_with_same_picture() -> None:
    source = PHOTOS / "tiff" / "BSG1.tiff"
    image = assert_clean_jpeg(prepare(source))
    with Image.open(source) as original:
        assert original.mode == "RGBA"
        flat = Image.new("RGB", original.size, "white")
        flat.paste(original, mask=original.getchannel("A"))
    assert image.size == flat.size
    assert _difference(_small_grey(image), _small_grey(flat)) < 8


@needs_photos
@pytest.mark.timeout(30)
@pytest.mark.parametrize("name", ["corrupted.jpg", "image01088.jpg"])
def test_broken_files_give_error_or_usable_image(name: str) -> None:
    photo = _outcome(PHOTOS / "broken" / name)
    if isinstance(photo, PhotoError):
        assert isinstance(photo, ValidationError)
        assert photo.message
        return
    image = assert_clean_jpeg(photo)
    assert min(image.size) > 0


# --- generated edge cases ---------------------------------------------------------------------


def test_cmyk_jpeg_becomes_rgb(tmp_path: Path) -> None:
    cmyk = Image.new("CMYK", (800, 600), (0, 255, 255, 0))  # pure red ink mix
    photo = prepare(_write(tmp_path / "cmyk.jpg", cmyk, "JPEG", quality=95))
    image = assert_clean_jpeg(photo)
    red, green, blue = _rgb(image, (400, 300))
    assert red > 200
    assert green < 60
    assert blue < 60


def test_16_bit_grey_png_keeps_its_tones(tmp_path: Path) -> None:
    width, height = 300, 100
    row = b"".join(struct.pack("<H", v) for v in [0] * 100 + [32896] * 100 + [65535] * 100)
    grey16 = Image.frombytes("I;16", (width, height), row * height)
    path = _write(tmp_path / "grey16.png", grey16, "PNG")
    with Image.open(path) as check:
        assert check.mode.startswith("I"), "precondition: a 16-bit image"
    image = assert_clean_jpeg(prepare(path))
    left, middle, right = (_rgb(image, (x, 50)) for x in (50, 150, 250))
    assert left[0] < 10
    assert 118 < middle[0] < 138
    assert right[0] > 245


def test_palette_png_transparency_goes_white(tmp_path: Path) -> None:
    palette_image = Image.new("P", (200, 100), 0)
    palette_image.putpalette([0, 0, 0, 0, 128, 0] + [0] * 762)
    ImageDraw.Draw(palette_image).rectangle((100, 0, 199, 99), fill=1)
    path = _write(tmp_path / "palette.png", palette_image, "PNG", transparency=0)
    image = assert_clean_jpeg(prepare(path))
    assert min(_rgb(image, (20, 50))) > 245
    red, green, _blue = _rgb(image, (180, 50))
    assert green > 100
    assert red < 40


def test_la_alpha_goes_white(tmp_path: Path) -> None:
    la = Image.new("LA", (200, 100), (50, 255))
    ImageDraw.Draw(la).rectangle((0, 0, 99, 99), fill=(50, 0))
    image = assert_clean_jpeg(prepare(_write(tmp_path / "la.png", la, "PNG")))
    assert min(_rgb(image, (20, 50))) > 245
    assert max(_rgb(image, (180, 50))) < 60


def test_rgba_tiff_alpha_goes_white(tmp_path: Path) -> None:
    rgba = Image.new("RGBA", (200, 100), (0, 0, 255, 255))
    ImageDraw.Draw(rgba).rectangle((0, 0, 99, 99), fill=(0, 0, 0, 0))
    image = assert_clean_jpeg(prepare(_write(tmp_path / "rgba.tiff", rgba, "TIFF")))
    assert min(_rgb(image, (20, 50))) > 245
    assert _rgb(image, (180, 50))[2] > 200


def test_animated_gif_gives_first_frame(tmp_path: Path) -> None:
    frames = [Image.new("RGB", (120, 80), colour) for colour in ("red", "lime", "blue")]
    path = tmp_path / "anim.gif"
    frames[0].save(path, save_all=True, append_images=frames[1:], duration=100, loop=0)
    image = assert_clean_jpeg(prepare(path))
    red, green, blue = _rgb(image, (60, 40))
    assert red > 200
    assert green < 60
    assert blue < 60


@pytest.mark.parametrize(
    ("fmt", "suffix"), [("WEBP", "webp"), ("BMP", "bmp"), ("PNG", "png"), ("TIFF", "tif")]
)
def test_other_formats_open(tmp_path: Path, fmt: str, suffix: str) -> None:
    photo = prepare(_write(tmp_path / f"photo.{suffix}", _noise_photo((1600, 900)), fmt))
    assert_clean_jpeg(photo)
    assert (photo.width, photo.height) == (1200, 675)


def test_multipage_tiff_gives_first_page(tmp_path: Path) -> None:
    pages = [Image.new("RGB", (300, 200), "red"), Image.new("RGB", (600, 400), "blue")]
    path = tmp_path / "pages.tiff"
    pages[0].save(path, save_all=True, append_images=pages[1:])
    image = assert_clean_jpeg(prepare(path))
    assert image.size == (300, 200)
    assert _rgb(image, (150, 100))[0] > 200


@pytest.mark.parametrize(
    ("size", "expected"),
    [
        ((1, 20000), (1, 1200)),
        ((20000, 1), (1200, 1)),
        ((1200, 800), (1200, 800)),
        ((300, 200), (300, 200)),
        ((6000, 4000), (1200, 800)),
        ((4608, 1976), (1200, 515)),
        ((1201, 1201), (1200, 1200)),
    ],
)
def test_long_side_fits_never_upscaled(
    tmp_path: Path, size: tuple[int, int], expected: tuple[int, int]
) -> None:
    fmt = "PNG" if min(size) == 1 else "JPEG"
    source = Image.new("RGB", size, (90, 120, 150))
    photo = prepare(_write(tmp_path / f"{size[0]}x{size[1]}.img", source, fmt))
    assert_clean_jpeg(photo)
    assert (photo.width, photo.height) == expected


def test_max_side_parameter(tmp_path: Path) -> None:
    path = _write(tmp_path / "p.jpg", _noise_photo((1000, 500)), "JPEG")
    photo = prepare(path, max_side=400)
    assert (photo.width, photo.height) == (400, 200)


def test_exif_gps_comment_icc_xmp_dropped_and_orientation_applied(tmp_path: Path) -> None:
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° clockwise to view
    exif[0x010F] = "SecretCam"
    exif[0x8825] = {1: "N", 2: (55.0, 45.0, 21.0), 3: "E", 4: (37.0, 37.0, 4.0)}
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/">secret</x:xmpmeta>'
    path = tmp_path / "tagged.jpg"
    _noise_photo((1600, 1200)).save(
        path, "JPEG", exif=exif.tobytes(), icc_profile=icc, comment=b"secret note", xmp=xmp
    )
    with Image.open(path) as source:
        assert source.getexif().get_ifd(0x8825), "precondition: GPS written"
        assert source.info.get("comment") == b"secret note"
    photo = prepare(path)
    image = assert_clean_jpeg(photo)
    assert image.size == (900, 1200)  # turned upright
    assert b"secret" not in photo.data
    assert b"SecretCam" not in photo.data


@pytest.mark.parametrize("side", [9000, 10000, 100_000])
def test_decompression_bomb_refused_without_decoding(tmp_path: Path, side: int) -> None:
    # An IHDR declaring side×side pixels and a token IDAT: decoding would fail differently.
    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    ihdr = struct.pack(">IIBBBBB", side, side, 8, 2, 0, 0, 0)
    data = (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 1024))
        + chunk(b"IEND", b"")
    )
    path = tmp_path / "bomb.png"
    path.write_bytes(data)
    started = time.monotonic()
    with pytest.raises(PhotoError, match="слишком большой"):
        prepare(path)
    assert time.monotonic() - started < 5


def test_pixel_limit_parameter(tmp_path: Path) -> None:
    path = _write(tmp_path / "big.png", Image.new("RGB", (2000, 1000)), "PNG")
    with pytest.raises(PhotoError) as caught:
        prepare(path, max_pixels=1_000_000)
    assert caught.value.message == "Снимок слишком большой: 2 Мп (не больше 1 Мп)"
    with pytest.raises(PhotoError) as caught:
        prepare(path, max_pixels=1_999_999)
    assert caught.value.message == "Снимок слишком большой: 2 Мп (не больше 1.9 Мп)"
    path = _write(tmp_path / "just-over.png", Image.new("RGB", (1001, 1000)), "PNG")
    with pytest.raises(PhotoError) as caught:
        prepare(path, max_pixels=1_000_000)
    assert caught.value.message == "Снимок слишком большой: 1.1 Мп (не больше 1 Мп)"
    assert prepare(path, max_pixels=1_001_000).width == 1001


def test_file_over_byte_limit_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "huge.jpg"
    with path.open("wb") as handle:
        handle.truncate(48 * 1024 * 1024)  # sparse: costs no disk
    with pytest.raises(PhotoError) as caught:
        prepare(path)
    assert caught.value.message == "Снимок слишком большой: 48 МБ (не больше 40 МБ)"
    with path.open("r+b") as handle:
        handle.truncate(40 * 1024 * 1024 + 1)
    with pytest.raises(PhotoError) as caught:
        prepare(path)
    assert caught.value.message == "Снимок слишком большой: 40.1 МБ (не больше 40 МБ)"


def test_text_file_named_jpg_is_not_an_image(tmp_path: Path) -> None:
    path = tmp_path / "notes.jpg"
    path.write_text("Счётчик на кухне, пломба 12345\n" * 20, encoding="utf-8")
    with pytest.raises(PhotoError, match="Файл не является изображением"):
        prepare(path)


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.jpg"
    path.touch()
    with pytest.raises(PhotoError, match="Файл пуст"):
        prepare(path)


def test_truncated_jpeg_is_refused_clearly(tmp_path: Path, jpeg_bytes: bytes) -> None:
    # Decision: a half-received photo is no evidence of a device, so it is refused, not padded.
    path = tmp_path / "cut.jpg"
    path.write_bytes(jpeg_bytes[: len(jpeg_bytes) * 6 // 10])
    with pytest.raises(PhotoError, match="повреждён"):
        prepare(path)
    assert prepare(_write(tmp_path / "whole.jpg", _noise_photo(), "JPEG")).width == 800


def test_svg_is_unsupported(tmp_path: Path) -> None:
    path = tmp_path / "plan.svg"
    path.write_text(
        '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
        '<rect width="10" height="10"/></svg>\n',
        encoding="utf-8",
    )
    with pytest.raises(PhotoError, match="Формат не поддерживается: SVG"):
        prepare(path)


def test_pdf_is_unsupported(tmp_path: Path) -> None:
    path = tmp_path / "scan.jpg"  # the name lies too
    path.write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n")
    with pytest.raises(PhotoError, match="Формат не поддерживается: PDF"):
        prepare(path)


def test_unsupported_pillow_format_is_not_decoded(tmp_path: Path) -> None:
    path = _write(tmp_path / "icon.jpg", Image.new("RGB", (32, 32), "red"), "ICO")
    with pytest.raises(PhotoError):
        prepare(path)


def test_cut_header_of_a_photo_reads_as_damaged(tmp_path: Path, jpeg_bytes: bytes) -> None:
    path = tmp_path / "head.jpg"
    path.write_bytes(jpeg_bytes[:12])
    with pytest.raises(PhotoError, match="повреждён"):
        prepare(path)


def test_video_is_unsupported(tmp_path: Path) -> None:
    path = tmp_path / "clip.heic"
    path.write_bytes(b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 64)
    with pytest.raises(PhotoError, match="Формат не поддерживается: видео"):
        prepare(path)


def test_jpeg_named_png_works(tmp_path: Path, jpeg_bytes: bytes) -> None:
    path = tmp_path / "photo.png"
    path.write_bytes(jpeg_bytes)
    assert prepare(path).width == 800


def test_cyrillic_and_spaces_in_name(tmp_path: Path, jpeg_bytes: bytes) -> None:
    folder = tmp_path / "Фото с объекта"
    folder.mkdir()
    path = folder / "счётчик воды 1.JPG"
    path.write_bytes(jpeg_bytes)
    assert prepare(str(path)).width == 800


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(PhotoError, match=r"Файл не найден: .*нет\.jpg"):
        prepare(tmp_path / "нет.jpg")


def test_directory_instead_of_file(tmp_path: Path) -> None:
    with pytest.raises(PhotoError, match="папка"):
        prepare(tmp_path)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
@pytest.mark.timeout(10)
def test_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    path = tmp_path / "pipe.jpg"
    os.mkfifo(path)
    with pytest.raises(PhotoError, match="не обычный файл"):
        prepare(path)


def test_same_file_gives_same_hash(tmp_path: Path, jpeg_bytes: bytes) -> None:
    path = tmp_path / "a.jpg"
    path.write_bytes(jpeg_bytes)
    assert prepare(path).sha256 == prepare(path).sha256


def test_prepared_photo_repr_hides_bytes(jpeg_bytes: bytes, tmp_path: Path) -> None:
    path = tmp_path / "a.jpg"
    path.write_bytes(jpeg_bytes)
    photo = prepare(path)
    assert "data=" not in repr(photo)
    assert photo.size == len(photo.data) > 0


def test_photo_error_is_a_validation_error() -> None:
    error = PhotoError("Файл пуст")
    assert isinstance(error, ValidationError)
    assert str(error) == "Файл пуст"
    assert error.title


def test_prepare_many_reports_progress_and_keeps_going(tmp_path: Path, jpeg_bytes: bytes) -> None:
    good = tmp_path / "good.jpg"
    good.write_bytes(jpeg_bytes)
    bad = tmp_path / "bad.jpg"
    bad.write_text("not a photo", encoding="utf-8")
    calls: list[tuple[int, int, Path]] = []
    results = prepare_many(
        [good, str(bad), good],
        on_progress=lambda done, total, path: calls.append((done, total, path)),
        max_side=400,
    )
    assert [path for path, _ in results] == [good, bad, good]
    assert isinstance(results[0][1], PreparedPhoto)
    assert results[0][1].width == 400
    assert isinstance(results[1][1], PhotoError)
    assert isinstance(results[2][1], PreparedPhoto)
    assert calls == [(1, 3, good), (2, 3, bad), (3, 3, good)]


def test_make_preview_is_small_rgb_with_same_aspect(tmp_path: Path) -> None:
    photo = prepare(_write(tmp_path / "wide.jpg", _noise_photo((1600, 900)), "JPEG"))
    preview = make_preview(photo.data)
    assert preview.mode == "RGB"
    assert preview.size == (57, 32)
    assert make_preview(photo.data, max_width=20, max_height=40).size == (20, 11)


def test_make_preview_refuses_garbage() -> None:
    with pytest.raises(PhotoError):
        make_preview(b"definitely not an image")
    with pytest.raises(PhotoError):
        make_preview(b"")


# --- property-based: whatever the bytes, only PhotoError or a clean JPEG -----------------------


def _prepare_bytes(folder: Path, data: bytes) -> None:
    path = folder / "fuzz.jpg"
    path.write_bytes(data)
    try:
        photo = prepare(path)
    except PhotoError:
        return
    assert photo.width >= 1
    assert photo.height >= 1
    assert photo.data[:2] == b"\xff\xd8"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.binary(min_size=0, max_size=4096))
def test_random_bytes_only_photo_error(
    tmp_path_factory: pytest.TempPathFactory, data: bytes
) -> None:
    _prepare_bytes(tmp_path_factory.mktemp("fuzz"), data)


_SEED_JPEG = io.BytesIO()
_noise_photo((320, 240)).save(_SEED_JPEG, format="JPEG", quality=80)
_SEED = _SEED_JPEG.getvalue()


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    flips=st.lists(
        st.tuples(st.integers(0, len(_SEED) - 1), st.integers(0, 255)), min_size=1, max_size=12
    ),
    cut=st.integers(16, len(_SEED)),
)
def test_mutated_jpeg_only_photo_error(
    tmp_path_factory: pytest.TempPathFactory, flips: list[tuple[int, int]], cut: int
) -> None:
    mutated = bytearray(_SEED)
    for position, value in flips:
        mutated[position] = value
    _prepare_bytes(tmp_path_factory.mktemp("mutant"), bytes(mutated[:cut]))
