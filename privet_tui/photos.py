"""The photo pipeline: turn a file from a phone or camera into a small, upright, metadata-free JPEG.

Pure Pillow (plus pillow-heif for iPhone HEIC), no database and no terminal: `prepare()` takes
a path and returns the bytes to store, `prepare_many()` does a batch with a progress callback,
and `make_preview()` shrinks stored bytes for drawing with half-block characters. Every way a
file can be unfit ends in `PhotoError`, whose message a master can act on.
"""

from __future__ import annotations

import functools
import hashlib
import io
import logging
import math
import os
import stat
import threading
import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Final

from PIL import Image, UnidentifiedImageError

from privet_tui import photo_colour, photo_repair
from privet_tui.errors import ValidationError

__all__ = [
    "PhotoError",
    "PreparedPhoto",
    "make_preview",
    "prepare",
    "prepare_many",
]

log = logging.getLogger(__name__)

MIB: Final = 1024 * 1024

#: Formats accepted, judged by content (JPEG includes multi-picture MPO); everything else
#: Pillow knows (EPS through Ghostscript, PSD, ICO, …) is refused so that no exotic decoder
#: ever sees a master's file.
ACCEPTED_FORMATS: Final = ("JPEG", "HEIF", "AVIF", "PNG", "WEBP", "TIFF", "BMP", "GIF")

_ACCEPTED_HUMAN: Final = "JPEG, HEIC, PNG, WebP, TIFF, BMP или GIF"

#: Errors Pillow and its plugins raise on malformed input (see Pillow's own fuzzers); all of
#: them mean "this file cannot be read" to a master.
_DECODE_ERRORS: Final = photo_colour.DECODE_ERRORS

#: ISO-BMFF brands of phone videos (HEIC shares the container, with brands heic, mif1, …).
_VIDEO_BRANDS: Final = frozenset(
    {b"isom", b"iso2", b"iso4", b"iso5", b"iso6", b"mp41", b"mp42", b"qt  ", b"M4V ", b"avc1"}
    | {b"3gp4", b"3gp5", b"3gp6", b"3g2a", b"dash", b"MSNV"}
)
#: First bytes of JPEG, PNG, GIF, TIFF and BMP files.
_PHOTO_MAGIC: Final = (b"\xff\xd8\xff", b"\x89PNG", b"GIF8", b"II*\x00", b"MM\x00*", b"BM")

#: EXIF orientation → the transpose that makes it upright (the table of ImageOps.exif_transpose).
_ORIENTATION_FIX: Final = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}
_EXIF_ORIENTATION: Final = 0x0112

#: Serialises the window in which DecompressionBombWarning is turned into an error, because
#: `warnings.catch_warnings` swaps process-global state.
_OPEN_LOCK: Final = threading.Lock()


class PhotoError(ValidationError):
    """A file that cannot become a device photo; the message says why in a master's words."""

    title = "Снимок не принят"


class _DamagedError(PhotoError):
    """Pillow could not read the file; `_decode` then tries it once without its outer defects."""


@dataclass(frozen=True)
class PreparedPhoto:
    """The JPEG ready to store: its bytes, pixel size and sha256 of the bytes (for duplicates)."""

    data: bytes = field(repr=False)
    width: int
    height: int
    sha256: str
    content_type: str = "image/jpeg"

    @property
    def size(self) -> int:
        """Length of the JPEG in bytes."""
        return len(self.data)


def prepare(
    path: str | os.PathLike[str],
    *,
    max_side: int = 1200,
    max_bytes: int = 40 * MIB,
    max_pixels: int = 80_000_000,
    quality: int = 85,
) -> PreparedPhoto:
    """Read an image file and return it upright, RGB, at most `max_side` px, as a bare JPEG."""
    if max_side < 1 or max_bytes < 1 or max_pixels < 1 or not 1 <= quality <= 95:
        raise ValueError("prepare(): limits must be positive and quality within 1..95")
    source = Path(path)
    with _open_source(source, max_bytes) as handle:
        picture = _decode(handle, max_pixels, max_side, max_side)
    data = _encode(picture, quality)
    return PreparedPhoto(
        data=data,
        width=picture.width,
        height=picture.height,
        sha256=hashlib.sha256(data).hexdigest(),
    )


