"""What a master pastes into the photo picker's path field, turned into files.

Terminals and file managers paste several files in a few shapes: shell-quoted side by side
(`'/a b.jpg' "/c.jpg"`, `/a\\ b.jpg /c.jpg`), one per line (often unquoted, spaces and all),
or as `file://` URIs. `pasted_paths` reads them all with `shlex` (POSIX rules); a line that
is itself an existing path stays whole. `expand_folders` opens a folder to the images in it.
Nothing here judges content: `prepare()` does, file by file.
"""

from __future__ import annotations

import shlex
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

__all__ = [
    "IMAGE_SUFFIXES",
    "PickedFiles",
    "expand_folders",
    "is_image_name",
    "one_line",
    "pasted_paths",
]

#: Listed by name; whether a file really is a photo is judged by `prepare()` from its content.
IMAGE_SUFFIXES = frozenset(
    {
        ".jpg",
        ".jpeg",
        ".jpe",
        ".png",
        ".heic",
        ".heif",
        ".avif",
        ".webp",
        ".tif",
        ".tiff",
        ".bmp",
        ".gif",
        ".mpo",
    }
)


def is_image_name(path: Path) -> bool:
    """Whether the name looks like a photo and the file is not hidden."""
    return not path.name.startswith(".") and path.suffix.lower() in IMAGE_SUFFIXES


def _from_token(token: str) -> Path:
    """One pasted word as a path: `file://` URIs decoded, `~` expanded."""
    if token.startswith("file://"):
        token = unquote(urlsplit(token).path)
    return Path(token).expanduser()


def _line_paths(line: str) -> list[Path]:
    """The paths of one pasted line (see the module docstring)."""
    whole = Path(line).expanduser()
    try:
        tokens = shlex.split(line)
    except ValueError:  # an unbalanced quote, as in an unquoted «it's.jpg»: the line as is
        return [whole]
    if len(tokens) > 1 and whole.exists():
        return [whole]  # an unquoted path with spaces, as file managers paste one per line
    return [_from_token(token) for token in tokens]


def pasted_paths(text: str) -> list[Path]:
    """Every path in pasted text, in order, each once (empty lines skipped)."""
    found: dict[Path, None] = {}
    for line in text.splitlines():
        if line.strip():
            found.update(dict.fromkeys(_line_paths(line.strip())))
    return list(found)


def one_line(text: str) -> str:
    """Pasted text of several lines as one line of the path field that `pasted_paths` reads
    back to the same paths (each path shell-quoted); one line is returned as it is."""
    lines = [line for line in text.splitlines() if line.strip()]
    if len(lines) <= 1:
        return lines[0] if lines else ""
    return " ".join(shlex.quote(str(path)) for path in pasted_paths(text))


@dataclass
class PickedFiles:
    """Files to attach, with what became of each folder that was named among them."""

    files: list[Path] = field(default_factory=list)
    #: Each folder given, with how many images it gave (None: it could not be read).
    folders: list[tuple[Path, int | None]] = field(default_factory=list)


def expand_folders(paths: Iterable[Path]) -> PickedFiles:
    """Files stay as given (a missing one is reported by `prepare()`); a folder gives its
    image files (by name, not recursive, hidden ones left out), sorted by name."""
    picked = PickedFiles()
    for path in paths:
        if not path.is_dir():
            if path not in picked.files:
                picked.files.append(path)
            continue
        try:
            images = sorted(p for p in path.iterdir() if is_image_name(p) and p.is_file())
        except OSError:
            picked.folders.append((path, None))
            continue
        picked.folders.append((path, len(images)))
        picked.files.extend(p for p in images if p not in picked.files)
    return picked
