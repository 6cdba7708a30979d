"""Where photos and PDFs live: an S3/MinIO bucket (minio SDK) or a local directory, one interface.

Both backends implement `ObjectStore` and know nothing of rows or settings: the caller passes
the endpoint, keys and root. Object keys are built only by `photo_key`, `contract_key` and
`invoice_key`, so every module agrees on them; both backends accept Cyrillic keys (S3
URL-encodes them, the local store writes UTF-8 file names). Failures a person can act on are
`StorageError`s in Russian; the secret key never appears in a message or a log line.
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
import tempfile
import threading
import time
import unicodedata
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Final, Protocol, TypeVar, runtime_checkable
from urllib.parse import urlsplit

import certifi
import urllib3
from minio import Minio
from minio.error import InvalidResponseError, S3Error, ServerError
from minio.helpers import check_bucket_name

from privet_tui.errors import ConfigError, StorageError

__all__ = [
    "LocalStore",
    "ObjectNotFoundError",
    "ObjectStore",
    "S3Store",
    "StoredObject",
    "contract_key",
    "invoice_key",
    "photo_key",
    "validate_key",
]

log = logging.getLogger(__name__)

T = TypeVar("T")

#: Names of in-flight temporary files in the local store; keys may not use the prefix.
_TEMP_PREFIX: Final = ".privet-tmp-"
#: Where `check()` writes its probe objects.
_PROBE_PREFIX: Final = ".privet-check/"
_MAX_KEY_BYTES: Final = 1024
_MAX_LINK_EXPIRY: Final = timedelta(days=7)  # the SigV4 ceiling for presigned URLs

#: S3 error codes that mean the access key or the secret is wrong.
_CREDENTIAL_CODES: Final = frozenset(
    {
        "InvalidAccessKeyId",
        "SignatureDoesNotMatch",
        "InvalidToken",
        "ExpiredToken",
        "InvalidClientTokenId",
        "AuthorizationHeaderMalformed",
    }
)
#: S3 error codes worth another try.
_TRANSIENT_CODES: Final = frozenset(
    {"InternalError", "ServiceUnavailable", "SlowDown", "RequestTimeout", "OperationAborted"}
)
_MISSING_OBJECT_CODES: Final = frozenset({"NoSuchKey", "NoSuchObject", "NotFound"})
#: Failures below the S3 protocol: refused or dropped connections, timeouts, 5xx without a body.
_TRANSPORT_ERRORS: Final = (
    urllib3.exceptions.HTTPError,
    OSError,
    ServerError,
    InvalidResponseError,
)


class ObjectNotFoundError(StorageError):
    """The key is not in the store (a `get` of a deleted or never written object)."""

    title = "Не найдено"


@dataclass(frozen=True)
class StoredObject:
    """One object as listed: its key, size in bytes and last modification (UTC)."""

    key: str
    size: int
    modified: datetime


@runtime_checkable
class ObjectStore(Protocol):
    """What services need from a store: bytes in and out by key, listing, links, a health check."""

    #: Human-readable target, e.g. "s3 http://127.0.0.1:9000 bucket privet-bucket".
    description: str

    def put(self, key: str, data: bytes, content_type: str) -> None:
        """Store `data` under `key`, replacing any previous object."""

    def get(self, key: str) -> bytes:
        """Return the object's bytes; `ObjectNotFoundError` when absent."""
        ...

    def exists(self, key: str) -> bool:
        """True when an object is stored under `key`."""
        ...

    def delete(self, key: str) -> None:
        """Remove the object; a missing key is not an error."""

    def list(self, prefix: str = "") -> Iterator[StoredObject]:
        """Objects whose key starts with `prefix`, in key order."""
        ...

    def link(self, key: str) -> str:
        """A URL the object can be fetched from (presigned for S3, file:// locally)."""
        ...

    def check(self) -> None:
        """Prove the store is reachable and writable (write, read, delete a probe) or raise."""


# --- keys ---------------------------------------------------------------------------------------


def photo_key(client_id: int, device_id: int, photo_uuid: str | uuid.UUID) -> str:
    """Key of a device photo: `clients/{client_id}/devices/{device_id}/{uuid}.jpg`."""
    canonical = photo_uuid if isinstance(photo_uuid, uuid.UUID) else uuid.UUID(photo_uuid)
    return f"clients/{_id(client_id)}/devices/{_id(device_id)}/{canonical}.jpg"


def contract_key(client_id: int, number: str, *, signed: bool) -> str:
    """Key of a contract PDF: `clients/{id}/contracts/{number}-draft.pdf` or `-signed.pdf`."""
    kind = "signed" if signed else "draft"
    return f"clients/{_id(client_id)}/contracts/{_document_number(number)}-{kind}.pdf"


