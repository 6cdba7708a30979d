"""Thirty masters at once on 300 applicants, at the service level: each master works from two
terminals (threads with their own engines), so claims, saves and documents really race.

Checked afterwards in the database: every applicant has exactly one master and every claim
that said "yours" was right; of two saves on the same version exactly one landed and the row
holds it (no lost update); no device added by a terminal is missing; contract and invoice
numbers are unique and each client has one live contract and at most one invoice.
Throughput is printed (operations per second, refused ones included); nothing is timed.
"""

from __future__ import annotations

import dataclasses
import threading
from collections import Counter, defaultdict
from collections.abc import Callable

import pytest
from sqlalchemy import func, select

from privet_tui.config import Settings
from privet_tui.db.engine import Database
from privet_tui.db.models.billing import MasterContract, MasterInvoice
from privet_tui.db.models.clients import MasterClient, MasterDevice
from privet_tui.db.models.masters import MasterLoginAttempt, MasterUser
from privet_tui.db.models.support import MasterSupportMessage
from privet_tui.pdf.contract import render_contract
from privet_tui.pdf.documents import CompanyRequisites, ContractDocument, InvoiceDocument
from privet_tui.pdf.invoice import render_invoice
from privet_tui.services.actor import Actor
from privet_tui.storage.local import LocalStore
from tests.faults.figures import Figures
from tests.faults.load import Load, PhaseResult, assign_owned, close_load, make_load, run_phase
from tests.faults.load_phases import (
    phase_claims,
    phase_contacts,
    phase_devices,
    phase_flow,
    phase_logins,
)
from tests.faults.workflow import add_people, drive

pytestmark = pytest.mark.faults

MASTERS = 30
CLIENTS = 300
HOT = 10  # applicants all thirty masters try to claim at the same moment


def _check(result: PhaseResult) -> None:
    assert result.errors == [], result.errors[:5]


def _claims_hold(load: Load, claims: PhaseResult, db: Database) -> None:
    winners: dict[int, set[int]] = defaultdict(set)
    for kind, user_id, master_id in claims.events:
        if kind == "won":
            winners[user_id].add(master_id)
    with db.reading() as session:
        found = session.execute(select(MasterClient.user_id, MasterClient.assigned_master_id))
        rows = {user: master for user, master in found}
    assert len(rows) == CLIENTS  # every applicant claimed, none twice (one row per user)
    assert all(len(masters) == 1 for masters in winners.values()), "a double claim"
    assert {user: next(iter(m)) for user, m in winners.items()} == rows
    wanted_by = defaultdict(set)
    for master_id, users in load.wishlists.items():
        for user in users:
            wanted_by[user].add(master_id)
    assert all(rows[user] in wanted_by[user] for user in wanted_by)


def _guessing_locked_the_account(load: Load, logins: PhaseResult, db: Database) -> None:
    """60 wrong passwords at once on one account: counted under a row lock, so the account
    is locked after the fifth, whatever the interleaving; every try is recorded."""
    victim = load.terminals[0].master
    answers = Counter(message.split(" до ")[0] for _, message in logins.events)
    assert answers["Вход заблокирован после неудачных попыток"] == 2 * MASTERS - 4
    assert sum(n for text, n in answers.items() if "Осталось попыток" in text) == 4
    with db.reading() as session:
        row = session.get(MasterUser, victim.id)
        assert row is not None
        assert row.locked_until is not None
        wrong = session.scalar(
            select(func.count()).where(
                MasterLoginAttempt.master_id == victim.id, MasterLoginAttempt.succeeded.is_(False)
            )
        )
    assert wrong == 2 * MASTERS


def _no_lost_contacts(contacts: PhaseResult, db: Database) -> None:
    saved = [e for e in contacts.events if e[0] == "saved"]
    by_client = Counter(e[1] for e in saved)
    assert set(by_client.values()) == {1}, "two saves on one version both landed"
    assert len(by_client) == CLIENTS
    with db.reading() as session:
        found = session.execute(select(MasterClient.id, MasterClient.address))
        addresses = {client_id: address for client_id, address in found}
        events = session.scalar(
            select(func.count())
            .select_from(MasterSupportMessage)
            .where(MasterSupportMessage.action == "contacts.saved")
        )
    for _, client_id, terminal, version, new_version in saved:
        assert new_version == version + 1
        winner = f"д. {terminal}"
        assert (addresses[client_id] or "").endswith(winner), "the row lost the winning save"
    assert events == CLIENTS  # one audit event per landed save, none for the refused ones


