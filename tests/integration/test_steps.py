"""Steps 1–3 on a real PostgreSQL: contacts, passport (with the audited full view) and devices,
plus the rules every step shares: version checks, read-only after signing, and voiding the
unsigned contract on a change."""

from __future__ import annotations

import hashlib
import io
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import func, select, update

from privet_tui.db.engine import Database
from privet_tui.db.legacy import LegacyDevice, LegacyUser
from privet_tui.db.models.billing import MasterContract
from privet_tui.db.models.clients import MasterClient, MasterDevicePhoto
from privet_tui.db.models.support import MasterSupportMessage
from privet_tui.errors import AuthError, ConflictError, NotFoundError, StateError
from privet_tui.photos import PreparedPhoto
from privet_tui.services.actor import Actor
from privet_tui.services.clients.card import client_card
from privet_tui.services.clients.claims import claim_client
from privet_tui.services.rules.catalog import DeviceInput
from privet_tui.services.rules.passport import PassportInput
from privet_tui.services.rules.validation import ContactInput, FieldErrors
from privet_tui.services.steps import tariff as tariffs
from privet_tui.services.steps.contacts import save_contacts
from privet_tui.services.steps.device_photos import attach_photo
from privet_tui.services.steps.devices import (
    add_device,
    get_device,
    list_devices,
    remove_device,
    update_device,
)
from privet_tui.services.steps.passport import passport_summary, reveal_passport, save_passport
from privet_tui.storage.local import LocalStore

TODAY = date(2026, 1, 15)
CONTACTS = ContactInput("петров иван сергеевич", "8 916 123-45-67", "ivan@example.ru", "Москва")
PASSPORT = PassportInput(
    series="45 10",
    number="123678",
    issue_date="15.06.2015",
    issued_by="ОВД района Хамовники г. Москвы",
    department_code="770-001",
    birth_date="05.03.1990",
    birth_place="г. Москва",
    registration_address="г. Москва, ул. Ленина, д. 1, кв. 2",
)


@pytest.fixture
def client_id(db: Database, master: Actor, user_id: int) -> int:
    with db.transaction() as s:
        found = claim_client(s, master, user_id).client_id
    assert found is not None
    return found


def _version(db: Database, client_id: int) -> int:
    with db.reading() as s:
        return s.scalar(select(MasterClient.version).where(MasterClient.id == client_id)) or 0


def _events(db: Database, action: str | None = None) -> list[tuple[str, str, str]]:
    """(action, body, payload as text) of the audit log, oldest first."""
    with db.reading() as s:
        stmt = select(MasterSupportMessage).order_by(MasterSupportMessage.id)
        if action:
            stmt = stmt.where(MasterSupportMessage.action == action)
        return [(m.action, m.body, str(m.payload or {})) for m in s.scalars(stmt)]


def _set_status(db: Database, client_id: int, status: str) -> None:
    with db.transaction() as s:
        s.execute(update(MasterClient).where(MasterClient.id == client_id).values(status=status))


def _add_contract(db: Database, client_id: int, master: Actor) -> None:
    _set_status(db, client_id, "awaiting_signature")
    with db.transaction() as s:
        s.add(
            MasterContract(
                client_id=client_id,
                number="ПМ-2026-000042",
                snapshot={},
                total_due=Decimal("990.00"),
                draft_key="clients/1/contracts/draft.pdf",
                draft_sha256="0" * 64,
                otp_hash="hash",
                created_by_id=master.id,
            )
        )


# --- step 1 -------------------------------------------------------------------------------


def test_contacts_saved_normalised_and_unchanged_form_writes_nothing(
    db: Database, master: Actor, client_id: int
) -> None:
    with db.transaction() as s:
        version = save_contacts(s, master, client_id, 1, CONTACTS)
    assert version == 2
    with db.reading() as s:
        card = client_card(s, master, client_id=client_id)
    assert (card.full_name, card.phone, card.email, card.address) == (
        "Петров Иван Сергеевич",
        "+79161234567",
        "ivan@example.ru",
        "Москва",
    )
    assert card.steps[0].state == "done"
    with db.transaction() as s:
        assert save_contacts(s, master, client_id, 2, CONTACTS) == 2
    assert len(_events(db, "contacts.saved")) == 1


