"""Client list tabs, search and keyset paging, the card, claiming (a real 20-thread race),
reassigning, cancelling and releasing — against a real PostgreSQL."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.orm import sessionmaker

from privet_tui.db.engine import Database, make_engine
from privet_tui.db.legacy import LegacyUser
from privet_tui.db.models.billing import MasterContract
from privet_tui.db.models.clients import MasterClient
from privet_tui.db.models.masters import MasterUser
from privet_tui.db.models.support import MasterSupportMessage, SupportMessage, SupportTicket
from privet_tui.errors import AuthError, ConflictError, StateError, ValidationError
from privet_tui.services.actor import Actor
from privet_tui.services.audit import client_log
from privet_tui.services.clients.card import client_card
from privet_tui.services.clients.claims import (
    CANCELLED_MESSAGE,
    cancel_client,
    claim_client,
    reassign_client,
    release_client,
)
from privet_tui.services.clients.listing import ClientPage, Tab, count_clients, list_clients


# `from conftest import …` resolves to tests/integration/conftest.py, so the two helpers of
# tests/conftest.py are repeated here.
def add_master(db: Database, email: str, name: str, role: str = "master") -> Actor:
    with db.transaction() as s:
        row = MasterUser(email=email, name=name, password_hash="!", role=role)
        s.add(row)
        s.flush()
        return Actor(id=row.id, email=email, name=name, role=role)


def add_user(
    db: Database,
    last: str,
    first: str,
    middle: str | None,
    phone: str | None,
    email: str | None,
) -> int:
    with db.transaction() as s:
        user = LegacyUser(
            last_name=last, first_name=first, middle_name=middle, phone=phone, email=email
        )
        s.add(user)
        s.flush()
        return user.id


def _claim(db: Database, actor: Actor, user_id: int) -> int:
    with db.transaction() as s:
        card = claim_client(s, actor, user_id)
    assert card.client_id is not None
    return card.client_id


def _set_status(db: Database, client_id: int, status: str) -> None:
    with db.transaction() as s:
        s.execute(update(MasterClient).where(MasterClient.id == client_id).values(status=status))


def _all_pages(db: Database, actor: Actor, tab: Tab, *, search: str = "", limit: int) -> list[int]:
    """Page through a tab with a small page size; return the user ids in order."""
    seen: list[int] = []
    page: ClientPage | None = None
    while page is None or page.next_cursor is not None:
        with db.reading() as s:
            after = page.next_cursor if page else None
            page = list_clients(s, actor, tab, search=search, after=after, limit=limit)
        assert len(page.rows) <= limit
        seen.extend(row.user_id for row in page.rows)
    return seen


def _events(db: Database, action: str) -> int:
    with db.reading() as s:
        return (
            s.scalar(
                select(func.count())
                .select_from(MasterSupportMessage)
                .where(MasterSupportMessage.action == action)
            )
            or 0
        )


@pytest.fixture
def fifty(db: Database) -> list[int]:
    return [
        add_user(db, f"Фамилия{i:02d}", "Иван", None, f"+7916{i:07d}", f"u{i}@example.ru")
        for i in range(50)
    ]


def test_tabs_and_keyset_paging(
    db: Database, fifty: list[int], master: Actor, other_master: Actor, admin: Actor
) -> None:
    mine = [_claim(db, master, uid) for uid in fifty[:5]]
    theirs = [_claim(db, other_master, uid) for uid in fifty[5:8]]
    _set_status(db, mine[0], "processed")
    _set_status(db, theirs[0], "cancelled")

    new = _all_pages(db, master, "new", limit=7)
    assert new == sorted(fifty[8:], reverse=True)  # newest first, none twice, none missing
    assert _all_pages(db, master, "mine", limit=2) == sorted(fifty[1:5], reverse=True)
    assert _all_pages(db, other_master, "mine", limit=2) == sorted(fifty[6:8], reverse=True)
    assert _all_pages(db, admin, "mine", limit=3) == sorted(fifty[1:5] + fifty[6:8], reverse=True)
    processed = _all_pages(db, other_master, "processed", limit=1)
    assert sorted(processed) == sorted([fifty[0], fifty[5]])
    with db.reading() as s:
        assert count_clients(s, master, "new") == 42
        assert count_clients(s, master, "mine") == 4
        assert count_clients(s, master, "processed") == 2
        row = list_clients(s, master, "mine", limit=1).rows[0]
    assert row.client_id == mine[-1]
    assert (row.status, row.status_label, row.master_name) == (
        "in_progress",
        "В работе",
        master.name,
    )


def test_released_client_is_new_again(db: Database, fifty: list[int], master: Actor) -> None:
    client_id = _claim(db, master, fifty[0])
    with db.transaction() as s:
        version = client_card(s, master, client_id=client_id).version
        assert version is not None
        release_client(s, master, client_id, version)
    with db.reading() as s:
        assert fifty[0] in [r.user_id for r in list_clients(s, master, "new").rows]
        assert list_clients(s, master, "mine").rows == ()


def test_search_by_name_phone_and_email(db: Database, master: Actor) -> None:
    petrov = add_user(db, "Петров", "Пётр", "Ильич", "8 (916) 123-45-67", "petr@example.ru")
    orlova = add_user(db, "Орлова", "Алёна", None, "+79031112233", "ALENA_O@Mail.ru")
    other = add_user(db, "Сидоров", "Иван", None, "+79990000000", "sid%or@example.ru")

    def found(query: str, tab: Tab = "new") -> set[int]:
        with db.reading() as s:
            return {r.user_id for r in list_clients(s, master, tab, search=query).rows}

    assert found("ПЕТРОВ") == {petrov}
    assert found("петр ильич") == {petrov}  # every word, any order of fields
    assert found("ильич петров") == {petrov}
    assert found("Петр") == {petrov}  # е finds ё
    assert found("алена") == {orlova}
    assert found("alena_o@mail") == {orlova}
    assert found("8916 123") == {petrov}
    assert found("+7 916 123-45") == {petrov}
    assert found("79031112233") == {orlova}
    assert found("8 903 111") == {orlova}
    # What the phone field accepts, the search finds (issue 12: separators made plain first).
    assert found("8 916 123–45–67") == {petrov}  # en dashes
    assert found("８ ９０３ １１１") == {orlova}  # full-width digits, no-break spaces
    assert found("007 903 111 22 33") == {orlova}  # 00: the international prefix
    assert found("sid%or") == {other}
    assert found("%") == {other}  # a LIKE wildcard is matched literally
    assert found("петров сидоров") == set()
    assert found("   ") == {petrov, orlova, other}

    client_id = _claim(db, master, petrov)
    assert found("петров") == set()
    assert found("петров", "mine") == {petrov}
    assert found("+7 916 123 45 67", "mine") == {petrov}
    with db.reading() as s:
        assert count_clients(s, master, "new", search="иван") == 1
        row = list_clients(s, master, "mine", search="petr@").rows[0]
    assert (row.client_id, row.phone) == (client_id, "+79161234567")


def test_search_pages_without_duplicates(db: Database, fifty: list[int], master: Actor) -> None:
    add_user(db, "Другой", "Человек", None, "+79250000000", "x@example.ru")
    assert _all_pages(db, master, "new", search="иван", limit=6) == sorted(fifty, reverse=True)
    assert _all_pages(db, master, "new", search="8 916 000 004", limit=4) == sorted(
        fifty[40:], reverse=True
    )


def test_twenty_concurrent_claims_have_one_winner(db_url: str, db: Database, user_id: int) -> None:
    masters = [add_master(db, f"race{i}@privet.local", f"Мастер {i:02d}") for i in range(20)]
    engine = make_engine(db_url, pool_size=21)
    sessions = sessionmaker(engine, expire_on_commit=False)
    start = threading.Barrier(20)
    results: dict[int, object] = {}

    def attempt(actor: Actor) -> None:
        try:
            with sessions() as s, s.begin():
                s.execute(select(1))  # hold a connection before the start line
                start.wait()
                results[actor.id] = claim_client(s, actor, user_id)
        except Exception as exc:
            results[actor.id] = exc

    threads = [threading.Thread(target=attempt, args=(m,)) for m in masters]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    engine.dispose()

    winners = [m for m in masters if not isinstance(results[m.id], Exception)]
    assert len(winners) == 1
    losers = [results[m.id] for m in masters if m not in winners]
    assert all(isinstance(e, ConflictError) for e in losers), losers
    assert {str(e) for e in losers} == {f"Клиент уже в работе у мастера {winners[0].name}"}
    with db.reading() as s:
        row = s.execute(
            select(MasterClient.assigned_master_id, MasterClient.status, MasterClient.version)
        ).one()
    assert tuple(row) == (winners[0].id, "in_progress", 1)
    assert _events(db, "client.claimed") == 1


def test_claim_prefills_contacts_and_is_idempotent(
    db: Database, master: Actor, other_master: Actor
) -> None:
    uid = add_user(db, "иванова-петрова", "анна", None, "8 (916) 555-44-33", " Anna@Example.RU ")
    kz = add_user(db, "Ким", "Ли", None, "+7 701 123 45 67", "not an email")
    with db.transaction() as s:
        card = claim_client(s, master, uid)
    assert (card.full_name, card.phone, card.email) == (
        "Иванова-Петрова Анна",
        "+79165554433",
        "Anna@example.ru",
    )
    assert (card.status, card.version, card.master_name, card.can_edit) == (
        "in_progress",
        1,
        master.name,
        True,
    )
    with db.transaction() as s:
        again = claim_client(s, master, uid)  # one's own client: no new claim, no event
    assert (again.client_id, again.version) == (card.client_id, 1)
    assert _events(db, "client.claimed") == 1
    with pytest.raises(ConflictError, match=master.name), db.transaction() as s:
        claim_client(s, other_master, uid)
    with db.transaction() as s:
        kz_card = claim_client(s, master, kz)
    assert (kz_card.full_name, kz_card.phone, kz_card.email) == ("Ким Ли", None, None)
    assert kz_card.app_phone == "+7 701 123 45 67"


def test_card_of_new_and_claimed_client(
    db: Database, user_id: int, master: Actor, other_master: Actor, admin: Actor
) -> None:
    with db.reading() as s:
        card = client_card(s, master, user_id)
    assert (card.client_id, card.version, card.status_label) == (None, None, "Новый")
    assert card.app_full_name == "Петров Иван Сергеевич"
    assert {st.state for st in card.steps} == {"blocked"}
    assert card.steps[0].reason == "Клиент ещё не взят в работу"

    client_id = _claim(db, master, user_id)
    with db.reading() as s:
        mine = client_card(s, master, client_id=client_id)
        theirs = client_card(s, other_master, user_id)
        admins = client_card(s, admin, user_id)
    states = {st.key: (st.state, st.reason) for st in mine.steps}
    assert states["contacts"] == ("todo", None)  # the address is still missing
    assert states["passport"] == ("todo", None)
    assert states["tariff"] == ("blocked", "Сначала добавьте хотя бы одно устройство")
    assert states["contract"] == (
        "blocked",
        "Сначала заполните: Контакты, Паспорт, Устройства, Тариф",
    )
    assert states["payment"] == ("blocked", "Договор ещё не подписан")
    assert mine.passport is None
    assert mine.devices == ()
    assert mine.tariff is None
    assert not theirs.can_edit
    assert theirs.steps[0].reason == f"Клиент в работе у мастера {master.name}"
    assert admins.can_edit


def test_reassign_is_for_admins(
    db: Database, user_id: int, master: Actor, other_master: Actor, admin: Actor
) -> None:
    client_id = _claim(db, master, user_id)
    with pytest.raises(AuthError), db.transaction() as s:
        reassign_client(s, master, client_id, other_master.id)
    with db.transaction() as s:
        version = reassign_client(s, admin, client_id, other_master.id)
    assert version == 2
    with db.reading() as s:
        card = client_card(s, other_master, user_id)
        assert card.can_edit
        assert card.master_name == other_master.name
        assert list_clients(s, master, "mine").rows == ()
    with pytest.raises(ConflictError, match=other_master.name), db.transaction() as s:
        cancel_client(s, master, client_id, "передумал", version)


def test_cancel_needs_reason_version_and_rights(
    db: Database, user_id: int, master: Actor, admin: Actor
) -> None:
    client_id = _claim(db, master, user_id)
    with pytest.raises(ValidationError), db.transaction() as s:
        cancel_client(s, master, client_id, "   ", 1)
    with pytest.raises(ConflictError, match="обновите"), db.transaction() as s:
        cancel_client(s, master, client_id, "Клиент передумал", 7)
    _set_status(db, client_id, "signed")
    with pytest.raises(StateError), db.transaction() as s:
        cancel_client(s, master, client_id, "Клиент передумал", 1)
    with db.transaction() as s:
        cancel_client(s, admin, client_id, "Клиент передумал", 1)
    with db.reading() as s:
        card = client_card(s, master, user_id)
        processed = list_clients(s, master, "processed").rows
    assert [(r.user_id, r.cancel_reason) for r in processed] == [(user_id, "Клиент передумал")]
    assert (card.status, card.cancel_reason) == ("cancelled", "Клиент передумал")
    assert card.steps[0].reason == "Клиент отменён: Клиент передумал"


def test_cancel_voids_an_unsigned_contract(db: Database, user_id: int, master: Actor) -> None:
    client_id = _claim(db, master, user_id)
    _set_status(db, client_id, "awaiting_signature")
    with db.transaction() as s:
        s.add(
            MasterContract(
                client_id=client_id,
                number="ПМ-2026-000001",
                snapshot={},
                total_due=Decimal("990.00"),
                draft_key="k",
                draft_sha256="0" * 64,
                created_by_id=master.id,
            )
        )
    with db.transaction() as s:
        cancel_client(s, master, client_id, "Отказ от договора", 1)
    with db.reading() as s:
        contract = s.execute(select(MasterContract.status, MasterContract.otp_hash)).one()
        card = client_card(s, master, client_id=client_id)
    assert tuple(contract) == ("voided", None)
    assert card.contract is not None
    assert card.contract.status == "voided"


def test_nobody_cancels_after_payment(
    db: Database, user_id: int, master: Actor, admin: Actor
) -> None:
    client_id = _claim(db, master, user_id)
    _set_status(db, client_id, "paid")
    for who in (admin, None):
        with pytest.raises(StateError, match="отменить клиента"), db.transaction() as s:
            cancel_client(s, who, client_id, "Клиент передумал")
    with db.reading() as s:
        assert s.scalar(select(MasterClient.status).where(MasterClient.id == client_id)) == "paid"


def test_operator_actions_are_logged_under_the_os_account(
    db: Database, user_id: int, master: Actor, other_master: Actor, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A CLI command acts with no master (actor None): it may do what an admin may, and the
    client's log names the operating-system account instead of a master."""
    monkeypatch.setenv("LOGNAME", "ops-anna")
    monkeypatch.setenv("USER", "ops-anna")
    client_id = _claim(db, master, user_id)
    with db.transaction() as s:
        reassign_client(s, None, client_id, other_master.id)
    with db.transaction() as s:
        release_client(s, None, client_id)
    with db.transaction() as s:
        cancel_client(s, None, client_id, "Заявка-дубль")
    with db.reading() as s:
        log = [e for e in client_log(s, client_id) if e.action.startswith("client.")]
        told = s.execute(
            select(SupportMessage.body, SupportMessage.payload)
            .join(SupportTicket, SupportTicket.id == SupportMessage.ticket_id)
            .where(SupportTicket.user_id == user_id)
        ).all()
    assert [(e.action, e.master_name) for e in log] == [
        ("client.claimed", master.name),
        ("client.reassigned", "оператор ops-anna"),
        ("client.released", "оператор ops-anna"),
        ("client.cancelled", "оператор ops-anna"),
    ]
    assert [(body, payload["type"]) for body, payload in told] == [
        (CANCELLED_MESSAGE, "onboarding_cancelled")
    ]
    assert "дубль" not in told[0][0]
