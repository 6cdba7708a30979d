"""Colour for the photo pipeline: deep grey onto 8 bits, transparency onto white, and
embedded ICC profiles (Display P3, Adobe RGB, CMYK) into sRGB — Pillow's `ImageCms` does the
conversion; nothing here reads files or knows of rows."""

from __future__ import annotations

import functools
import io
import logging
import struct
from typing import Final

from PIL import Image, ImageCms

__all__ = ["DECODE_ERRORS", "deep_to_l", "flatten_on_white", "to_srgb"]

log = logging.getLogger("privet_tui.photos")

#: What Pillow raises on a broken image or profile.
DECODE_ERRORS: Final = (
    OSError,
    ValueError,
    SyntaxError,
    EOFError,
    struct.error,
    IndexError,
    KeyError,
    TypeError,
    ZeroDivisionError,
    OverflowError,
    RuntimeError,
    MemoryError,
)


def deep_to_l(image: Image.Image) -> Image.Image:
    """Map 16-bit, 32-bit integer and float grey onto 8 bits instead of clipping them to white."""
    sixteen_bit = image.mode.startswith("I;16")
    if image.mode != "F":
        image = image.convert("I")
    low, high = image.getextrema()
    assert isinstance(low, (int, float))
    assert isinstance(high, (int, float))
    if sixteen_bit or (image.mode == "I" and low >= 0 and 255 < high <= 65535):
        scale, offset = 1 / 257, 0.0
    elif image.mode == "F" and low >= 0 and high <= 1:
        scale, offset = 255.0, 0.0
    elif low >= 0 and high <= 255:
        scale, offset = 1.0, 0.0
    else:
        scale = 255 / (high - low) if high > low else 1.0
        offset = -low * scale
    return image.point(lambda value: value * scale + offset).convert("L")


def flatten_on_white(image: Image.Image) -> Image.Image:
    """Put transparent pictures on white (JPEG has no alpha, and black is what it would get)."""
    if image.mode not in ("LA", "RGBA"):
        return image
    rgba = image.convert("RGBA")
    background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
    background.alpha_composite(rgba)
    return background.convert("RGB")


@functools.cache
def _srgb_profile() -> ImageCms.ImageCmsProfile:
    """The built-in sRGB profile, created once."""
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


def to_srgb(image: Image.Image, icc: bytes | None) -> Image.Image:
    """Bring colours into sRGB via the embedded profile (Display P3, Adobe RGB, CMYK), then RGB."""
    if icc and image.mode in ("RGB", "CMYK", "L"):
        try:
            profile = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            if image.mode == "RGB" and "srgb" in ImageCms.getProfileDescription(profile).lower():
                return image
            converted = ImageCms.profileToProfile(image, profile, _srgb_profile(), outputMode="RGB")
        except (ImageCms.PyCMSError, *DECODE_ERRORS) as exc:
            # A broken or mismatched profile only costs colour accuracy, never the photo.
            log.info("ICC profile ignored: %s", type(exc).__name__)
        else:
            if converted is not None:
                return converted
    return image if image.mode == "RGB" else image.convert("RGB")
