"""SIGKILL in the middle of each step: a child process (a master's app) runs the step against
the test database and is frozen at the dangerous moment (a gate), then killed.

Afterwards the database holds none of the step (compared row by row with the state before),
another master — after an admin hands the client over — or the same master carries on, and
`collect_garbage` removes whatever the dead process had uploaded and nobody references.
A kill right after the COMMIT shows the other half: the whole step is there.
"""

from __future__ import annotations

import signal
import subprocess
import time
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from privet_tui.config import Settings
from privet_tui.db.engine import Database
from privet_tui.db.models.billing import MasterContract, MasterInvoice
from privet_tui.db.models.clients import MasterDevicePhoto
from privet_tui.services import orphans
from privet_tui.services.actor import Actor
from privet_tui.services.clients import claims as clients
from privet_tui.storage.local import LocalStore
from tests.conftest import attach_files
from tests.faults.child_process import ChildSpec, Gate, actor_dict, start_child
from tests.faults.figures import Figures
from tests.faults.servers import wait_until
from tests.faults.state import (
    client_id_of,
    client_state,
    first_device,
    latest_code,
    object_keys,
    open_transactions,
    sha256,
    snapshot,
)
from tests.faults.workflow import add_people, drive, step_action

pytestmark = pytest.mark.faults

#: The step before each step, where the parent leaves the client for the child.
BEFORE = {
    "contacts": "claimed",
    "passport": "contacts",
    "devices": "passport",
    "tariff": "devices",
    "photo": "tariff",
    "contract": "tariff",
    "signed": "contract",
    "paid": "signed",
    "invoiced": "paid",
}


@dataclass(frozen=True)
class Case:
    """One kill: the step the child runs and where it is frozen."""

    step: str
    hold: str
    why: str


CASES = [
    Case("contacts", "before_commit", "step 1 written, COMMIT not sent"),
    Case("passport", "before_commit", "step 2 written, COMMIT not sent"),
    Case("devices", "before_commit", "step 3 device written, COMMIT not sent"),
    Case("photo", "put:/devices/", "photo uploaded, row not committed"),
    Case("tariff", "before_commit", "step 4 written, COMMIT not sent"),
    Case("contract", "render", "inside the draft PDF rendering (number taken, row locked)"),
    Case("contract", "put:-draft.pdf", "draft uploaded, contract not committed"),
    Case("signed", "render", "OTP accepted, inside the signed PDF rendering"),
    Case("signed", "put:-signed.pdf", "OTP accepted, signed PDF uploaded, not committed"),
    Case("paid", "before_commit", "step 6 written, COMMIT not sent"),
    Case("invoiced", "render", "inside the invoice PDF rendering"),
    Case("invoiced", "put:/invoices/", "invoice uploaded, not committed"),
]


def _gate_name(hold: str) -> str:
    return "uploaded" if hold.startswith("put:") else hold


def _run_and_kill(spec: ChildSpec, gate: Gate) -> float:
    """Start the child, wait (bounded) until it sits at its gate, SIGKILL it; the wait took."""
    started = time.perf_counter()
    child = start_child(spec)
    name = _gate_name(spec.hold)
    try:
        wait_until(
            lambda: gate.reached(name) or child.poll() is not None,
            timeout=60,
            what=f"the child to reach {name}",
        )
        if child.poll() is not None:
            _, err = child.communicate()
            pytest.fail(f"the child ended before the gate: {err.decode()[-3000:]}")
        reached = time.perf_counter() - started
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=10)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait(timeout=10)
        child.communicate()
    assert child.returncode == -signal.SIGKILL
    assert not gate.reached("finished")
    return reached


def _spec(
    db_url: str,
    store: LocalStore,
    settings: Settings,
    actor: Actor,
    user_id: int,
    step: str,
    hold: str,
    gate: Gate,
    photo: Path | None = None,
) -> ChildSpec:
    return ChildSpec(
        db_url=db_url,
        store_root=str(store.root),
        secret_key=settings.secret_key,
        data_dir=str(settings.data_dir),
        actor=actor_dict(actor),
        user_id=user_id,
        step=step,
        gate_dir=str(gate.directory),
        hold=hold,
        photo=str(photo) if photo else None,
    )


def _carry_on(
    case: Case,
    db: Database,
    store: LocalStore,
    settings: Settings,
    who: Actor,
    user_id: int,
    photo: Path,
) -> None:
    """Do the killed step again (as `who`) and check it fully landed."""
    client_id = client_id_of(db, user_id)
    if case.step == "photo":
        (outcome,) = attach_files(db, store, who, client_id, first_device(db, client_id), [photo])
        assert outcome.photo is not None, outcome.error
        return
    step_action(case.step, db, store, settings, who, user_id)
    expected = {
        "contacts": "in_progress",
        "passport": "in_progress",
        "devices": "in_progress",
        "tariff": "in_progress",
        "contract": "awaiting_signature",
        "signed": "signed",
        "paid": "paid",
        "invoiced": "processed",
    }[case.step]
    assert client_state(db, client_id).status == expected


def _documents_match_rows(db: Database, store: LocalStore) -> None:
    """Every PDF and photo a row names is in the store with the recorded sha256."""
    with db.reading() as session:
        for c in session.scalars(select(MasterContract)):
            assert sha256(store.get(c.draft_key)) == c.draft_sha256
            if c.signed_key:
                assert sha256(store.get(c.signed_key)) == c.signed_sha256
        for i in session.scalars(select(MasterInvoice)):
            assert sha256(store.get(i.pdf_key)) == i.pdf_sha256
        for p in session.scalars(select(MasterDevicePhoto)):
            assert sha256(store.get(p.file_key)) == p.sha256


