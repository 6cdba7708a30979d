"""Step 3 «Устройства»: the client's devices (add, edit, remove, list) on the database side.

Every change goes through `workflow.begin_step_edit` (read-only after signing, an
unsigned contract is voided) and drops an already applied tariff calculation, because the
surcharge depends on the devices. Removing a device deletes its photo rows; the objects stay
in the store until `privet-tui gc` finds them orphaned. Photo upload is the photo service's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from privet_tui.db.legacy import LegacyDevice
from privet_tui.db.models.billing import MasterClientTariff
from privet_tui.db.models.clients import MasterClient, MasterDevice, MasterDevicePhoto
from privet_tui.errors import NotFoundError
from privet_tui.services import audit, workflow
from privet_tui.services.actor import Actor
from privet_tui.services.rules.catalog import (
    DeviceInput,
    category_label,
    validate_device,
)
from privet_tui.services.rules.validation import ErrorCollector, FieldErrors

__all__ = [
    "AppDeviceRow",
    "DeviceRemoved",
    "DeviceRow",
    "DeviceSaved",
    "add_device",
    "drop_applied_tariff",
    "get_device",
    "list_app_devices",
    "list_devices",
    "remove_device",
    "update_device",
]

#: The step number of this module in `workflow.STEPS`.
STEP = 3
_FIELDS = ("category", "brand", "model", "serial", "legacy_device_id")


@dataclass(frozen=True)
class DeviceRow:
    """A registered device as lists, cards and the photo screen show it."""

    id: int
    client_id: int
    category: str
    category_label: str
    brand: str
    model: str
    serial: str | None
    legacy_device_id: int | None
    photo_count: int
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class AppDeviceRow:
    """A device the client listed in the client app (a registered device may link to it)."""

    id: int
    title: str | None
    kind: str | None
    serial: str | None


@dataclass(frozen=True)
class DeviceSaved:
    """The outcome of adding a device: its id and the client's new version."""

    device_id: int
    version: int


@dataclass(frozen=True)
class DeviceRemoved:
    """The outcome of removing a device: the client's new version and the now-orphaned keys."""

    version: int
    orphaned_keys: tuple[str, ...]


def _rows(session: Session, client_id: int, device_id: int | None = None) -> list[DeviceRow]:
    """Load devices of a client (or one of them) with their photo counts in one query."""
    photos = (
        select(func.count(MasterDevicePhoto.id))
        .where(MasterDevicePhoto.device_id == MasterDevice.id)
        .scalar_subquery()
    )
    stmt = select(MasterDevice, photos).where(MasterDevice.client_id == client_id)
    if device_id is not None:
        stmt = stmt.where(MasterDevice.id == device_id)
    return [
        DeviceRow(
            id=d.id,
            client_id=d.client_id,
            category=d.category,
            category_label=category_label(d.category),
            brand=d.brand,
            model=d.model,
            serial=d.serial,
            legacy_device_id=d.legacy_device_id,
            photo_count=int(count),
            created_at=d.created_at,
            updated_at=d.updated_at,
        )
        for d, count in session.execute(stmt.order_by(MasterDevice.id)).all()
    ]


def list_devices(session: Session, actor: Actor, client_id: int) -> list[DeviceRow]:
    """Return the client's devices in the order they were added (any master may read them)."""
    if session.get(MasterClient, client_id) is None:
        raise NotFoundError("Клиент не найден")
    return _rows(session, client_id)


def list_app_devices(session: Session, user_id: int) -> list[AppDeviceRow]:
    """Return the devices the user listed in the client app (read-only legacy rows)."""
    stmt = select(LegacyDevice).where(LegacyDevice.user_id == user_id).order_by(LegacyDevice.id)
    return [AppDeviceRow(d.id, d.title, d.kind, d.serial) for d in session.scalars(stmt)]


def get_device(
    session: Session,
    actor: Actor,
    client_id: int,
    device_id: int,
    *,
    for_edit: bool = False,
    expected_version: int | None = None,
) -> DeviceRow:
    """Return one device of the client; with `for_edit` also lock the client and check that
    `actor` holds it and steps 1–4 are editable (nothing is voided or written here)."""
    if for_edit:
        workflow.begin_step_edit(session, actor, client_id, expected_version)
    elif session.get(MasterClient, client_id) is None:
        raise NotFoundError("Клиент не найден")
    found = _rows(session, client_id, device_id)
    if not found:
        raise NotFoundError("Устройство не найдено")
    return found[0]


def drop_applied_tariff(session: Session, client: MasterClient, actor: Actor) -> bool:
    """Delete the client's applied tariff calculation (it no longer matches) and log it."""
    dropped = session.execute(
        delete(MasterClientTariff)
        .where(MasterClientTariff.client_id == client.id)
        .returning(MasterClientTariff.id)
    ).first()
    if dropped is None:
        return False
    audit.record_event(
        session,
        client.id,
        actor,
        "tariff.dropped",
        "Расчёт тарифа сброшен: изменились устройства — примените тариф заново",
    )
    return True


