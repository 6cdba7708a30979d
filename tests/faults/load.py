"""Many masters at once: the harness of the load that test_concurrency.py and
benchmarks/bench_concurrency.py share (the phases themselves are in `load_phases`).

Each master works from two terminals (two threads, each with its own engine, as two ssh
sessions would), so that saves of the same client really race.
"""

from __future__ import annotations

import random
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from privet_tui.config import Settings
from privet_tui.db.engine import Database, database_from_url
from privet_tui.db.models.clients import MasterClient
from privet_tui.services.actor import Actor
from privet_tui.storage.base import ObjectStore
from tests.faults.workflow import add_masters, add_people, default_tariff_id

#: The password of every load master (hashed with whatever hasher the process configured).
PASSWORD = "load-password-42"
WRONG_PASSWORD = "not-the-password"


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


def attempt(
    terminal: Terminal, tally: Tally, action: Callable[..., Any], *args: Any
) -> tuple[bool, Any]:
    """`action(session, *args)` in a transaction of the terminal's own: done (True, its result)
    counts as ok; refused (a conflict or a state that no longer allows it: False, None) counts
    as refused; any other error is raised."""
    from privet_tui.errors import ConflictError, StateError

    try:
        with terminal.db.transaction() as session:
            result = action(session, *args)
    except (ConflictError, StateError):
        tally.refused += 1
        return False, None
    tally.ok += 1
    return True, result


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