def invoice_key(client_id: int, number: str) -> str:
    """Key of an invoice PDF: `clients/{client_id}/invoices/{number}.pdf`."""
    return f"clients/{_id(client_id)}/invoices/{_document_number(number)}.pdf"


def _id(value: int) -> int:
    """A positive database id (bool is refused: `True` is no client)."""
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ValueError(f"an object key needs a positive integer id, got {value!r}")
    return value


def _document_number(number: str) -> str:
    """A contract or invoice number fit for one key segment, in NFC so the same text is one key."""
    normalized = unicodedata.normalize("NFC", number)
    if (
        not normalized
        or normalized != normalized.strip()
        or normalized in (".", "..")
        or "/" in normalized
        or "\\" in normalized
        or any(not ch.isprintable() for ch in normalized)
        or len(normalized) > 100
    ):
        raise ValueError(f"document number unfit for an object key: {number!r}")
    return normalized


def validate_key(key: str) -> str:
    """Return `key` if it is a clean relative path (no `..`, `\\`, empty parts); else ValueError."""
    if not key:
        raise ValueError("object key is empty")
    _validate_parts(key, key.split("/"))
    return key


def _validate_prefix(prefix: str) -> str:
    """Like `validate_key`, but empty or ending in `/` is fine for a listing prefix."""
    if prefix:
        parts = prefix.split("/")
        _validate_parts(prefix, parts[:-1] if parts[-1] == "" else parts)
    return prefix


def _validate_parts(text: str, parts: list[str]) -> None:
    """Shared rules of keys and prefixes, so both backends accept exactly the same names."""
    if text.startswith("/") or "\\" in text:
        raise ValueError(f"object key must be relative and use '/': {text!r}")
    if any(not ch.isprintable() for ch in text):
        raise ValueError(f"object key has control characters: {text!r}")
    if len(text.encode("utf-8", "surrogatepass")) > _MAX_KEY_BYTES:
        raise ValueError("object key is longer than 1024 bytes")
    for part in parts:
        if part in ("", ".", ".."):
            raise ValueError(f"object key has an empty, '.' or '..' part: {text!r}")
        if part.startswith(_TEMP_PREFIX):
            raise ValueError(f"object key uses a reserved name: {text!r}")


# --- local directory ----------------------------------------------------------------------------


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
            fd, temp_name = tempfile.mkstemp(dir=target.parent, prefix=_TEMP_PREFIX)
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
        _validate_prefix(prefix)
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
                if name.startswith(_TEMP_PREFIX) or not key.startswith(prefix):
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

    def check(self) -> None:
        """Create the root if needed and round-trip a probe file through it."""
        try:
            self.root.mkdir(mode=0o750, parents=True, exist_ok=True)
        except OSError as exc:
            raise StorageError(
                f"Папка хранилища недоступна: {self.root} ({exc.strerror or exc})"
            ) from exc
        _round_trip_probe(self)
        with contextlib.suppress(OSError):
            (self.root / _PROBE_PREFIX.rstrip("/")).rmdir()


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


def _round_trip_probe(store: ObjectStore) -> None:
    """Write, read back and delete a small unique object."""
    key = f"{_PROBE_PREFIX}{uuid.uuid4().hex}.probe"
    payload = f"privet-tui storage check {key}".encode()
    store.put(key, payload, "text/plain")
    try:
        if store.get(key) != payload:
            raise StorageError(
                f"Хранилище вернуло не те данные, что были записаны ({store.description})"
            )
    finally:
        store.delete(key)


# --- S3 / MinIO ---------------------------------------------------------------------------------