def prepare_many(
    paths: Iterable[str | os.PathLike[str]],
    *,
    on_progress: Callable[[int, int, Path], None] | None = None,
    **limits: int,
) -> list[tuple[Path, PreparedPhoto | PhotoError]]:
    """Prepare a batch, one bad file not stopping the rest; `on_progress(done, total, path)`."""
    sources = [Path(p) for p in paths]
    results: list[tuple[Path, PreparedPhoto | PhotoError]] = []
    for done, source in enumerate(sources, start=1):
        outcome: PreparedPhoto | PhotoError
        try:
            outcome = prepare(source, **limits)
        except PhotoError as exc:
            outcome = exc
        results.append((source, outcome))
        if on_progress is not None:
            on_progress(done, len(sources), source)
    return results


def make_preview(
    data: bytes,
    *,
    max_width: int = 64,
    max_height: int = 32,
    max_pixels: int = 80_000_000,
) -> Image.Image:
    """Shrink image bytes (normally a prepared JPEG) to a tiny RGB picture for the terminal."""
    if max_width < 1 or max_height < 1:
        raise ValueError("make_preview(): the box must be at least 1×1")
    if not data:
        raise PhotoError("Файл пуст")
    return _decode(io.BytesIO(data), max_pixels, max_width, max_height)


