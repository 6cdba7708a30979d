"""Mending photo files whose only defect lies outside their pixel data, byte by byte (no Pillow),
so `photos` can accept a photo whose pixels are all there and still refuse one that is cut off.

- A JPEG without its end marker (EOI): `jpeg_continuations` gives the file ended three ways —
  right away, after 64 bytes of 0x55 and after 64 bytes of 0xAA. libjpeg pads missing scan data
  with zero bits, so when scan data is missing the three decode to different pixels; when the
  scan is complete, the extra bytes are never read as pixels and all three decode the same.
  A progressive JPEG cut exactly between two scans is complete in this sense (the format
  allows it: every pixel is there, at the precision of the scans received).
- A PNG with text or ICC chunks larger than Pillow reads (`PngImagePlugin.MAX_TEXT_CHUNK`):
  `png_pixel_chunks` keeps only the chunks that make or colour the pixels.
"""

from __future__ import annotations

from typing import Final

__all__ = ["jpeg_continuations", "png_pixel_chunks"]

_JPEG_SOI: Final = b"\xff\xd8"
_JPEG_EOI: Final = b"\xff\xd9"
#: Fillers that differ in every bit from zero padding and hold no 0xFF, hence no marker.
_JPEG_FILLERS: Final = (b"", b"\x55" * 64, b"\xaa" * 64)

_PNG_SIGNATURE: Final = b"\x89PNG\r\n\x1a\n"
#: PNG chunks that carry the pixels or how to show them; text, ICC, EXIF and the rest are not.
_PNG_PIXEL_CHUNKS: Final = frozenset(
    {b"IHDR", b"PLTE", b"tRNS", b"gAMA", b"sRGB", b"IDAT", b"IEND"}
)


def jpeg_continuations(data: bytes) -> tuple[bytes, ...] | None:
    """Return the JPEG ended by an EOI marker after each filler (the plain ending first), or
    None when `data` is not a JPEG or already ends with its end marker.

    Trailing 0xFF bytes are dropped first: they can only be fill bytes or the first half of the
    lost marker (a 0xFF inside scan data is always followed by a stuffed 0x00).
    """
    if not data.startswith(_JPEG_SOI) or data.endswith(_JPEG_EOI):
        return None
    body = data.rstrip(b"\xff")
    return tuple(body + filler + _JPEG_EOI for filler in _JPEG_FILLERS)


def png_pixel_chunks(data: bytes) -> bytes | None:
    """Return the PNG with only its pixel chunks, or None when it is not a PNG or has no other
    chunk to drop. A chunk cut by the end of the file is dropped too, so pixels cut off stay
    missing and the decoder still says so."""
    if not data.startswith(_PNG_SIGNATURE):
        return None
    kept = [_PNG_SIGNATURE]
    dropped = False
    pos = len(_PNG_SIGNATURE)
    while pos + 8 <= len(data):
        end = pos + 12 + int.from_bytes(data[pos : pos + 4], "big")
        if data[pos + 4 : pos + 8] in _PNG_PIXEL_CHUNKS and end <= len(data):
            kept.append(data[pos:end])
        else:
            dropped = True
        pos = end
    return b"".join(kept) if dropped else None