def test_contacts_report_every_bad_field_and_write_nothing(
    db: Database, master: Actor, client_id: int
) -> None:
    bad = ContactInput("петров", "+7 701 123 45 67", "ivan@", "  ")
    with pytest.raises(FieldErrors) as caught, db.transaction() as s:
        save_contacts(s, master, client_id, 1, bad)
    assert set(caught.value.errors) == {"full_name", "phone", "email", "address"}
    assert "Казахстан" in caught.value.errors["phone"]
    assert _version(db, client_id) == 1
    assert _events(db, "contacts.saved") == []


def test_stale_version_and_other_master_are_refused(
    db: Database, master: Actor, other_master: Actor, client_id: int
) -> None:
    with db.transaction() as s:
        save_contacts(s, master, client_id, 1, CONTACTS)
    stale = replace(CONTACTS, address="Санкт-Петербург")
    with pytest.raises(ConflictError) as caught, db.transaction() as s:
        save_contacts(s, master, client_id, 1, stale)
    assert str(caught.value) == f"Данные клиента изменил мастер {master.name} — обновите"
    held = f"в работе у мастера {master.name}"
    with pytest.raises(ConflictError, match=held), db.transaction() as s:
        save_contacts(s, other_master, client_id, 2, stale)
    with db.reading() as s:
        assert client_card(s, master, client_id=client_id).address == "Москва"


def test_steps_are_read_only_after_signing(db: Database, master: Actor, client_id: int) -> None:
    with db.transaction() as s:
        tariffs.ensure_default_tariffs(s)
        tariff_id = tariffs.list_tariffs(s)[0].id
        device_id = add_device(s, master, client_id, 1, DeviceInput("tv", "LG", "OLED")).device_id
    _set_status(db, client_id, "signed")
    version = _version(db, client_id)
    attempts = [
        lambda s: save_contacts(s, master, client_id, version, CONTACTS),
        lambda s: save_passport(s, master, client_id, version, PASSPORT, today=TODAY),
        lambda s: add_device(s, master, client_id, version, DeviceInput("ac", "LG", "X")),
        lambda s: update_device(
            s, master, client_id, version, device_id, DeviceInput("tv", "LG", "OLED")
        ),
        lambda s: remove_device(s, master, client_id, version, device_id),
        lambda s: tariffs.apply_tariff(s, master, client_id, version, tariff_id),
        lambda s: get_device(s, master, client_id, device_id, for_edit=True),
    ]
    for attempt in attempts:
        with pytest.raises(StateError, match="Подписан"), db.transaction() as s:
            attempt(s)
    assert _version(db, client_id) == version
    with db.reading() as s:
        assert get_device(s, master, client_id, device_id).brand == "LG"  # reading is fine


def test_a_change_voids_the_contract_awaiting_signature(
    db: Database, master: Actor, client_id: int
) -> None:
    _add_contract(db, client_id, master)
    with db.transaction() as s:
        save_contacts(s, master, client_id, 1, CONTACTS)
    with db.reading() as s:
        contract = s.execute(
            select(MasterContract.status, MasterContract.otp_hash, MasterContract.void_reason)
        ).one()
        status = s.scalar(select(MasterClient.status))
    assert tuple(contract) == ("voided", None, "изменены данные клиента")
    assert status == "in_progress"
    assert [body for _, body, _ in _events(db, "contract.voided")] == [
        "Договор ПМ-2026-000042 аннулирован: изменены данные клиента"
    ]


def test_an_unchanged_form_does_not_void_the_contract(
    db: Database, master: Actor, client_id: int
) -> None:
    with db.transaction() as s:
        save_contacts(s, master, client_id, 1, CONTACTS)
    _add_contract(db, client_id, master)
    with db.transaction() as s:
        save_contacts(s, master, client_id, 2, CONTACTS)
    with db.reading() as s:
        assert s.scalar(select(MasterContract.status)) == "awaiting_signature"


