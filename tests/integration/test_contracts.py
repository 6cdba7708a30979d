"""Step 5 against real PostgreSQL and the local store: generation, the code read back from
`support_messages` as the client app reads it, wrong tries, resend, expiry, the signature."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import re
import shutil
import subprocess
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select, update

from privet_tui.config import Settings
from privet_tui.db.engine import Database
from privet_tui.db.legacy import LegacyUser
from privet_tui.db.models.billing import MasterClientTariff, MasterContract, MasterTariff
from privet_tui.db.models.clients import MasterClient, MasterDevice, MasterPassport
from privet_tui.db.models.support import MasterSupportMessage, SupportMessage, SupportTicket
from privet_tui.errors import ConflictError, PrivetError, StateError, StorageError
from privet_tui.services import support
from privet_tui.services.actor import Actor
from privet_tui.services.rules.pricing import DEFAULT_TARIFFS, calculate_surcharge
from privet_tui.services.steps import contract as contracts
from privet_tui.services.steps import contract_signing
from privet_tui.services.steps.contract_signing import CodeRejected
from privet_tui.services.workflow import void_unsigned_contract
from privet_tui.storage.local import LocalStore

T0 = datetime.now(UTC).replace(microsecond=0)
NUMBER = re.compile(r"ПМ-\d{4}-\d{6}")


def add_user(db: Database, *, first: str = "Иван", email: str = "x@example.ru") -> int:
    """Another person in the legacy `users` table, as the client app would add them."""
    with db.transaction() as s:
        user = LegacyUser(last_name="Петров", first_name=first, phone="+79160000000", email=email)
        s.add(user)
        s.flush()
        return user.id


def ready_client(db: Database, master: Actor, user_id: int, *, steps: int = 4) -> int:
    """A claimed client with steps 1..`steps` done, inserted directly (status in_progress)."""
    plan = DEFAULT_TARIFFS[0]
    categories = ["tv", "fridge", "washer"]
    with db.transaction() as s:
        client = MasterClient(user_id=user_id, status="in_progress", assigned_master_id=master.id)
        if steps >= 1:
            client.full_name = "Петров Иван Сергеевич"
            client.phone = "+79161234567"
            client.email = "ivan.petrov@example.ru"
            client.address = "г. Москва, ул. Ленина, д. 1, кв. 2"
        s.add(client)
        s.flush()
        if steps >= 2:
            s.add(
                MasterPassport(
                    client_id=client.id,
                    series="4510",
                    number="123678",
                    issue_date=date(2015, 5, 20),
                    issued_by="ОВД района Хамовники г. Москвы",
                    department_code="770-001",
                    birth_date=date(1990, 3, 15),
                    birth_place="г. Москва",
                    registration_address="г. Москва, ул. Ленина, д. 1, кв. 2",
                )
            )
        if steps >= 3:
            for category in categories:
                s.add(MasterDevice(client_id=client.id, category=category, brand="LG", model="X1"))
        if steps >= 4:
            tariff = s.scalar(select(MasterTariff).where(MasterTariff.code == plan.code))
            tariff = tariff or MasterTariff(
                code=plan.code,
                name=plan.name,
                monthly_fee=plan.monthly_fee,
                included_devices=plan.included_devices,
                extra_device_fee=plan.extra_device_fee,
                activation_fee=plan.activation_fee,
            )
            s.add(tariff)
            s.flush()
            quote = calculate_surcharge(plan, categories)
            s.add(
                MasterClientTariff(
                    client_id=client.id,
                    tariff_id=tariff.id,
                    breakdown={**quote.to_dict(), "tariff": {"name": plan.name}},
                    surcharge=quote.total,
                    monthly_fee=quote.monthly_fee,
                    applied_by_id=master.id,
                )
            )
        s.flush()
        return client.id


def version(db: Database, client_id: int) -> int:
    with db.reading() as s:
        row = s.get(MasterClient, client_id)
        assert row is not None
        return row.version


def latest_code(db: Database, user_id: int) -> str:
    """The code as the client app reads it: the payload of the newest contract_otp message."""
    with db.reading() as s:
        payload = s.scalar(
            select(SupportMessage.payload)
            .join(SupportTicket, SupportTicket.id == SupportMessage.ticket_id)
            .where(SupportTicket.user_id == user_id)
            .order_by(SupportMessage.id.desc())
            .limit(1)
        )
    assert payload is not None
    assert payload["type"] == "contract_otp"
    return str(payload["code"])


def contract_row(db: Database, client_id: int) -> MasterContract:
    with db.reading() as s:
        row = s.scalars(
            select(MasterContract)
            .where(MasterContract.client_id == client_id)
            .order_by(MasterContract.id.desc())
        ).first()
        assert row is not None
        s.expunge(row)  # keep the loaded values after the read-only session rolls back
        return row


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


@pytest.fixture
def store(tmp_path: Path) -> LocalStore:
    return LocalStore(tmp_path / "objects")


@pytest.fixture
def client_id(db: Database, master: Actor, user_id: int) -> int:
    return ready_client(db, master, user_id)


def generate(
    db: Database, master: Actor, store: LocalStore, settings: Settings, client_id: int
) -> contracts.ContractInfo:
    with db.transaction() as s:
        return contracts.generate_contract(
            s, master, store, settings, client_id, version(db, client_id), now=T0
        )


def confirm(
    db: Database,
    master: Actor,
    store: LocalStore,
    settings: Settings,
    client_id: int,
    code: str,
    at: datetime,
) -> contract_signing.SignatureInfo:
    with db.transaction() as s:
        return contract_signing.confirm_signature(
            s, master, store, settings, client_id, code, now=at, ssh_connection="10.0.0.5 5 1 22"
        )


def test_generate_stores_draft_and_sends_code(db, master, store, settings, client_id, user_id):
    info = generate(db, master, store, settings, client_id)
    assert NUMBER.fullmatch(info.number)
    assert info.total_due == Decimal("1290.00")
    assert hashlib.sha256(store.get(info.draft_key)).hexdigest() == info.draft_sha256
    assert info.draft_key == f"clients/{client_id}/contracts/{info.number}-draft.pdf"
    row = contract_row(db, client_id)
    code = latest_code(db, user_id)
    assert re.fullmatch(r"\d{6}", code)
    expected = hmac.new(
        settings.secret_key.encode(), f"{row.id}:{code}".encode(), hashlib.sha256
    ).hexdigest()
    assert row.otp_hash == expected
    assert row.otp_expires_at == T0 + timedelta(minutes=10)
    assert row.snapshot["number"] == info.number
    with db.reading() as s:
        message = s.get(SupportMessage, info.otp_message_id)
        assert message is not None
        assert message.author == "system"
        assert {"contract_number", "code", "amount", "pdf_key", "pdf_url", "expires_at"} <= set(
            message.payload or {}
        )
        assert message.payload is not None
        assert message.payload["amount"] == "1290.00"
        assert message.payload["pdf_key"] == info.draft_key
        assert info.number in message.body
        assert code in message.body
        assert info.draft_link.startswith("file://")  # the master's own screen may open it
        assert "file:" not in message.body  # the client's phone cannot
        client = s.get(MasterClient, client_id)
        assert client is not None
        assert client.status == "awaiting_signature"


def test_numbers_are_consecutive(db, master, store, settings, client_id):
    other = ready_client(db, master, add_user(db, first="Анна", email="anna@example.ru"))
    first = generate(db, master, store, settings, client_id)
    second = generate(db, master, store, settings, other)
    assert int(second.number[-6:]) == int(first.number[-6:]) + 1
    assert first.number[:8] == second.number[:8]


def test_sign_with_code_from_ticket(db, master, store, settings, client_id, user_id):
    info = generate(db, master, store, settings, client_id)
    signed = confirm(db, master, store, settings, client_id, latest_code(db, user_id), T0)
    data = store.get(signed.signed_key)
    assert hashlib.sha256(data).hexdigest() == signed.signed_sha256
    assert signed.signed_key.endswith(f"{info.number}-signed.pdf")
    row = contract_row(db, client_id)
    assert row.status == "signed"
    assert row.otp_hash is None
    assert row.signed_by_id == master.id
    assert row.ssh_connection == "10.0.0.5 5 1 22"
    assert row.otp_entered_at == T0
    with db.reading() as s:
        client = s.get(MasterClient, client_id)
        assert client is not None
        assert client.status == "signed"
    if shutil.which("pdftotext"):
        pdf_path = Path(settings.data_dir) / "signed.pdf"
        pdf_path.parent.mkdir(parents=True, exist_ok=True)
        pdf_path.write_bytes(data)
        text = subprocess.run(
            ["pdftotext", "-layout", str(pdf_path), "-"], capture_output=True, check=True
        ).stdout.decode()
        flat = " ".join(text.split())
        assert "простой электронной подписью" in flat
        assert info.draft_sha256 in flat.replace(" ", "")
        assert info.number in flat
    with pytest.raises(StateError, match="уже подписан"):
        confirm(db, master, store, settings, client_id, "000000", T0)


def test_wrong_code_is_counted_in_the_database(db, master, store, settings, client_id, user_id):
    generate(db, master, store, settings, client_id)
    code = latest_code(db, user_id)
    with pytest.raises(CodeRejected, match="Осталось попыток: 4") as caught:
        confirm(db, master, store, settings, client_id, wrong(code), T0)
    assert caught.value.recorded
    assert caught.value.tries_left == 4
    row = contract_row(db, client_id)
    assert (row.otp_attempts, row.otp_total_attempts) == (1, 1)
    with db.reading() as s:
        actions = s.scalars(select(MasterSupportMessage.action)).all()
    assert "contract.code_wrong" in actions


def test_five_wrong_codes_lock_the_code(db, master, store, settings, client_id, user_id):
    generate(db, master, store, settings, client_id)
    code = latest_code(db, user_id)
    for _ in range(4):
        with pytest.raises(CodeRejected, match="Осталось"):
            confirm(db, master, store, settings, client_id, wrong(code), T0)
    with pytest.raises(CodeRejected, match="исчерпаны"):
        confirm(db, master, store, settings, client_id, wrong(code), T0)
    with pytest.raises(CodeRejected, match="заблокирован") as caught:
        confirm(db, master, store, settings, client_id, code, T0)
    assert not caught.value.recorded
    assert contract_row(db, client_id).otp_attempts == 5


def test_resend_cooldown_voids_old_and_keeps_the_cap(
    db, master, store, settings, client_id, user_id
):
    info = generate(db, master, store, settings, client_id)
    old = latest_code(db, user_id)
    with db.transaction() as s, pytest.raises(StateError, match="через 30 с"):
        contract_signing.resend_code(s, master, settings, client_id, now=T0 + timedelta(seconds=30))
    for _ in range(5):
        with pytest.raises(CodeRejected):
            confirm(db, master, store, settings, client_id, wrong(old), T0)
    at = T0 + timedelta(seconds=61)
    with db.transaction() as s:
        sent = contract_signing.resend_code(s, master, settings, client_id, now=at, store=store)
    assert sent.tries_left == 5
    assert sent.otp_message_id != info.otp_message_id
    new = latest_code(db, user_id)
    row = contract_row(db, client_id)
    assert (row.otp_attempts, row.otp_total_attempts) == (0, 5)
    if new != old:  # 1 in a million they coincide
        with pytest.raises(CodeRejected, match="Неверный код"):
            confirm(db, master, store, settings, client_id, old, at)
    for _ in range(15 - contract_row(db, client_id).otp_total_attempts - 1):
        with pytest.raises(CodeRejected):
            confirm(db, master, store, settings, client_id, wrong(new), at)
        if contract_row(db, client_id).otp_attempts == 5:
            at += timedelta(seconds=61)
            with db.transaction() as s:
                contract_signing.resend_code(s, master, settings, client_id, now=at)
            new = latest_code(db, user_id)
    with pytest.raises(CodeRejected, match="аннулирован"):
        confirm(db, master, store, settings, client_id, wrong(new), at)
    row = contract_row(db, client_id)
    assert row.status == "voided"
    assert row.otp_total_attempts == 15
    with pytest.raises(StateError):
        confirm(db, master, store, settings, client_id, new, at)
    again = generate(db, master, store, settings, client_id)
    assert again.number != info.number


def test_expired_code_is_refused(db, master, store, settings, client_id, user_id):
    generate(db, master, store, settings, client_id)
    code = latest_code(db, user_id)
    late = T0 + timedelta(minutes=10)
    with pytest.raises(CodeRejected, match="истёк") as caught:
        confirm(db, master, store, settings, client_id, code, late)
    assert not caught.value.recorded
    assert contract_row(db, client_id).otp_attempts == 0
    confirm(db, master, store, settings, client_id, code, late - timedelta(seconds=1))


def test_contract_state_countdowns(db, master, store, settings, client_id, user_id):
    with db.reading() as s:
        assert contracts.contract_state(s, master, client_id) is None
    generate(db, master, store, settings, client_id)
    with pytest.raises(CodeRejected):
        confirm(db, master, store, settings, client_id, wrong(latest_code(db, user_id)), T0)
    with db.reading() as s:
        state = contracts.contract_state(
            s, master, client_id, now=T0 + timedelta(seconds=20), store=store
        )
    assert state is not None
    assert (state.status, state.otp_seconds_left, state.resend_in_seconds) == (
        "awaiting_signature",
        580,
        40,
    )
    assert state.tries_left == 4
    assert state.code_usable
    assert state.draft_link
    assert state.signed_link is None


def test_steps_out_of_order_are_refused(db, master, other_master, store, settings, user_id):
    partial = ready_client(db, master, user_id, steps=2)
    with pytest.raises(StateError, match="Устройства, Тариф"):
        generate(db, master, store, settings, partial)
    with pytest.raises(StateError, match="Нельзя подписать договор"):
        confirm(db, master, store, settings, partial, "123456", T0)
    ready = ready_client(db, master, add_user(db, email="b@example.ru"))
    with db.transaction() as s, pytest.raises(ConflictError, match="обновите"):
        contracts.generate_contract(s, master, store, settings, ready, 999, now=T0)
    with pytest.raises(ConflictError, match="Алексей Смирнов"):
        generate(db, other_master, store, settings, ready)
    generate(db, master, store, settings, ready)
    with pytest.raises(StateError, match="уже отправлен"):
        generate(db, master, store, settings, ready)
    with pytest.raises(PrivetError, match="6 цифр"):
        confirm(db, master, store, settings, ready, "12", T0)


def test_changed_data_voids_the_code(db, master, store, settings, client_id, user_id):
    generate(db, master, store, settings, client_id)
    code = latest_code(db, user_id)
    with db.transaction() as s:
        client = s.get(MasterClient, client_id)
        assert client is not None
        void_unsigned_contract(s, client, master, reason="изменены данные клиента")
    with pytest.raises(StateError):
        confirm(db, master, store, settings, client_id, code, T0)
    generate(db, master, store, settings, client_id)


def test_storage_failure_leaves_nothing(db, master, store, settings, client_id):
    class BrokenStore(LocalStore):
        def put(self, *args: object, **kwargs: object) -> None:  # type: ignore[override]
            raise StorageError("Хранилище недоступно")

    with pytest.raises(StorageError):
        generate(db, master, BrokenStore(store.root), settings, client_id)  # type: ignore[arg-type]
    with db.reading() as s:
        assert s.scalar(select(MasterContract.id)) is None
        assert s.scalar(select(SupportMessage.id)) is None
        client = s.get(MasterClient, client_id)
        assert client is not None
        assert client.status == "in_progress"


def test_code_never_reaches_master_side_or_logs(
    db, master, store, settings, client_id, user_id, caplog
):
    caplog.set_level(logging.DEBUG)
    codes: list[str] = []
    seen: list[str] = []
    info = generate(db, master, store, settings, client_id)
    seen.append(repr(info))
    codes.append(latest_code(db, user_id))
    try:
        confirm(db, master, store, settings, client_id, wrong(codes[-1]), T0)
    except CodeRejected as exc:
        seen += [str(exc), exc.title, repr(exc)]
    with db.transaction() as s:
        seen.append(
            repr(
                contract_signing.resend_code(
                    s, master, settings, client_id, now=T0 + timedelta(minutes=2), store=store
                )
            )
        )
    codes.append(latest_code(db, user_id))
    with db.reading() as s:
        seen.append(repr(contracts.contract_state(s, master, client_id, store=store)))
        seen += [repr(m) for m in support.conversation(s, user_id)]
    signed = confirm(db, master, store, settings, client_id, codes[-1], T0 + timedelta(minutes=3))
    seen.append(repr(signed))
    with db.reading() as s:
        for body, payload in s.execute(
            select(MasterSupportMessage.body, MasterSupportMessage.payload)
        ):
            seen.append(body + json.dumps(payload, ensure_ascii=False))
    seen.append(caplog.text)
    seen += [r.getMessage() for r in caplog.records]
    everything = "\n".join(seen)
    for code in codes:
        # Standing alone: sha256 hex digests and timestamps may contain any 6 digits.
        assert not re.search(rf"(?<![0-9a-fA-F]){code}(?![0-9a-fA-F])", everything)
    assert support.CODE_MASK in everything  # the conversation did show the masked message


def test_settings_key_binds_the_code(db, master, store, settings, client_id, user_id):
    generate(db, master, store, settings, client_id)
    other_key = replace(settings, secret_key="another-secret-key-0123456789")
    with pytest.raises(CodeRejected, match="Неверный код"):
        confirm(db, master, store, other_key, client_id, latest_code(db, user_id), T0)


def test_an_expired_passport_makes_no_contract(db, master, store, settings, client_id):
    """Issued at 14 and never replaced at 20: no longer an identity document, so no contract
    is built on it (issue 12: passport plausibility), and nothing is written."""
    with db.transaction() as s:
        s.execute(
            update(MasterPassport)
            .where(MasterPassport.client_id == client_id)
            .values(birth_date=date(1990, 2, 1), issue_date=date(2004, 5, 10))
        )
    with pytest.raises(StateError, match="паспорт клиента просрочен"):
        generate(db, master, store, settings, client_id)
    with db.reading() as s:
        assert s.scalar(select(MasterContract.id)) is None
        assert s.scalar(select(SupportMessage.id)) is None
