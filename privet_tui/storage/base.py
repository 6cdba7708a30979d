"""What every object store is: the `ObjectStore` interface that services use, the listing
record, the not-found error and the health-check probe both backends share.

Stores know nothing of rows or settings: the caller passes the endpoint, keys and root.
Failures a person can act on are `StorageError`s in Russian.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Final, Protocol, runtime_checkable

from privet_tui.errors import StorageError

__all__ = [
    "PROBE_PREFIX",
    "ObjectNotFoundError",
    "ObjectStore",
    "SharedLink",
    "StoredObject",
    "round_trip_probe",
]

#: Where `check()` writes its probe objects.
PROBE_PREFIX: Final = ".privet-check/"


class ObjectNotFoundError(StorageError):
    """The key is not in the store (a `get` of a deleted or never written object)."""

    title = "Не найдено"


@dataclass(frozen=True)
class StoredObject:
    """One object as listed: its key, size in bytes and last modification (UTC)."""

    key: str
    size: int
    modified: datetime


@dataclass(frozen=True)
class SharedLink:
    """A URL another device can fetch an object from until `expires_at` (UTC): what a
    client's message may carry, unlike a local path."""

    url: str
    expires_at: datetime


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
        """A URL the object can be fetched from on this workstation (presigned for S3, file://
        locally): for the master's own screens."""
        ...

    def shareable_link(self, key: str) -> SharedLink | None:
        """A link someone else (the client's phone) can open, or None when the store has no
        such thing (a local directory): the caller then says where the document is instead."""
        ...

    def check(self) -> None:
        """Prove the store is reachable and writable (write, read, delete a probe) or raise."""


def round_trip_probe(store: ObjectStore) -> None:
    """Write, read back and delete a small unique object."""
    key = f"{PROBE_PREFIX}{uuid.uuid4().hex}.probe"
    payload = f"privet-tui storage check {key}".encode()
    store.put(key, payload, "text/plain")
    try:
        if store.get(key) != payload:
            raise StorageError(
                f"Хранилище вернуло не те данные, что были записаны ({store.description})"
            )
    finally:
        store.delete(key)