def _photo(colour: tuple[int, int, int] = (200, 40, 40)) -> PreparedPhoto:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), colour).save(buffer, "JPEG")
    return PreparedPhoto(
        data=buffer.getvalue(),
        width=64,
        height=48,
        sha256=hashlib.sha256(buffer.getvalue()).hexdigest(),
    )


def test_a_photo_goes_through_the_same_guard_as_every_step(
    db: Database, master: Actor, other_master: Actor, client_id: int, tmp_path: Path
) -> None:
    """The one step guard: a photo voids the unsigned contract like any edit of steps 1–4,
    another master is refused with the same conflict, a closed client with the same state."""
    store = LocalStore(tmp_path / "objects")
    with db.transaction() as s:
        device_id = add_device(s, master, client_id, 1, DeviceInput("tv", "LG", "OLED")).device_id
    _add_contract(db, client_id, master)
    with db.transaction() as s:
        attach_photo(s, store, master, client_id, device_id, _photo())
    with db.reading() as s:
        assert s.scalar(select(MasterContract.status)) == "voided"
        assert s.scalar(select(MasterClient.status)) == "in_progress"
    with pytest.raises(ConflictError, match="Алексей Смирнов"), db.transaction() as s:
        attach_photo(s, store, other_master, client_id, device_id, _photo((0, 90, 0)))
    for status, reason in (("signed", "После подписания"), ("cancelled", "не ведётся")):
        _set_status(db, client_id, status)
        with pytest.raises(StateError, match=reason), db.transaction() as s:
            attach_photo(s, store, master, client_id, device_id, _photo((0, 0, 90)))
    with db.reading() as s:
        assert s.scalar(select(func.count()).select_from(MasterDevicePhoto)) == 1


# --- step 2 -------------------------------------------------------------------------------


def test_passport_saved_masked_and_every_full_view_audited(
    db: Database, master: Actor, admin: Actor, other_master: Actor, client_id: int
) -> None:
    with db.transaction() as s:
        saved = save_passport(s, master, client_id, 1, PASSPORT, today=TODAY)
    assert (saved.version, saved.expired) == (2, False)
    with db.reading() as s:
        summary = passport_summary(s, master, client_id, today=TODAY)
        card = client_card(s, master, client_id=client_id)
    assert summary is not None
    assert summary.masked == "45 ** ***678"
    assert card.passport is not None
    assert card.passport.masked == "45 ** ***678"
    assert card.steps[1].state == "done"
    for viewer in (master, admin):
        with db.transaction() as s:
            data = reveal_passport(s, viewer, client_id)
        assert (data.series, data.number, data.department_code) == ("4510", "123678", "770-001")
    with pytest.raises(AuthError), db.transaction() as s:
        reveal_passport(s, other_master, client_id)
    views = _events(db, "passport.viewed")
    assert [body for _, body, _ in views] == ["Просмотр паспортных данных"] * 2
    for action, body, payload in _events(db):
        for secret in ("4510", "45 10", "123678"):
            assert secret not in body, action
            assert secret not in payload, action


def test_passport_errors_all_at_once_and_expired_is_a_warning(
    db: Database, master: Actor, client_id: int
) -> None:
    bad = replace(PASSPORT, series="45", number="12345", department_code="77-001", birth_date="")
    with pytest.raises(FieldErrors) as caught, db.transaction() as s:
        save_passport(s, master, client_id, 1, bad, today=TODAY)
    assert set(caught.value.errors) == {"series", "number", "department_code", "birth_date"}
    assert _version(db, client_id) == 1
    old = replace(PASSPORT, birth_date="05.03.1980", issue_date="01.06.1998")
    with db.transaction() as s:
        saved = save_passport(s, master, client_id, 1, old, today=TODAY)
    assert saved.expired
    with db.reading() as s:
        card = client_card(s, master, client_id=client_id)
    assert card.passport is not None
    assert card.passport.expired
    with pytest.raises(NotFoundError), db.transaction() as s:
        reveal_passport(s, master, client_id + 1000)


# --- step 3 -------------------------------------------------------------------------------


