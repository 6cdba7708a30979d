"""The object store as a local directory (`objects/` in the data dir when no S3 is set):
the key is the relative path, files are written atomically with mode 0640."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from privet_tui.errors import StorageError
from privet_tui.storage.base import (
    PROBE_PREFIX,
    ObjectNotFoundError,
    StoredObject,
    round_trip_probe,
)
from privet_tui.storage.keys import TEMP_PREFIX, validate_key, validate_prefix

__all__ = ["LocalStore"]


class LocalStore:
    """Objects as files under `root` (key = relative path), written atomically with mode 0640."""

    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.root = Path(root).expanduser().absolute()
        self.description = f"local {self.root}"

    def __repr__(self) -> str:
        return f"LocalStore({str(self.root)!r})"

    def _path(self, key: str) -> Path:
        return self.root.joinpath(*validate_key(key).split("/"))

    def put(self, key: str, data: bytes, content_type: str) -> None:
        """Write a temp file beside the target, fsync, rename over it: never half a file."""
        target = self._path(key)
        try:
            target.parent.mkdir(mode=0o750, parents=True, exist_ok=True)
            fd, temp_name = tempfile.mkstemp(dir=target.parent, prefix=TEMP_PREFIX)
            try:
                with os.fdopen(fd, "wb") as handle:
                    handle.write(data)
                    handle.flush()
                    os.fchmod(handle.fileno(), 0o640)
                    os.fsync(handle.fileno())
                os.replace(temp_name, target)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(temp_name)
                raise
            _fsync_directory(target.parent)
        except OSError as exc:
            raise StorageError(
                f"Не удалось записать файл в хранилище {self.root}: {exc.strerror or exc}"
            ) from exc

    def get(self, key: str) -> bytes:
        """Read the file; `ObjectNotFoundError` when there is none."""
        path = self._path(key)
        try:
            return path.read_bytes()
        except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
            raise ObjectNotFoundError(f"Объект не найден в хранилище: {key}") from None
        except OSError as exc:
            raise StorageError(
                f"Не удалось прочитать файл из хранилища {self.root}: {exc.strerror or exc}"
            ) from exc

    def exists(self, key: str) -> bool:
        """True for a regular file at the key's path."""
        return self._path(key).is_file()

    def delete(self, key: str) -> None:
        """Unlink the file; missing is fine (empty folders are kept, they are harmless)."""
        path = self._path(key)
        try:
            path.unlink()
        except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
            return
        except OSError as exc:
            raise StorageError(
                f"Не удалось удалить файл из хранилища {self.root}: {exc.strerror or exc}"
            ) from exc

    def list(self, prefix: str = "") -> Iterator[StoredObject]:
        """Walk only the folder the prefix names and yield matches in UTF-8 byte order, like S3."""
        validate_prefix(prefix)
        folder = prefix.rpartition("/")[0]
        start = self.root.joinpath(*folder.split("/")) if folder else self.root
        keys: list[str] = []

        def fail(exc: OSError) -> None:
            if not isinstance(exc, FileNotFoundError | NotADirectoryError):
                raise StorageError(
                    f"Не удалось прочитать папку хранилища {self.root}: {exc.strerror or exc}"
                ) from exc

        for directory, _subdirs, files in os.walk(start, onerror=fail):
            relative = Path(directory).relative_to(self.root).as_posix()
            for name in files:
                key = name if relative == "." else f"{relative}/{name}"
                if name.startswith(TEMP_PREFIX) or not key.startswith(prefix):
                    continue
                with contextlib.suppress(UnicodeEncodeError):  # undecodable names are not ours
                    key.encode("utf-8")
                    keys.append(key)
        for key in sorted(keys, key=lambda k: k.encode("utf-8")):
            try:
                info = (self.root / key).stat()
            except FileNotFoundError:
                continue  # deleted while listing
            yield StoredObject(key, info.st_size, datetime.fromtimestamp(info.st_mtime, tz=UTC))

    def link(self, key: str) -> str:
        """A file:// URL of the object's absolute path (percent-encoded UTF-8)."""
        return self._path(key).as_uri()

    def shareable_link(self, key: str) -> None:
        """None: a path on this workstation opens nowhere else, so it never goes to a client."""
        validate_key(key)

    def check(self) -> None:
        """Create the root if needed and round-trip a probe file through it."""
        try:
            self.root.mkdir(mode=0o750, parents=True, exist_ok=True)
        except OSError as exc:
            raise StorageError(
                f"Папка хранилища недоступна: {self.root} ({exc.strerror or exc})"
            ) from exc
        round_trip_probe(self)
        with contextlib.suppress(OSError):
            (self.root / PROBE_PREFIX.rstrip("/")).rmdir()


def _fsync_directory(directory: Path) -> None:
    """Persist a rename: without it a crash may forget the new directory entry."""
    flags = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0)
    try:
        fd = os.open(directory, flags)
    except OSError:
        return  # not supported here (e.g. Windows): the data itself is already fsynced
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
