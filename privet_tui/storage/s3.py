"""The object store as an S3/MinIO bucket through the minio SDK: the bucket created on first
use, short timeouts, retries bounded in time, presigned links; the secret key never appears
in a message or a log line."""

from __future__ import annotations

import io
import logging
import os
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Final, TypeVar
from urllib.parse import urlsplit

import certifi
import urllib3
from minio import Minio
from minio.error import InvalidResponseError, S3Error, ServerError
from minio.helpers import check_bucket_name

from privet_tui.errors import ConfigError, StorageError
from privet_tui.storage.base import (
    PROBE_PREFIX,
    ObjectNotFoundError,
    SharedLink,
    StoredObject,
    round_trip_probe,
)
from privet_tui.storage.keys import validate_key, validate_prefix
from privet_tui.storage.s3_public import PublicUploadsMixin

__all__ = ["S3Store"]

log = logging.getLogger(__name__)

T = TypeVar("T")

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


class S3Store(PublicUploadsMixin):
    """Objects in an S3/MinIO bucket: created on first use, short timeouts, bounded retries;
    phones may upload to it directly (`PublicUploadsMixin`)."""

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
        validate_prefix(prefix)
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

    def shareable_link(self, key: str) -> SharedLink:
        """The presigned link of `link()` with the moment it stops working (UTC): a client's
        app shows it and, past it, asks for a fresh one by the object key."""
        expires_at = datetime.now(UTC) + self._link_expiry
        return SharedLink(self.link(key), expires_at.replace(microsecond=0))

    def check(self) -> None:
        """Make sure the bucket exists and round-trip a probe object through it."""
        self._ensure_bucket()
        round_trip_probe(self)

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
            next(iter(self._client.list_objects(self.bucket, prefix=PROBE_PREFIX)), None)
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