@pytest.mark.parametrize("case", CASES, ids=[f"{c.step}-{c.hold}" for c in CASES])
def test_sigkill_mid_step_leaves_all_or_nothing_and_work_goes_on(
    case: Case,
    db: Database,
    db_url: str,
    settings: Settings,
    store: LocalStore,
    master: Actor,
    other_master: Actor,
    admin: Actor,
    photo_file: Path,
    tmp_path: Path,
    figures: Figures,
) -> None:
    (user_id,) = add_people(db, 1)
    drive(db, store, settings, master, user_id, BEFORE[case.step])
    client_id = client_id_of(db, user_id)
    keys_before = object_keys(store)
    before = snapshot(db)
    gate = Gate(tmp_path / "gate")
    spec = _spec(db_url, store, settings, master, user_id, case.step, case.hold, gate, photo_file)

    reached = _run_and_kill(spec, gate)
    figures(f"SIGKILL {case.step} at {case.hold}: child reached the gate in", f"{reached:.2f} s")

    # The dead backend's transaction is rolled back and its row locks are released.
    wait_until(lambda: open_transactions(db) == 0, timeout=15, what="the dead session to end")
    assert snapshot(db) == before, f"half a step survived the kill ({case.why})"
    uploaded = object_keys(store) - keys_before
    if case.hold.startswith("put:"):
        assert uploaded  # the upload really happened before the kill

    # Another master carries on after an admin hands the client over (steps 5-7), or the
    # same master does (steps 1-4: a master's own clients).
    who = master
    if case.step in ("contract", "signed", "paid", "invoiced"):
        with db.transaction() as session:
            clients.reassign_client(session, admin, client_id, other_master.id)
        who = other_master
    _carry_on(case, db, store, settings, who, user_id, photo_file)

    with db.reading() as session:
        removed = set(orphans.collect_garbage(session, store, grace=timedelta(0)))
    # Only what the dead process uploaded may be garbage, and a re-used key (the signed PDF
    # of the same contract) is not garbage any more: the retry overwrote it.
    assert removed <= uploaded
    with db.reading() as session:
        assert object_keys(store) == orphans.referenced_keys(session)
    _documents_match_rows(db, store)


def test_sigkill_right_after_commit_keeps_the_whole_step(
    db: Database,
    db_url: str,
    settings: Settings,
    store: LocalStore,
    master: Actor,
    tmp_path: Path,
) -> None:
    """Killed a moment after COMMIT: the contract, its draft, its code message are all there,
    and the code the client received signs it."""
    (user_id,) = add_people(db, 1)
    client_id = drive(db, store, settings, master, user_id, "tariff")
    gate = Gate(tmp_path / "gate")
    spec = _spec(db_url, store, settings, master, user_id, "contract", "after_commit", gate)
    _run_and_kill(spec, gate)

    assert client_state(db, client_id).status == "awaiting_signature"
    _documents_match_rows(db, store)
    code = latest_code(db, user_id)
    step_action("signed", db, store, settings, master, user_id)
    assert client_state(db, client_id).status == "signed"
    assert len(code) == 6
    with db.reading() as session:
        assert object_keys(store) == orphans.referenced_keys(session)


def test_kill_during_confirmation_keeps_the_code_usable(
    db: Database,
    db_url: str,
    settings: Settings,
    store: LocalStore,
    master: Actor,
    tmp_path: Path,
) -> None:
    """The OTP is not consumed by a confirmation that died: no try counted, same code signs."""
    (user_id,) = add_people(db, 1)
    client_id = drive(db, store, settings, master, user_id, "contract")
    gate = Gate(tmp_path / "gate")
    spec = _spec(db_url, store, settings, master, user_id, "signed", "before_commit", gate)
    _run_and_kill(spec, gate)
    wait_until(lambda: open_transactions(db) == 0, timeout=15, what="the dead session to end")
    with db.reading() as session:
        contract = session.scalars(
            select(MasterContract).where(MasterContract.client_id == client_id)
        ).one()
        assert contract.status == "awaiting_signature"
        assert contract.otp_attempts == 0
        assert contract.otp_hash is not None
    step_action("signed", db, store, settings, master, user_id)
    assert client_state(db, client_id).status == "signed"


def test_child_helper_can_finish_when_not_killed(
    db: Database,
    db_url: str,
    settings: Settings,
    store: LocalStore,
    master: Actor,
    tmp_path: Path,
) -> None:
    """The harness itself: released instead of killed, the child completes the step."""
    (user_id,) = add_people(db, 1)
    client_id = drive(db, store, settings, master, user_id, "claimed")
    gate = Gate(tmp_path / "gate")
    spec = _spec(db_url, store, settings, master, user_id, "contacts", "before_commit", gate)
    child = start_child(spec)
    try:
        wait_until(
            lambda: gate.reached("before_commit") or child.poll() is not None,
            timeout=60,
            what="the gate",
        )
        gate.release("before_commit")
        _, err = child.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        child.kill()
        raise
    assert child.returncode == 0, err.decode()[-3000:]
    assert gate.reached("finished")
    assert client_state(db, client_id).version == 2
