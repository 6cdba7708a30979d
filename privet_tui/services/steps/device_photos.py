"""Step 3, the photos of a device: prepare → upload → one transaction recording the row.

The upload happens before the commit that references it. If that commit fails the object
is an orphan that `services.orphans.collect_garbage()` removes later.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from uuid import uuid4

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from privet_tui.db.models.clients import MasterDevice, MasterDevicePhoto
from privet_tui.errors import NotFoundError, ValidationError
from privet_tui.photos import PreparedPhoto
from privet_tui.services import audit, workflow
from privet_tui.services.actor import Actor
from privet_tui.storage.base import ObjectStore
from privet_tui.storage.keys import photo_key

DUPLICATE_MESSAGE = "Это фото уже добавлено к устройству"
PHOTO_GONE_MESSAGE = "Фото не найдено - возможно, его уже удалили"


@dataclass(frozen=True)
class PhotoInfo:
    """A stored device photo as screens list it."""

    id: int
    device_id: int
    key: str
    width: int
    height: int
    bytes: int
    sha256: str
    original_name: str | None
    created_at: datetime


@dataclass(frozen=True)
class PhotoRemoved:
    """A removed photo: its id, its device, and the store key now left for `gc`."""

    photo_id: int
    device_id: int
    orphaned_key: str


@dataclass(frozen=True)
class PhotoOutcome:
    """One file of a batch: the stored photo, or the Russian reason it was not stored."""

    path: Path
    photo: PhotoInfo | None
    error: str | None

    @property
    def ok(self) -> bool:
        return self.photo is not None


def attach_photo(
    session: Session,
    store: ObjectStore,
    actor: Actor | None,
    client_id: int,
    device_id: int,
    prepared: PreparedPhoto,
    original_name: str | None = None,
) -> PhotoInfo:
    """Upload a prepared photo and record it on the device, in the caller's transaction; like
    every edit of steps 1–4, a new photo voids a contract awaiting signature."""
    edit, device = _editable_device(session, actor, client_id, device_id)
    duplicate = session.scalar(
        select(MasterDevicePhoto.id).where(
            MasterDevicePhoto.device_id == device.id,
            MasterDevicePhoto.sha256 == prepared.sha256,
        )
    )
    if duplicate is not None:
        raise ValidationError(DUPLICATE_MESSAGE, field="photo")
    _change(edit)
    key = photo_key(client_id, device.id, uuid4().hex)
    store.put(key, prepared.data, prepared.content_type)
    row = MasterDevicePhoto(
        device_id=device.id,
        file_key=key,
        content_type=prepared.content_type,
        width=prepared.width,
        height=prepared.height,
        bytes=prepared.size,
        sha256=prepared.sha256,
        original_name=original_name,
    )
    try:
        with session.begin_nested():
            session.add(row)
            session.flush()
    except IntegrityError:
        # The same photo won a race from another terminal; our upload is left for gc.
        raise ValidationError(DUPLICATE_MESSAGE, field="photo") from None
    audit.record_event(
        session,
        client_id,
        actor,
        "device.photo_added",
        f"Фото добавлено к устройству «{device.brand} {device.model}»",
        {"device_id": device.id, "photo_id": row.id},
    )
    return _info(row)


def list_photos(session: Session, device_id: int) -> list[PhotoInfo]:
    rows = session.scalars(
        select(MasterDevicePhoto)
        .where(MasterDevicePhoto.device_id == device_id)
        .order_by(MasterDevicePhoto.id)
    )
    return [_info(r) for r in rows]


def photo_bytes(session: Session, store: ObjectStore, photo_id: int) -> bytes:
    """The stored JPEG of a photo (for the in-terminal preview)."""
    key = session.scalar(select(MasterDevicePhoto.file_key).where(MasterDevicePhoto.id == photo_id))
    if key is None:
        raise NotFoundError("Фото не найдено")
    return store.get(key)


def remove_photo(
    session: Session, actor: Actor | None, client_id: int, photo_id: int
) -> PhotoRemoved:
    """Delete one photo of one of the client's devices, in the caller's transaction, audited
    with `actor`; like every edit of steps 1–4 it voids a contract awaiting signature.

    The stored object is left for `gc`, as a removed device's photos are (the commit might
    still fail). NotFoundError when the photo is gone (another terminal removed it) or is not
    this client's; the step guard's AuthError / StateError for someone else's or a signed client.
    """
    device_id = session.scalar(
        select(MasterDevicePhoto.device_id).where(MasterDevicePhoto.id == photo_id)
    )
    if device_id is None:
        raise NotFoundError(PHOTO_GONE_MESSAGE)
    edit, device = _editable_device(session, actor, client_id, device_id)
    removed = session.execute(
        delete(MasterDevicePhoto)
        .where(MasterDevicePhoto.id == photo_id, MasterDevicePhoto.device_id == device.id)
        .returning(MasterDevicePhoto.file_key, MasterDevicePhoto.original_name)
    ).first()
    if removed is None:  # removed by another terminal after the first read
        raise NotFoundError(PHOTO_GONE_MESSAGE)
    key, name = removed
    _change(edit)
    label = f"«{name}» " if name else ""
    audit.record_event(
        session,
        client_id,
        actor,
        "device.photo_removed",
        f"Фото {label}удалено с устройства «{device.brand} {device.model}»",
        {"device_id": device.id, "photo_id": photo_id},
    )
    return PhotoRemoved(photo_id=photo_id, device_id=device.id, orphaned_key=key)


def _editable_device(
    session: Session, actor: Actor | None, client_id: int, device_id: int
) -> tuple[workflow.StepEdit, MasterDevice]:
    """The step guard, then the device of that client (locked), or NotFoundError."""
    edit = workflow.begin_step_edit(session, actor, client_id, None)
    device = session.scalar(
        select(MasterDevice)
        .where(MasterDevice.id == device_id, MasterDevice.client_id == client_id)
        .with_for_update()
    )
    if device is None:
        raise NotFoundError("Устройство не найдено у этого клиента")
    return edit, device


def _change(edit: workflow.StepEdit) -> None:
    """Void an unsigned contract; when that moved the client back to work, say so to others."""
    status = edit.client.status
    client = edit.change()
    if client.status != status:
        workflow.touch(edit.session, client)


def _info(row: MasterDevicePhoto) -> PhotoInfo:
    return PhotoInfo(
        id=row.id,
        device_id=row.device_id,
        key=row.file_key,
        width=row.width,
        height=row.height,
        bytes=row.bytes,
        sha256=row.sha256,
        original_name=row.original_name,
        created_at=row.created_at,
    )


def photo_count(session: Session, device_id: int) -> int:
    return session.scalar(select(func.count()).where(MasterDevicePhoto.device_id == device_id)) or 0