class S3Store:
    """Objects in an S3/MinIO bucket: created on first use, short timeouts, bounded retries."""

    def __init__(
        self,
        endpoint: str,
        access_key: str,
        secret_key: str,
        bucket: str,
        *,
        link_expiry: timedelta = timedelta(days=7),
        region: str | None = None,
        retries: int = 3,
        retry_budget: float = 3.0,
        connect_timeout: float = 2.0,
        read_timeout: float = 5.0,
    ) -> None:
        scheme, netloc = _parse_endpoint(endpoint)
        try:
            check_bucket_name(bucket, strict=True)
        except ValueError as exc:
            raise ConfigError(f"S3 bucket name {bucket!r} is invalid: {exc}") from None
        if not access_key or not secret_key:
            raise ConfigError("S3 needs both S3_ACCESS_KEY and S3_SECRET_KEY")
        if not timedelta(seconds=1) <= link_expiry <= _MAX_LINK_EXPIRY:
            raise ConfigError("S3 link expiry must be between 1 second and 7 days")
        if retries < 0 or retry_budget < 0:
            raise ValueError("retries and retry_budget must not be negative")
        self.endpoint = f"{scheme}://{netloc}"
        self.bucket = bucket
        self.description = f"s3 {self.endpoint} bucket {bucket}"
        self._region = region
        self._link_expiry = link_expiry
        self._retries = retries
        self._retry_budget = retry_budget
        # Our own pool: short timeouts, no urllib3 retries (ours are bounded in time below).
        http = urllib3.PoolManager(
            timeout=urllib3.Timeout(connect=connect_timeout, read=read_timeout),
            retries=False,
            maxsize=10,
            cert_reqs="CERT_REQUIRED",
            ca_certs=os.environ.get("SSL_CERT_FILE") or certifi.where(),
        )
        self._client = Minio(
            netloc,
            access_key=access_key,
            secret_key=secret_key,
            secure=scheme == "https",
            region=region,
            http_client=http,
        )
        self._bucket_ready = False
        self._bucket_lock = threading.Lock()

    def __repr__(self) -> str:
        return f"S3Store({self.description!r})"

    def put(self, key: str, data: bytes, content_type: str) -> None:
        """Upload with the given content type (the SDK goes multipart above 5 MiB)."""
        validate_key(key)
        self._ensure_bucket()
        self._call(
            lambda: self._client.put_object(
                self.bucket, key, io.BytesIO(data), len(data), content_type=content_type
            ),
            key,
        )

    def get(self, key: str) -> bytes:
        """Download the whole object; `ObjectNotFoundError` when absent."""
        validate_key(key)
        self._ensure_bucket()

        def fetch() -> bytes:
            response = self._client.get_object(self.bucket, key)
            try:
                return response.read()
            finally:
                response.close()
                response.release_conn()

        return self._call(fetch, key)

    def exists(self, key: str) -> bool:
        """HEAD the object."""
        validate_key(key)
        self._ensure_bucket()

        def stat() -> bool:
            try:
                self._client.stat_object(self.bucket, key)
            except S3Error as exc:
                if exc.code in _MISSING_OBJECT_CODES:
                    return False
                raise
            return True

        return self._call(stat, key)

    def delete(self, key: str) -> None:
        """Remove the object (S3 answers 204 for a missing key too)."""
        validate_key(key)
        self._ensure_bucket()

        def remove() -> None:
            try:
                self._client.remove_object(self.bucket, key)
            except S3Error as exc:
                if exc.code not in _MISSING_OBJECT_CODES:
                    raise

        self._call(remove, key)

    def list(self, prefix: str = "") -> Iterator[StoredObject]:
        """List recursively; a dropped connection resumes after the last key yielded."""
        _validate_prefix(prefix)
        self._ensure_bucket()
        last_key: str | None = None
        retry = _Retry(self)
        while True:
            try:
                for item in self._client.list_objects(
                    self.bucket, prefix=prefix or None, recursive=True, start_after=last_key
                ):
                    name = item.object_name
                    if name is None or name.endswith("/"):
                        continue
                    modified = item.last_modified or datetime.now(UTC)
                    yield StoredObject(name, item.size or 0, modified.astimezone(UTC))
                    last_key = name
                return
            except S3Error as exc:
                if exc.code not in _TRANSIENT_CODES:
                    raise self._refusal(exc, None) from exc
                retry.wait_or_raise(exc)
            except _TRANSPORT_ERRORS as exc:
                self._raise_if_final(exc)
                retry.wait_or_raise(exc)

    def link(self, key: str) -> str:
        """A presigned GET URL valid for `link_expiry` (signed locally once the region is known)."""
        validate_key(key)
        self._ensure_bucket()
        return self._call(
            lambda: self._client.presigned_get_object(self.bucket, key, expires=self._link_expiry),
            key,
        )

    def check(self) -> None:
        """Make sure the bucket exists and round-trip a probe object through it."""
        self._ensure_bucket()
        _round_trip_probe(self)

    def _ensure_bucket(self) -> None:
        """Create the bucket on first use, once per store (a lost race to create it is fine)."""
        if self._bucket_ready:
            return
        with self._bucket_lock:
            if not self._bucket_ready:
                self._call(self._create_bucket_if_missing, None)
                self._bucket_ready = True

    def _create_bucket_if_missing(self) -> None:
        # A GET carries an error body, unlike HEAD (bucket_exists), so wrong keys read as
        # InvalidAccessKeyId / SignatureDoesNotMatch rather than a bare 403.
        try:
            next(iter(self._client.list_objects(self.bucket, prefix=_PROBE_PREFIX)), None)
            return
        except S3Error as exc:
            if exc.code != "NoSuchBucket":
                raise
        log.info("creating bucket %s at %s", self.bucket, self.endpoint)
        try:
            if self._region:
                self._client.make_bucket(self.bucket, location=self._region)
            else:
                self._client.make_bucket(self.bucket)
        except S3Error as exc:
            if exc.code not in ("BucketAlreadyOwnedByYou", "BucketAlreadyExists"):
                raise

    def _call(self, operation: Callable[[], T], key: str | None) -> T:
        """Run one S3 operation, retrying connection and 5xx failures within the time budget."""
        retry = _Retry(self)
        while True:
            try:
                return operation()
            except S3Error as exc:
                if exc.code not in _TRANSIENT_CODES:
                    raise self._refusal(exc, key) from exc
                retry.wait_or_raise(exc)
            except _TRANSPORT_ERRORS as exc:
                self._raise_if_final(exc)
                retry.wait_or_raise(exc)

    def _raise_if_final(self, exc: Exception) -> None:
        """Failures no retry can fix: a TLS problem, or something that is not S3 at all."""
        if isinstance(exc, urllib3.exceptions.SSLError):
            raise StorageError(
                f"Хранилище {self.endpoint}: не удалось установить защищённое соединение (TLS)"
            ) from exc
        if isinstance(exc, InvalidResponseError):
            raise StorageError(
                f"По адресу {self.endpoint} отвечает не S3-хранилище: проверьте S3_ENDPOINT"
            ) from exc

    def _refusal(self, exc: S3Error, key: str | None) -> StorageError:
        """Turn an S3 error answer into a message a person can act on."""
        code = exc.code or "?"
        if code in _CREDENTIAL_CODES:
            return StorageError(
                "Хранилище отклонило ключи доступа (S3_ACCESS_KEY/S3_SECRET_KEY)",
                title="Хранилище: неверные ключи",
            )
        if code == "AccessDenied":
            return StorageError(
                f"Хранилище отказало в доступе к корзине {self.bucket}: "
                "проверьте права ключа S3_ACCESS_KEY"
            )
        if code in _MISSING_OBJECT_CODES and key is not None:
            return ObjectNotFoundError(f"Объект не найден в хранилище: {key}")
        if code == "NoSuchBucket":
            self._bucket_ready = False  # deleted behind our back: create it again next time
            return StorageError(f"Корзина {self.bucket} не найдена в хранилище {self.endpoint}")
        return StorageError(f"Хранилище {self.endpoint} отказало: {code}")