def _open_source(source: Path, max_bytes: int) -> IO[bytes]:
    """Open a regular file for reading after the size checks, refusing dirs, FIFOs and giants."""
    try:
        _check_regular(source, os.stat(source), max_bytes)
        # O_NONBLOCK keeps a FIFO swapped in after stat() from blocking open(); fstat re-checks.
        fd = os.open(source, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise _unreadable(source, exc) from None
    handle = os.fdopen(fd, "rb")
    try:
        _check_regular(source, os.fstat(fd), max_bytes)
    except BaseException:
        handle.close()
        raise
    return handle


def _unreadable(source: Path, exc: OSError) -> PhotoError:
    """The message for a file the system would not let us open."""
    if isinstance(exc, FileNotFoundError | NotADirectoryError):
        return PhotoError(f"Файл не найден: {source}")
    if isinstance(exc, PermissionError):
        return PhotoError(f"Нет доступа к файлу: {source}")
    return PhotoError(f"Не удалось открыть файл: {source} ({exc.strerror or exc})")


def _check_regular(source: Path, info: os.stat_result, max_bytes: int) -> None:
    """Refuse what is not a regular, non-empty file within the byte limit."""
    if stat.S_ISDIR(info.st_mode):
        raise PhotoError(f"Это папка, а не файл: {source}")
    if not stat.S_ISREG(info.st_mode):
        raise PhotoError(f"Это не обычный файл: {source}")
    if info.st_size == 0:
        raise PhotoError("Файл пуст")
    if info.st_size > max_bytes:
        # The size rounds up and the limit down (to 0.1 MB): "over" never reads as "equal".
        size = math.ceil(info.st_size * 10 / MIB) / 10
        limit = math.floor(max_bytes * 10 / MIB) / 10
        raise PhotoError(f"Снимок слишком большой: {size:g} МБ (не больше {limit:g} МБ)")


def _too_many_pixels(pixels: int | None, max_pixels: int) -> PhotoError:
    """The error for a picture whose pixel count (read from its header) is over the limit."""
    # The limit rounds down and the picture up (to 0.1 Mp): "over" never reads as "equal".
    limit = f"не больше {math.floor(max_pixels / 1e5) / 10:g} Мп"
    if pixels is None:
        return PhotoError(f"Снимок слишком большой ({limit})")
    return PhotoError(f"Снимок слишком большой: {math.ceil(pixels / 1e5) / 10:g} Мп ({limit})")


@functools.cache
def _open_formats() -> tuple[str, ...]:
    """Register HEIC/HEIF once, on first use, and list the accepted formats this Pillow has."""
    import pillow_heif

    pillow_heif.register_heif_opener(thumbnails=True, depth_images=False, aux_images=False)
    Image.init()
    return tuple(name for name in ACCEPTED_FORMATS if name in Image.OPEN)


def _open_image(handle: IO[bytes], max_pixels: int) -> Image.Image:
    """Identify the image by content and read its header only, refusing bombs before decoding."""
    formats = _open_formats()
    head = handle.read(1024)
    handle.seek(0)
    try:
        with _OPEN_LOCK, warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(handle, formats=formats)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _too_many_pixels(None, max_pixels) from None
    except UnidentifiedImageError:
        kind = _unsupported_kind(head)
        if kind is None and _looks_like_photo(head):
            raise _DamagedError("Файл повреждён: не удалось прочитать заголовок снимка") from None
        if kind is not None:
            raise PhotoError(
                f"Формат не поддерживается: {kind}. Подойдут снимки {_ACCEPTED_HUMAN}"
            ) from None
        raise PhotoError("Файл не является изображением") from None
    except _DECODE_ERRORS as exc:
        log.info("photo header unreadable: %s", type(exc).__name__)
        raise _DamagedError("Файл повреждён: не удалось прочитать заголовок снимка") from None
    width, height = image.size
    if width < 1 or height < 1:
        image.close()
        raise PhotoError("Файл повреждён: у снимка нулевой размер")
    if width * height > max_pixels:
        image.close()
        raise _too_many_pixels(width * height, max_pixels)
    return image


def _unsupported_kind(head: bytes) -> str | None:
    """Name well-known non-photo files a master may pick by mistake, from their first bytes."""
    if head.startswith(b"%PDF-"):
        return "PDF"
    if head.startswith((b"%!PS", b"\xc5\xd0\xd3\xc6")):
        return "PostScript (EPS)"
    if head.startswith(b"8BPS"):
        return "Photoshop (PSD)"
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith((b"<svg", b"<?xml", b"<!doctype svg", b"<!--")) and b"<svg" in text:
        return "SVG"
    if (head[4:8] == b"ftyp" and head[8:12] in _VIDEO_BRANDS) or head[8:12] == b"AVI ":
        return "видео"
    return None


def _looks_like_photo(head: bytes) -> bool:
    """True when the first bytes claim an accepted format, so a refusal means a damaged file."""
    return head.startswith(_PHOTO_MAGIC) or head[8:12] == b"WEBP" or head[4:8] == b"ftyp"


def _decode(handle: IO[bytes], max_pixels: int, box_width: int, box_height: int) -> Image.Image:
    """Open and decode the picture into the box; a file Pillow refuses is tried once more
    without the defects that lie outside its pixels (`_without_outer_defects`)."""
    try:
        image = _open_image(handle, max_pixels)
        with image:
            return _decode_fitted(image, box_width, box_height)
    except _DamagedError as damaged:
        handle.seek(0)
        repaired = _without_outer_defects(handle.read(), max_pixels)
        if repaired is None:
            raise PhotoError(damaged.message) from None
        log.info("photo read without its outer defects")
        with _open_image(io.BytesIO(repaired), max_pixels) as image:
            return _decode_fitted(image, box_width, box_height)


def _without_outer_defects(data: bytes, max_pixels: int) -> bytes | None:
    """Return the file with a defect outside its pixel data mended, or None when it has none
    that can be told apart from missing pixels (`photo_repair` says how each is judged).

    A JPEG without its end marker is kept only when its pixels decode the same whatever
    follows the bytes present; a PNG must still decode once only its pixel chunks are kept.
    Pillow's global LOAD_TRUNCATED_IMAGES is never touched.
    """
    continuations = photo_repair.jpeg_continuations(data)
    if continuations is not None:
        digests = {_pixel_digest(candidate, max_pixels) for candidate in continuations}
        return continuations[0] if len(digests) == 1 and None not in digests else None
    return photo_repair.png_pixel_chunks(data)


def _pixel_digest(data: bytes, max_pixels: int) -> bytes | None:
    """sha256 of the fully decoded pixels, or None when they do not decode."""
    try:
        with _open_image(io.BytesIO(data), max_pixels) as image:
            image.load()
            return hashlib.sha256(image.tobytes()).digest()
    except (PhotoError, *_DECODE_ERRORS):
        return None


def _decode_fitted(image: Image.Image, box_width: int, box_height: int) -> Image.Image:
    """Decode (at reduced JPEG scale when possible), fit into the box, make RGB and upright."""
    try:
        target = _fit(image.size, box_width, box_height)
        crop = None
        if target != image.size:
            # The real target size lets libjpeg decode at 1/2, 1/4 or 1/8 scale (DCT scaling).
            drafted = image.draft("RGB", target)
            crop = drafted[1] if drafted else None
        image.load()
        orientation = _orientation(image)
        icc = image.info.get("icc_profile")
        picture = _resizable(image)
        if picture.size != target:
            picture = picture.resize(target, Image.Resampling.LANCZOS, box=crop, reducing_gap=3.0)
        picture = photo_colour.to_srgb(
            photo_colour.flatten_on_white(picture), icc if isinstance(icc, bytes) else None
        )
        fix = _ORIENTATION_FIX.get(orientation)
        return picture.transpose(fix) if fix is not None else picture
    except PhotoError:
        raise
    except Image.DecompressionBombError:
        raise PhotoError("Снимок слишком большой") from None
    except _DECODE_ERRORS as exc:
        log.info("photo undecodable: %s", type(exc).__name__)
        raise _DamagedError("Файл повреждён или обрезан: снимок не читается до конца") from None


def _fit(size: tuple[int, int], box_width: int, box_height: int) -> tuple[int, int]:
    """The largest size with the same aspect that fits the box; never larger than the original."""
    width, height = size
    scale = min(box_width / width, box_height / height)
    if scale >= 1:
        return size
    return max(1, round(width * scale)), max(1, round(height * scale))


def _orientation(image: Image.Image) -> int:
    """EXIF orientation (1 when absent or unreadable: a broken EXIF must not cost the photo)."""
    try:
        value = image.getexif().get(_EXIF_ORIENTATION, 1)
    except _DECODE_ERRORS:
        return 1
    return value if isinstance(value, int) else 1


def _resizable(image: Image.Image) -> Image.Image:
    """Convert exotic modes to one that resizes well: L, LA, RGB, RGBA or CMYK."""
    mode = image.mode
    if mode in ("L", "RGB") and "transparency" in image.info:
        return image.convert("RGBA")
    if mode in ("L", "LA", "RGB", "RGBA", "CMYK"):
        return image
    if mode in ("P", "PA"):
        return image.convert("RGBA" if mode == "PA" or "transparency" in image.info else "RGB")
    if mode == "1":
        return image.convert("L")
    if mode == "La":
        return image.convert("LA")
    if mode == "RGBa":
        return image.convert("RGBA")
    if mode == "F" or mode.startswith("I"):
        return photo_colour.deep_to_l(image)
    try:
        return image.convert("RGB")
    except ValueError:
        raise PhotoError(f"Формат не поддерживается: цветовая модель {mode}") from None


def _encode(image: Image.Image, quality: int) -> bytes:
    """Save as a progressive JPEG with no EXIF, GPS, ICC, XMP or comment left in it."""
    # Pillow carries `comment` over from image.info, so nothing from the source may stay there.
    image.info.clear()
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=quality, optimize=True, progressive=True)
    return buffer.getvalue()
