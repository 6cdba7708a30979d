"""Device photos: prepare → upload → one transaction recording the row; and `gc`.

The upload happens before the commit that references it. If that commit fails the object
is an orphan: `collect_garbage()` removes objects no row references once they are older
than a grace period (so an upload whose commit is still in flight is never touched).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from uuid import uuid4

from sqlalchemy import CompoundSelect, func, select, union
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from privet_tui.db.engine import Database
from privet_tui.db.models import (
    MasterClient,
    MasterContract,
    MasterDevice,
    MasterDevicePhoto,
    MasterInvoice,
)
from privet_tui.errors import NotFoundError, PrivetError, StateError, ValidationError
from privet_tui.photos import PreparedPhoto, prepare
from privet_tui.services import audit
from privet_tui.services.actor import Actor
from privet_tui.services.workflow import EDITABLE_STATUSES, now
from privet_tui.storage import ObjectStore, photo_key

DUPLICATE_MESSAGE = "Это фото уже добавлено к устройству"
GC_GRACE = timedelta(hours=1)


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
    """Upload a prepared photo and record it on the device, in the caller's transaction."""
    device = _editable_device(session, actor, client_id, device_id)
    duplicate = session.scalar(
        select(MasterDevicePhoto.id).where(
            MasterDevicePhoto.device_id == device.id,
            MasterDevicePhoto.sha256 == prepared.sha256,
        )
    )
    if duplicate is not None:
        raise ValidationError(DUPLICATE_MESSAGE, field="photo")
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


def attach_files(
    db: Database,
    store: ObjectStore,
    actor: Actor | None,
    client_id: int,
    device_id: int,
    paths: Iterable[str | os.PathLike[str]],
    *,
    on_progress: Callable[[int, int, PhotoOutcome], None] | None = None,
) -> list[PhotoOutcome]:
    """Prepare and attach each file in its own transaction: one bad file stops nothing."""
    sources = [Path(p) for p in paths]
    outcomes: list[PhotoOutcome] = []
    for done, source in enumerate(sources, start=1):
        try:
            prepared = prepare(source)
            with db.transaction() as session:
                photo = attach_photo(
                    session, store, actor, client_id, device_id, prepared, source.name
                )
            outcome = PhotoOutcome(source, photo, None)
        except PrivetError as exc:
            outcome = PhotoOutcome(source, None, exc.message)
        outcomes.append(outcome)
        if on_progress is not None:
            on_progress(done, len(sources), outcome)
    return outcomes


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


def remove_photo(session: Session, actor: Actor | None, client_id: int, photo_id: int) -> None:
    """Delete the row; the object stays until `gc` (the commit might still fail)."""
    row = session.get(MasterDevicePhoto, photo_id)
    if row is None:
        raise NotFoundError("Фото не найдено")
    _editable_device(session, actor, client_id, row.device_id)
    session.delete(row)
    audit.record_event(
        session, client_id, actor, "device.photo_removed", "Фото удалено", {"photo_id": photo_id}
    )


def referenced_keys(session: Session) -> set[str]:
    """Every object key some row points at: photos, contract PDFs, invoice PDFs."""
    query: CompoundSelect[tuple[str | None]] = union(
        select(MasterDevicePhoto.file_key),
        select(MasterContract.draft_key),
        select(MasterContract.signed_key).where(MasterContract.signed_key.is_not(None)),
        select(MasterInvoice.pdf_key),
    )
    return {k for k in session.scalars(select(query.subquery().c[0])) if k}


def collect_garbage(
    session: Session,
    store: ObjectStore,
    *,
    grace: timedelta = GC_GRACE,
    dry_run: bool = False,
    at: datetime | None = None,
) -> list[str]:
    """Remove (or with `dry_run` only list) unreferenced objects older than `grace`."""
    cutoff = (at or now()) - grace
    keep = referenced_keys(session)
    orphans = [
        obj.key for obj in store.list("clients/") if obj.key not in keep and obj.modified < cutoff
    ]
    if not dry_run:
        for key in orphans:
            store.delete(key)
    return orphans


def _editable_device(
    session: Session, actor: Actor | None, client_id: int, device_id: int
) -> MasterDevice:
    device = session.scalar(
        select(MasterDevice).where(
            MasterDevice.id == device_id, MasterDevice.client_id == client_id
        )
    )
    if device is None:
        raise NotFoundError("Устройство не найдено у этого клиента")
    client = session.get(MasterClient, client_id)
    assert client is not None
    if client.status not in EDITABLE_STATUSES:
        raise StateError("Фото нельзя менять: договор уже подписан или работа закрыта")
    if (
        actor is not None
        and not actor.is_admin
        and client.assigned_master_id not in (None, actor.id)
    ):
        raise StateError("Клиент в работе у другого мастера")
    return device


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