class _Retry:
    """Exponential backoff bounded by a count and a wall-clock budget, so outages fail fast."""

    _FIRST_DELAY: Final = 0.2

    def __init__(self, store: S3Store) -> None:
        self._store = store
        self._deadline = time.monotonic() + store._retry_budget
        self._attempt = 0

    def wait_or_raise(self, exc: Exception) -> None:
        """Sleep before the next attempt, or raise the final StorageError when out of budget."""
        self._attempt += 1
        delay = self._FIRST_DELAY * 2 ** (self._attempt - 1)
        if self._attempt > self._store._retries or time.monotonic() + delay > self._deadline:
            if isinstance(exc, ServerError | S3Error):
                raise StorageError(
                    f"Хранилище {self._store.endpoint} не справляется с запросами, попробуйте позже"
                ) from exc
            raise StorageError(f"Хранилище недоступно: {self._store.endpoint} не отвечает") from exc
        log.warning(
            "storage %s: %s, retry %d in %.1f s",
            self._store.endpoint,
            type(exc).__name__,
            self._attempt,
            delay,
        )
        time.sleep(delay)


def _parse_endpoint(endpoint: str) -> tuple[str, str]:
    """Split `http(s)://host[:port]` into the scheme and the host:port the minio SDK wants."""
    try:
        parts = urlsplit(endpoint.strip())
        port = parts.port
    except ValueError:
        raise ConfigError("S3_ENDPOINT is not a valid URL (expected http://host:9000)") from None
    if parts.username or parts.password:
        # Never echo the value back: it would print the credentials.
        raise ConfigError("S3_ENDPOINT must not contain user:password@; use S3_ACCESS_KEY")
    if (
        parts.scheme not in ("http", "https")
        or not parts.hostname
        or parts.path not in ("", "/")
        or parts.query
        or parts.fragment
    ):
        raise ConfigError(
            f"S3_ENDPOINT must look like http://host:9000 or https://host, got {endpoint!r}"
        )
    host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
    return parts.scheme, host if port is None else f"{host}:{port}"
