"""Photos from the master's phone: a short link (shown as a QR code) to an upload page served
from the bucket, and the collection of what arrives — the same pipeline as a local file.

Shape (no web server of ours anywhere):

* `u` — one static page (`privet_tui/data/phone_upload.html`, Russian, no framework), the
  same for every link, readable without credentials;
* `u/<token>` — one small JSON object per link holding the presigned POST form fields, the
  upload prefix, the expiry and the size limit; `<token>` is 128 random bits (22 URL-safe
  base64 characters), so the object cannot be guessed, and the bucket lets nobody list it;
* the link is `S3_PUBLIC_ENDPOINT/<bucket>/u#<token>`: about 65 characters, a version-4
  QR code (33 modules, 41 with the quiet zone: 41×21 cells in half blocks), where a whole
  presigned URL (≈ 600 characters) would need version 20+ and never fit in 80×24. The token
  is in the fragment, so the page stays one cacheable object and the token never reaches a
  proxy's access log as part of the page request;
* the page reads `u/<token>` and POSTs each file straight to the bucket (same origin as
  the page: no CORS rule needed) under `phone/{client_id}/{device_id}/{link_id}/`, which the
  signed policy enforces on real S3/MinIO together with `Content-Type` starting with
  `image/`, 1 byte … 30 MB, and the expiry (`PHONE_LINK_MINUTES`, 15 by default);
* raw uploads (GPS, the client's home) are never public: the bucket policy statement
  (`storage.s3_public.public_read_statement`) grants anonymous `s3:GetObject` on `u` and
  `u/*` only.

The workstation trusts nothing that arrives: `collect()` lists only its device's prefix,
refuses what is too big, arrived after its link expired or is not a photo (`prepare()`
judges every file), attaches the rest in one transaction per photo (audited with the
master, a duplicate refused as today) and deletes each raw upload once judged. `gc`
(`services.orphans`) removes raw uploads and per-link objects older than the link's life.

API (the gateway's `PhoneUploads` mixin wraps it for the TUI and the CLI):
`require_device(session, …)` then `create_link(store, settings, …) -> UploadLink`,
`collect(store, …, attach) -> list[UploadOutcome]`, `available(store, settings)`,
`PhoneUploadUnavailable` (the local store: what to configure), `MAX_UPLOAD_BYTES`.
"""

from __future__ import annotations

import json
import os
import secrets
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from importlib import resources
from pathlib import Path
from typing import Final

from sqlalchemy import select
from sqlalchemy.orm import Session

from privet_tui.config import Settings
from privet_tui.db.models.clients import MasterDevice
from privet_tui.errors import DatabaseError, NotFoundError, PrivetError, StorageError
from privet_tui.photos import MIB, PhotoError, PreparedPhoto, prepare
from privet_tui.services import workflow
from privet_tui.services.actor import Actor
from privet_tui.services.steps.device_photos import PhotoInfo
from privet_tui.storage.base import ObjectNotFoundError, ObjectStore, StoredObject
from privet_tui.storage.keys import (
    PHONE_PAGE_KEY,
    phone_form_key,
    phone_upload_prefix,
)
from privet_tui.storage.s3_public import PublicUploads

__all__ = [
    "MAX_UPLOAD_BYTES",
    "UNAVAILABLE_MESSAGE",
    "PhoneUploadUnavailable",
    "UploadLink",
    "UploadOutcome",
    "available",
    "collect",
    "create_link",
    "page_html",
    "require_device",
]

#: The largest file a phone may upload (the policy's content-length-range and our check).
MAX_UPLOAD_BYTES: Final = 30 * MIB
#: Random bytes of a link's token: 128 bits.
TOKEN_BYTES: Final = 16
#: Clock skew allowed between the bucket and this workstation when judging expiry.
_SKEW: Final = timedelta(seconds=30)
_MAX_NAME: Final = 120

