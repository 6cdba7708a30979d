"""What an S3 bucket does for uploads from a phone (a mixin of `S3Store`): sign a browser
POST policy locally, publish an object (the upload page, a per-link form) and keep the
bucket policy that lets anyone read exactly those public keys and nothing else.

`PublicUploads` is the capability a service checks for: the local store has none of it
(a phone cannot reach a folder on the workstation).
"""

from __future__ import annotations

import io
import json
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Final, Protocol, TypeVar, runtime_checkable

from minio.datatypes import PostPolicy
from minio.error import S3Error

from privet_tui.storage.keys import PHONE_FORM_ROOT, PHONE_PAGE_KEY, validate_key, validate_prefix

if TYPE_CHECKING:
    from minio import Minio

__all__ = ["PUBLIC_READ_SID", "PublicUploads", "PublicUploadsMixin", "public_read_statement"]

T = TypeVar("T")

#: The `Sid` of our one statement in the bucket policy (others' statements are kept).
PUBLIC_READ_SID: Final = "PrivetPhoneUploadPage"
#: The region a POST policy is signed for when the store has none configured (MinIO's and
#: moto's default); a fixed region is what lets signing go without a network call.
DEFAULT_REGION: Final = "us-east-1"


@runtime_checkable
class PublicUploads(Protocol):
    """A store phones can upload to directly (S3/MinIO)."""

    bucket: str

    def upload_form(
        self, prefix: str, *, max_bytes: int, expires_at: datetime, content_type: str = "image/"
    ) -> dict[str, str]:
        """Form fields of a browser POST allowed only under `prefix`, 1…`max_bytes` bytes, a
        Content-Type starting with `content_type`, until `expires_at` (UTC). No network call.
        The browser adds `key` (starting with `prefix`), `Content-Type` and `file`."""
        ...

    def publish(self, key: str, data: bytes, content_type: str) -> None:
        """Store an object meant to be read without credentials (the page, a per-link form);
        the bucket policy is made to allow that (`StorageError` when the key may not)."""


def public_read_statement(bucket: str) -> dict[str, Any]:
    """The bucket-policy statement: anonymous `s3:GetObject` on the page and the per-link
    forms only — no listing, and no other key (raw uploads stay private)."""
    return {
        "Sid": PUBLIC_READ_SID,
        "Effect": "Allow",
        "Principal": {"AWS": ["*"]},
        "Action": ["s3:GetObject"],
        "Resource": [
            f"arn:aws:s3:::{bucket}/{PHONE_PAGE_KEY}",
            f"arn:aws:s3:::{bucket}/{PHONE_FORM_ROOT}*",
        ],
    }


class PublicUploadsMixin:
    """`PublicUploads` for `S3Store` (uses its client, retries and bucket creation)."""

    if TYPE_CHECKING:
        bucket: str
        _client: Minio
        _region: str | None

        def _call(self, operation: Callable[[], T], key: str | None) -> T: ...

        def _ensure_bucket(self) -> None: ...

    _policy_ready: bool = False
    _policy_lock: Final = threading.Lock()

    def upload_form(
        self, prefix: str, *, max_bytes: int, expires_at: datetime, content_type: str = "image/"
    ) -> dict[str, str]:
        """See `PublicUploads.upload_form`."""
        validate_prefix(prefix)
        if not prefix.endswith("/") or max_bytes < 1 or expires_at.tzinfo is None:
            raise ValueError("upload_form(): a folder prefix, a positive size, an aware time")
        policy = PostPolicy(self.bucket, expires_at.astimezone(UTC).replace(tzinfo=None))
        policy.add_starts_with_condition("key", prefix)
        policy.add_starts_with_condition("Content-Type", content_type)
        policy.add_content_length_range_condition(1, max_bytes)
        provider = self._client._provider
        assert provider is not None  # S3Store always has keys
        fields: dict[str, str] = policy.form_data(
            provider.retrieve(), self._region or DEFAULT_REGION
        )
        return fields

    def publish(self, key: str, data: bytes, content_type: str) -> None:
        """See `PublicUploads.publish`; the page must never be cached stale by a phone."""
        validate_key(key)
        if key != PHONE_PAGE_KEY and not key.startswith(PHONE_FORM_ROOT):
            raise ValueError(f"only the phone page and forms are public, not {key!r}")
        self._ensure_bucket()
        self._ensure_public_read()
        self._call(
            lambda: self._client.put_object(
                self.bucket,
                key,
                io.BytesIO(data),
                len(data),
                content_type=content_type,
                metadata={"Cache-Control": "no-store"},
            ),
            key,
        )

    def _ensure_public_read(self) -> None:
        """Add our statement to the bucket policy (keeping any other), once per store."""
        if self._policy_ready:
            return
        with self._policy_lock:
            if not self._policy_ready:
                self._call(self._merge_policy, None)
                self._policy_ready = True

    def _merge_policy(self) -> None:
        try:
            current = json.loads(self._client.get_bucket_policy(self.bucket))
        except S3Error as exc:
            if exc.code != "NoSuchBucketPolicy":
                raise
            current = {"Version": "2012-10-17", "Statement": []}
        ours = public_read_statement(self.bucket)
        statements = current.get("Statement") or []
        if isinstance(statements, dict):
            statements = [statements]
        if ours in statements:
            return
        others = [
            s for s in statements if not (isinstance(s, dict) and s.get("Sid") == ours["Sid"])
        ]
        current["Statement"] = [*others, ours]
        current.setdefault("Version", "2012-10-17")
        self._client.set_bucket_policy(self.bucket, json.dumps(current))