def _validated(
    session: Session, client: MasterClient, device: DeviceInput, legacy_device_id: int | None
) -> DeviceInput:
    """Validate the typed device and the legacy link together, reporting every field at once."""
    check = ErrorCollector()
    clean = None
    try:
        clean = validate_device(device)
    except FieldErrors as exc:
        check.errors.update(exc.errors)
    if legacy_device_id is not None:
        owner = session.scalar(
            select(LegacyDevice.user_id).where(LegacyDevice.id == legacy_device_id)
        )
        if owner != client.user_id:
            check.errors["legacy_device_id"] = "Это устройство из приложения не принадлежит клиенту"
    check.raise_if_any(order=("category", "brand", "model", "serial", "legacy_device_id"))
    assert clean is not None
    return clean


def _changed(session: Session, client: MasterClient, actor: Actor) -> int:
    """Finish a device change: drop the now stale tariff calculation and bump the version."""
    drop_applied_tariff(session, client, actor)
    workflow.touch(session, client)
    return client.version


def add_device(
    session: Session,
    actor: Actor,
    client_id: int,
    expected_version: int,
    device: DeviceInput,
    *,
    legacy_device_id: int | None = None,
) -> DeviceSaved:
    """Register a device for the client, optionally linked to a device from the client app."""
    edit = workflow.begin_step_edit(session, actor, client_id, expected_version)
    clean = _validated(session, edit.client, device, legacy_device_id)
    client = edit.change()
    row = MasterDevice(
        client_id=client.id,
        category=clean.category,
        brand=clean.brand,
        model=clean.model,
        serial=clean.serial,
        legacy_device_id=legacy_device_id,
    )
    session.add(row)
    session.flush()
    audit.record_event(
        session,
        client.id,
        actor,
        "device.added",
        f"Добавлено устройство: {category_label(clean.category)} {clean.brand} {clean.model}",
        {"device_id": row.id, "category": clean.category},
    )
    client.current_step = max(client.current_step, STEP + 1)
    return DeviceSaved(device_id=row.id, version=_changed(session, client, actor))


def _locked_device(session: Session, client: MasterClient, device_id: int) -> MasterDevice:
    """Load one device of the (already locked) client FOR UPDATE, or refuse."""
    device = session.scalar(
        select(MasterDevice)
        .where(MasterDevice.id == device_id, MasterDevice.client_id == client.id)
        .with_for_update()
    )
    if device is None:
        raise NotFoundError("Устройство не найдено — возможно, его уже удалили")
    return device


def update_device(
    session: Session,
    actor: Actor,
    client_id: int,
    expected_version: int,
    device_id: int,
    device: DeviceInput,
    *,
    legacy_device_id: int | None = None,
) -> int:
    """Change a device's fields (and legacy link); an unchanged form writes nothing.

    Returns the client's version after the save.
    """
    edit = workflow.begin_step_edit(session, actor, client_id, expected_version)
    client = edit.client
    row = _locked_device(session, client, device_id)
    clean = _validated(session, client, device, legacy_device_id)
    before = (row.category, row.brand, row.model, row.serial, row.legacy_device_id)
    after = (clean.category, clean.brand, clean.model, clean.serial, legacy_device_id)
    if before == after:
        return client.version
    edit.change()
    row.category, row.brand, row.model, row.serial, row.legacy_device_id = after
    row.updated_at = workflow.now()
    fields = [name for name, old, new in zip(_FIELDS, before, after, strict=True) if old != new]
    audit.record_event(
        session,
        client.id,
        actor,
        "device.updated",
        f"Изменено устройство: {category_label(clean.category)} {clean.brand} {clean.model}",
        {"device_id": row.id, "fields": fields},
    )
    return _changed(session, client, actor)


def remove_device(
    session: Session, actor: Actor, client_id: int, expected_version: int, device_id: int
) -> DeviceRemoved:
    """Delete a device and its photo rows; the photo objects are left for `gc`."""
    edit = workflow.begin_step_edit(session, actor, client_id, expected_version)
    row = _locked_device(session, edit.client, device_id)
    client = edit.change()
    keys = tuple(
        session.execute(
            delete(MasterDevicePhoto)
            .where(MasterDevicePhoto.device_id == row.id)
            .returning(MasterDevicePhoto.file_key)
        ).scalars()
    )
    label = f"{category_label(row.category)} {row.brand} {row.model}"
    session.execute(delete(MasterDevice).where(MasterDevice.id == row.id))
    session.expire(client, ["devices"])
    audit.record_event(
        session,
        client.id,
        actor,
        "device.removed",
        f"Удалено устройство: {label} (фото: {len(keys)})",
        {"device_id": device_id, "photos": len(keys)},
    )
    return DeviceRemoved(version=_changed(session, client, actor), orphaned_keys=keys)