UNAVAILABLE_MESSAGE: Final = (
    "Фото с телефона работают только с S3-хранилищем: задайте S3_ENDPOINT и "
    "S3_PUBLIC_ENDPOINT (docs/deploy.md). Пока добавьте файл из папки PHOTO_INBOX "
    "или командой privet-tui photos add."
)


class PhoneUploadUnavailable(PrivetError):
    """This deployment cannot take photos from a phone (the local store): the message says,
    in one Russian line, what to configure and which other ways work meanwhile."""

    title = "Фото с телефона недоступны"


@dataclass(frozen=True)
class UploadLink:
    """A link a phone opens to upload photos of one device.

    `url` — the short link for the QR code (`…/<bucket>/u#<token>`); `expires_at` — UTC,
    after which the bucket refuses uploads; `prefix` — the raw-upload folder of this link;
    `life` — how long links last (`PHONE_LINK_MINUTES`); `form_key` — the per-link object."""

    url: str
    expires_at: datetime
    prefix: str
    life: timedelta
    form_key: str


@dataclass(frozen=True)
class UploadOutcome:
    """One upload judged: `name` as the phone sent it, `attached`, `size_bytes` of the raw
    upload, `reason` (Russian) when refused, and the stored `photo` when attached."""

    name: str
    attached: bool
    size_bytes: int
    reason: str | None
    photo: PhotoInfo | None = None


def page_html() -> bytes:
    """The upload page's bytes (package data)."""
    return resources.files("privet_tui").joinpath("data/phone_upload.html").read_bytes()


def available(store: ObjectStore, settings: Settings) -> bool:
    """True when phones can upload here (an S3 store and a public endpoint)."""
    return isinstance(store, PublicUploads) and bool(settings.public_endpoint)


def create_link(
    store: ObjectStore,
    settings: Settings,
    client_id: int,
    device_id: int,
    *,
    at: datetime | None = None,
) -> UploadLink:
    """Publish the page and a per-link form valid for `PHONE_LINK_MINUTES` (call
    `require_device` first, in a transaction of its own: no row lock is held meanwhile).
    `PhoneUploadUnavailable` with the local store; `StorageError` when the bucket is down or
    refuses the public-read policy. Nothing is written to the database; the signing itself
    makes no network call."""
    if not isinstance(store, PublicUploads) or not settings.public_endpoint:
        raise PhoneUploadUnavailable(UNAVAILABLE_MESSAGE)
    life = timedelta(minutes=settings.phone_link_minutes)
    expires_at = ((at or datetime.now(UTC)) + life).astimezone(UTC).replace(microsecond=0)
    # The link id starts with the expiry (hex seconds), so `collect` can tell late arrivals.
    link_id = f"{int(expires_at.timestamp()):x}{secrets.token_hex(4)}"
    prefix = phone_upload_prefix(client_id, device_id, link_id)
    token = secrets.token_urlsafe(TOKEN_BYTES)
    form_key = phone_form_key(token)
    fields = store.upload_form(prefix, max_bytes=MAX_UPLOAD_BYTES, expires_at=expires_at)
    form = {
        "v": 1,
        "prefix": prefix,
        "expires": expires_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "max_bytes": MAX_UPLOAD_BYTES,
        "fields": fields,
    }
    store.publish(PHONE_PAGE_KEY, page_html(), "text/html; charset=utf-8")
    store.publish(form_key, json.dumps(form).encode(), "application/json")
    base = settings.public_endpoint.rstrip("/")
    url = f"{base}/{store.bucket}/{PHONE_PAGE_KEY}#{token}"
    return UploadLink(url, expires_at, prefix, life, form_key)


def require_device(session: Session, actor: Actor | None, client_id: int, device_id: int) -> None:
    """The step-3 guard without changing anything: the client is the actor's and editable,
    and the device is that client's."""
    client = workflow.lock_client(session, client_id, actor)
    workflow.require_editable(client)
    found = session.scalar(
        select(MasterDevice.id).where(
            MasterDevice.id == device_id, MasterDevice.client_id == client_id
        )
    )
    if found is None:
        raise NotFoundError("Устройство не найдено у этого клиента")