def test_devices_add_edit_remove_drop_the_applied_tariff(
    db: Database, master: Actor, client_id: int
) -> None:
    with db.transaction() as s:
        tv = add_device(s, master, client_id, 1, DeviceInput("tv", " LG ", "OLED55", "SN1"))
        ac = add_device(s, master, client_id, tv.version, DeviceInput("AC", "Daikin", "FTXB"))
        for n in (1, 2):
            s.add(
                MasterDevicePhoto(
                    device_id=tv.device_id,
                    file_key=f"clients/{client_id}/devices/{tv.device_id}/{n}.jpg",
                    content_type="image/jpeg",
                    width=10,
                    height=10,
                    bytes=100,
                    sha256=str(n) * 64,
                )
            )
        tariffs.ensure_default_tariffs(s)
        basic = next(t for t in tariffs.list_tariffs(s) if t.plan.code == "basic")
        tariffs.apply_tariff(s, master, client_id, ac.version, basic.id)
    version = _version(db, client_id)
    with db.reading() as s:
        rows = list_devices(s, master, client_id)
        assert tariffs.applied_tariff(s, client_id) is not None
    assert [(r.category, r.brand, r.serial, r.photo_count) for r in rows] == [
        ("tv", "LG", "SN1", 2),
        ("ac", "Daikin", None, 0),
    ]
    assert rows[1].category_label == "Кондиционер"

    with db.transaction() as s:  # the same form again: nothing changes, nothing is dropped
        same = update_device(
            s, master, client_id, version, ac.device_id, DeviceInput("ac", "Daikin", "FTXB")
        )
    assert same == version
    with db.transaction() as s:
        version = update_device(
            s, master, client_id, version, ac.device_id, DeviceInput("boiler", "Ariston", "ABS")
        )
    with db.reading() as s:
        assert tariffs.applied_tariff(s, client_id) is None
        assert get_device(s, master, client_id, ac.device_id).category == "boiler"
    assert len(_events(db, "tariff.dropped")) == 1

    with db.transaction() as s:
        removed = remove_device(s, master, client_id, version, tv.device_id)
    assert sorted(removed.orphaned_keys) == [
        f"clients/{client_id}/devices/{tv.device_id}/{n}.jpg" for n in (1, 2)
    ]
    with db.reading() as s:
        assert [r.id for r in list_devices(s, master, client_id)] == [ac.device_id]
        assert s.scalar(select(func.count()).select_from(MasterDevicePhoto)) == 0
    with pytest.raises(NotFoundError), db.transaction() as s:
        get_device(s, master, client_id, tv.device_id)
    actions = [action for action, _, _ in _events(db)]
    assert actions.count("device.added") == 2
    assert actions.count("device.updated") == 1
    assert actions.count("device.removed") == 1


def test_device_input_and_legacy_link_are_checked(
    db: Database, master: Actor, client_id: int, user_id: int
) -> None:
    with db.transaction() as s:
        stranger = LegacyUser(last_name="Чужой", first_name="Человек")
        s.add(stranger)
        s.flush()
        own = LegacyDevice(user_id=user_id, title="Телевизор в зале", kind="tv")
        foreign = LegacyDevice(user_id=stranger.id, title="Чужой телевизор", kind="tv")
        s.add_all([own, foreign])
        s.flush()
        own_id, foreign_id = own.id, foreign.id
    with pytest.raises(FieldErrors) as caught, db.transaction() as s:
        add_device(
            s, master, client_id, 1, DeviceInput("toaster", "", "X"), legacy_device_id=foreign_id
        )
    assert set(caught.value.errors) == {"category", "brand", "legacy_device_id"}
    assert _version(db, client_id) == 1
    with db.transaction() as s:
        saved = add_device(
            s, master, client_id, 1, DeviceInput("tv", "LG", "X"), legacy_device_id=own_id
        )
    with db.reading() as s:
        card = client_card(s, master, client_id=client_id)
    assert card.devices[0].legacy_device_id == own_id
    assert [d.title for d in card.app_devices] == ["Телевизор в зале"]
    assert saved.version == 2
    assert card.steps[2].state == "done"