def test_thirty_masters_at_once(
    db: Database, db_url: str, settings: Settings, store: LocalStore, figures: Figures
) -> None:
    load = make_load(db_url, db, store, settings, masters=MASTERS, clients=CLIENTS, hot=HOT)
    try:
        logins = run_phase("logins", load, phase_logins)
        _check(logins)
        claims = run_phase("claims", load, phase_claims)
        _check(claims)
        assign_owned(load, db)
        contacts = run_phase("contacts", load, phase_contacts)
        _check(contacts)
        devices = run_phase("devices", load, phase_devices)
        _check(devices)
        flow = run_phase("documents", load, phase_flow)
        _check(flow)
    finally:
        close_load(load)

    phases = [logins, claims, contacts, devices, flow]
    total_ops = sum(p.operations for p in phases)
    total_s = sum(p.seconds for p in phases)
    for phase in phases:
        figures(f"{MASTERS} masters x2 terminals, {CLIENTS} clients", phase.line())
    figures("all phases", f"{total_ops} ops in {total_s:.1f} s = {total_ops / total_s:.1f} ops/s")

    _guessing_locked_the_account(load, logins, db)
    _claims_hold(load, claims, db)
    hot_losses = sum(1 for e in claims.events if e[0] == "lost" and e[1] in load.hot_users)
    assert hot_losses >= HOT * (MASTERS - 1)  # all but one master lost each hot applicant
    _no_lost_contacts(contacts, db)

    with db.reading() as session:
        per_client = Counter(
            session.execute(select(MasterDevice.client_id, MasterDevice.brand)).all()
        )
        contract_numbers = session.scalars(select(MasterContract.number)).all()
        live = Counter(
            session.scalars(
                select(MasterContract.client_id).where(MasterContract.status != "voided")
            )
        )
        invoices = session.execute(select(MasterInvoice.client_id, MasterInvoice.number)).all()
        processed = session.scalar(select(func.count()).where(MasterClient.status == "processed"))
    # Each terminal's device is there, exactly once: no lost and no doubled insert.
    assert len(per_client) == 2 * CLIENTS
    assert set(per_client.values()) == {1}
    assert len(contract_numbers) == len(set(contract_numbers)) == MASTERS
    assert set(live.values()) == {1}
    assert len({number for _, number in invoices}) == len(invoices) == MASTERS
    assert len({client for client, _ in invoices}) == MASTERS
    assert processed == MASTERS
    races = Counter(e[0] for e in flow.events)
    assert races == Counter({"contract": MASTERS, "paid": MASTERS, "invoice": MASTERS})


def test_documents_render_in_parallel_threads_of_one_process(
    db: Database, settings: Settings, store: LocalStore, master: Actor
) -> None:
    """Two thread workers of one TUI process may render a contract and an invoice at once:
    every render must give the same bytes (fpdf2 with shared fonts once failed here)."""

    (user_id,) = add_people(db, 1)
    client_id = drive(db, store, settings, master, user_id, "contract")
    with db.reading() as session:
        snapshot = session.scalars(
            select(MasterContract.snapshot).where(MasterContract.client_id == client_id)
        ).one()
    contract = ContractDocument.from_dict(snapshot)
    invoice = InvoiceDocument(
        number="СЧ-2026-000001",
        issued_at=contract.created_at,
        due_date=contract.created_at.date(),
        company=CompanyRequisites(
            **{
                f.name: getattr(settings.company, f.name)
                for f in dataclasses.fields(CompanyRequisites)
            }
        ),
        client_name=contract.client.full_name,
        client_address=contract.client.address,
        contract_number=contract.number,
        contract_date=contract.created_at.date(),
        lines=contract.charges,
        total=contract.total_due,
        paid=True,
    )
    jobs: list[tuple[Callable[[], bytes], bytes]] = [
        (lambda: render_contract(contract), render_contract(contract)),
        (lambda: render_invoice(invoice), render_invoice(invoice)),
    ]
    failures: list[str] = []

    def render(job: int) -> None:
        action, expected = jobs[job % 2]
        for _ in range(4):
            try:
                if action() != expected:
                    failures.append("a different PDF")
            except Exception as exc:
                failures.append(repr(exc))

    threads = [threading.Thread(target=render, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(t.is_alive() for t in threads)
    assert failures == [], f"{len(failures)} of 24 renders failed: {sorted(set(failures))[:3]}"