def pending_uploads(store: ObjectStore, client_id: int, device_id: int) -> list[StoredObject]:
    """Raw uploads waiting under the device's prefix, oldest first (`StorageError` when the
    store is down)."""
    found = list(store.list(phone_upload_prefix(client_id, device_id)))
    return sorted(found, key=lambda o: (o.modified, o.key))


def collect(
    store: ObjectStore,
    client_id: int,
    device_id: int,
    attach: Callable[[PreparedPhoto, str], PhotoInfo],
    *,
    on_outcome: Callable[[UploadOutcome], object] | None = None,
) -> list[UploadOutcome]:
    """Judge every raw upload of the device: `attach(prepared, name)` runs one transaction
    per photo (the gateway passes `device_photos.attach_photo` with the master); each raw
    upload is deleted once judged, attached or refused. `StorageError`/`DatabaseError`
    propagate with the current upload left in place for the next call."""
    outcomes: list[UploadOutcome] = []
    if not isinstance(store, PublicUploads):
        return outcomes
    device_prefix = phone_upload_prefix(client_id, device_id)
    for item in pending_uploads(store, client_id, device_id):
        outcome = _judge(store, item, device_prefix, attach)
        if outcome is None:
            continue
        store.delete(item.key)
        outcomes.append(outcome)
        if on_outcome is not None:
            on_outcome(outcome)
    return outcomes


def _judge(
    store: ObjectStore,
    item: StoredObject,
    device_prefix: str,
    attach: Callable[[PreparedPhoto, str], PhotoInfo],
) -> UploadOutcome | None:
    """One raw upload's outcome; None when it vanished (another terminal took it)."""
    link_id, _, rest = item.key[len(device_prefix) :].partition("/")
    name = _original_name(rest or link_id)

    def refused(reason: str) -> UploadOutcome:
        return UploadOutcome(name, False, item.size, reason)

    expires = _link_expiry(link_id)
    if expires is None or item.modified > expires + _SKEW:
        return refused("Ссылка уже не действовала, когда пришёл файл")
    if item.size > MAX_UPLOAD_BYTES:
        return refused(f"Файл больше {MAX_UPLOAD_BYTES // MIB} МБ")
    if item.size == 0:
        return refused("Файл пуст")
    try:
        data = store.get(item.key)
    except ObjectNotFoundError:
        return None
    try:
        prepared = _prepare_bytes(data, name)
    except PhotoError as exc:
        return refused(exc.message)
    try:
        photo = attach(prepared, name)
    except (StorageError, DatabaseError):
        raise
    except PrivetError as exc:
        return refused(exc.message)
    return UploadOutcome(name, True, item.size, None, photo)


def _prepare_bytes(data: bytes, name: str) -> PreparedPhoto:
    """`prepare()` on a private temporary copy (the pipeline reads files); messages name the
    phone's file, never the temporary path."""
    with tempfile.TemporaryDirectory(prefix="privet-phone-") as folder:
        path = Path(folder) / "upload"
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        try:
            return prepare(path, max_bytes=MAX_UPLOAD_BYTES)
        except PhotoError as exc:
            raise PhotoError(exc.message.replace(str(path), name)) from None


def _link_expiry(link_id: str) -> datetime | None:
    """The expiry a link id carries (its first 8 hex digits), None when malformed."""
    if len(link_id) != 16:
        return None
    try:
        return datetime.fromtimestamp(int(link_id[:8], 16), tz=UTC)
    except ValueError:
        return None


def _original_name(rest: str) -> str:
    """The file name the page put after its random `<hex>-` in the key, printable, bounded."""
    head, sep, tail = rest.partition("-")
    name = tail if sep and head.isalnum() else rest
    clean = "".join(ch for ch in name if ch.isprintable()).strip() or "фото"
    return clean[:_MAX_NAME]
