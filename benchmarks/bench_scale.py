"""Many masters on one database (issue 14): N simulated sessions walk the whole onboarding at a
human pace through a real PgBouncer (transaction mode) in front of PostgreSQL, each with its
own pool (the app's budget: 1 idle, 2 busy) and its own live feed. Prints the server
connections used, p50/p95/p99 of each step and of the live-update delay, and whether any
change was lost or delivered twice, against the issue's targets. Figures, not asserts.

The harness: the service layer through `Gateway` (not terminals), one thread per session
(think times are sleeps, so a thread costs nothing while the master "thinks"); each session's
own `LiveFeed` is polled every 2 s through the session's own pool by a few polling threads
(the feed's `poll()`, not its thread: a thousand feed threads would time the interpreter
lock instead of the database); sessions spread over `--procs` processes. The default pace:
a step every ~60 s per master (a master fills a form, talks to the client), all N masters
onboarding at once, started over 2 minutes. PDF rendering and sealing are CPU work of the
master's own workstation, not of the database: only `--real-pdf` sessions render and seal
real documents (timed apart, as "pdf" steps); the others store a pre-rendered PDF of the
same size, and every database write of those steps (numbers, OTP, rows, object) is real.
Login (argon2) is measured by bench_tui.py; sessions here start logged in.

    .venv/bin/python benchmarks/bench_scale.py [--sessions 1000] [--think 20] [--procs 2]

Needs `pgbouncer` (Debian: apt-get install pgbouncer) and a PostgreSQL server
(`PRIVET_BENCH_SERVER_URL`, a role that may create databases; default 127.0.0.1:5432).
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import random
import shutil
import statistics
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from pathlib import Path
from typing import Any

import psycopg
from sqlalchemy import select, text
from sqlalchemy.engine import make_url

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from privet_tui.config import Settings
from privet_tui.db.engine import database_from_url
from privet_tui.db.legacy import LegacyUser
from privet_tui.db.models.masters import MasterUser
from privet_tui.services.actor import Actor
from tests.integration.pgbouncer import start_pgbouncer

SERVER = os.environ.get("PRIVET_BENCH_SERVER_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
SECRET = "bench-secret-key-0123456789abcdef"  # noqa: S105 - a throwaway database
STEPS = ("claim", "card", "contacts", "passport", "device", "tariff", "payment", "otp read")
PDF_STEPS = ("contract", "signature", "invoice")
TARGETS = {"server_connections": 60, "step_p95_ms": 100, "live_p95_s": 3.0}


def _libpq(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://", 1)


def _percentiles(values: list[float]) -> tuple[float, float, float]:
    if len(values) < 2:
        one = values[0] if values else float("nan")
        return one, one, one
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return cuts[49], cuts[94], cuts[98]


def _histogram_cut(counts: Counter[int], total: int, q: float) -> float:
    """The q-quantile of 10 ms bins (bin → count), in seconds (the bin's upper edge)."""
    running = 0
    for key in sorted(counts):
        running += counts[key]
        if running >= q * total:
            return (key + 1) / 100
    return float("nan")


# --- setup -------------------------------------------------------------------------------


def prepare(url: str, sessions: int, data_dir: Path) -> Settings:
    """Tables, migrations, tariffs, the seal; `sessions` masters and applicants."""
    from privet_tui.demo.seed import seed_demo
    from privet_tui.seal_files import ensure_seal
    from privet_tui.services import accounts

    settings = Settings(database_url=url, secret_key=SECRET, data_dir=data_dir)
    ensure_seal(settings)
    db = database_from_url(url)
    seed_demo(db)
    digest = accounts.hash_password("bench-password-1")
    with db.transaction() as s:
        s.execute(
            text(
                "INSERT INTO master_users (email, name, password_hash, role)"
                " SELECT 'scale' || g || '@privet.local', 'Мастер ' || g, :h, 'master'"
                " FROM generate_series(1, :n) AS g"
            ),
            {"h": digest, "n": sessions + 1},
        )
        s.execute(
            text(
                "INSERT INTO users (last_name, first_name, middle_name, phone, email)"
                " SELECT 'Иванов', 'Пётр', 'Сергеевич', '+7916' || lpad(g::text, 7, '0'),"
                " 'scale' || g || '@example.ru' FROM generate_series(1, :n) AS g"
            ),
            {"n": sessions + 1},
        )
    db.dispose()
    return settings


def _pairs(url: str, sessions: int) -> list[tuple[Actor, int]]:
    db = database_from_url(url)
    with db.reading() as s:
        masters = s.scalars(
            select(MasterUser).where(MasterUser.email.like("scale%")).order_by(MasterUser.id)
        ).all()
        users = s.scalars(
            select(LegacyUser.id).where(LegacyUser.email.like("scale%")).order_by(LegacyUser.id)
        ).all()
        actors = [Actor(id=m.id, email=m.email, name=m.name, role=m.role) for m in masters]
    db.dispose()
    return list(zip(actors, users, strict=True))[:sessions]


from scale_session import COMMITS, Session, patch_pdf_rendering  # noqa: E402


def worker(
    settings: Settings,
    pairs: list[tuple[Actor, int, bool]],
    args: argparse.Namespace,
    start_at: float,
    results: Any,
) -> None:
    """Run this process's share of the sessions; put one result dict on `results`."""
    threading.stack_size(512 * 1024)
    # Many threads doing short I/O behind one interpreter lock: hand it over sooner than the
    # default 5 ms, or each round trip of a step waits for a poller's turn to end.
    sys.setswitchinterval(0.001)
    sessions = [Session(settings, actor, user, real) for actor, user, real in pairs]
    for s in sessions:
        s.feed.poll()  # connects the session's pool; the feed starts at its end
        s.first = s.feed.cursor.high or 0
    done = threading.Event()
    pollers = [
        threading.Thread(target=poll_feeds, args=(sessions[i :: args.pollers], done, args.interval))
        for i in range(args.pollers)
    ]
    for thread in pollers:
        thread.start()
    print(f"worker {os.getpid()}: {len(sessions)} sessions polling", flush=True)
    rng = random.Random(os.getpid())

    def walk(session: Session, delay: float) -> None:
        time.sleep(max(0.0, start_at + delay - time.time()))
        try:
            session.onboard(args.think, random.Random(rng.random()))
        except Exception as exc:
            session.errors.append(f"{exc.__class__.__name__}: {exc}")

    walkers = [threading.Thread(target=walk, args=(s, rng.uniform(0, args.ramp))) for s in sessions]
    for thread in walkers:
        thread.start()
    for thread in walkers:
        thread.join()
    time.sleep(args.settle)  # the last changes reach every feed
    done.set()
    for thread in pollers:
        thread.join()
    # A feed that fell behind is not a feed that lost something: let every feed catch up
    # (late deliveries count in the delays above), then count what never came.
    committed = _committed_ids(settings)
    high = committed[-1] if committed else 0
    for s in sessions:
        while s.feed.poll() or (s.feed.cursor.high or 0) < high:
            pass
    out: dict[str, Any] = {"times": {}, "delays": Counter(), "doubled": 0, "errors": []}
    lost = 0
    for s in sessions:
        for name, values in s.times.items():
            out["times"].setdefault(name, []).extend(values)
        out["delays"].update(s.delays)
        out["doubled"] += s.doubled
        out["errors"].extend(s.errors)
        first = s.first or 0
        lost += sum(
            1
            for i in committed
            if first < i <= high and (i - first >= len(s.seen) or not s.seen[i - first])
        )
        s.door.close()
    out["lost"] = lost
    out["sessions"] = len(sessions)
    results.put(out)


def poll_feeds(sessions: list[Session], done: threading.Event, interval: float) -> None:
    """Poll each session's own `LiveFeed` (its `poll()`, through its own pool) every
    `interval` seconds, the polls spread over the interval: what each session's feed thread
    does, without a thousand threads fighting for one interpreter lock."""
    while not done.is_set():
        started = time.monotonic()
        for index, session in enumerate(sessions):
            done.wait(max(0.0, started + interval * index / len(sessions) - time.monotonic()))
            try:
                while session.feed.poll():
                    pass
            except Exception as exc:
                session.errors.append(f"live feed: {exc.__class__.__name__}")
        done.wait(max(0.0, started + interval - time.monotonic()))


def _committed_ids(settings: Settings) -> list[int]:
    assert settings.database_url is not None
    db = database_from_url(settings.database_url, pool_size=1, max_overflow=0)
    with db.reading() as s:
        ids = [int(i) for i in s.scalars(text("SELECT id FROM master_live_events ORDER BY id"))]
    db.dispose()
    return ids


# --- the run -----------------------------------------------------------------------------


def monitor(direct: str, database: str, stop: threading.Event, peak: list[int]) -> None:
    """Sample the server connections to the bench database every 0.2 s."""
    with psycopg.connect(_libpq(direct), autocommit=True) as conn:
        while not stop.wait(0.2):
            row = conn.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = %s", (database,)
            ).fetchone()
            peak.append(int(row[0]) if row else 0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=1000)
    parser.add_argument("--think", type=float, default=60.0, help="mean seconds between steps")
    parser.add_argument("--ramp", type=float, default=120.0, help="seconds over which to start")
    parser.add_argument("--procs", type=int, default=4)
    parser.add_argument("--real-pdf", type=int, default=20, help="sessions rendering real PDFs")
    parser.add_argument("--server-pool", type=int, default=40, help="PgBouncer pool size")
    parser.add_argument("--settle", type=float, default=5.0)
    parser.add_argument("--interval", type=float, default=2.0, help="live feed poll, seconds")
    parser.add_argument("--pollers", type=int, default=8, help="feed-polling threads per process")
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="privet-scale-"))
    name = f"privet_scale_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(_libpq(SERVER), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    direct = make_url(SERVER).set(database=name).render_as_string(hide_password=False)
    bouncer = start_pgbouncer(
        SERVER,
        folder / "pgbouncer",
        pool_size=args.server_pool,
        max_client_conn=2 * args.sessions + 100,
    )
    try:
        prepare(direct, args.sessions, folder / "data")
        settings = Settings(
            database_url=bouncer.url(direct).replace("postgresql://", "postgresql+psycopg://"),
            secret_key=SECRET,
            data_dir=folder / "data",
        )
        run(args, settings, direct, name)
        print(server_side(bouncer.admin_url(), name))
    finally:
        bouncer.stop()
        with psycopg.connect(_libpq(SERVER), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        shutil.rmtree(folder, ignore_errors=True)


def run(args: argparse.Namespace, settings: Settings, direct: str, database: str) -> None:
    *pairs, spare = _pairs(direct, args.sessions + 1)
    patch_pdf_rendering()  # before the fork: the warm-up fills the pre-rendered PDFs
    warm = Session(settings, *spare, real_pdf=True)
    warm.onboard(0.0, random.Random(0))
    warm.door.close()
    COMMITS.clear()
    real = set(random.Random(1).sample(range(len(pairs)), min(args.real_pdf, len(pairs))))
    shares = [
        [(a, u, i in real) for i, (a, u) in enumerate(pairs) if i % args.procs == p]
        for p in range(args.procs)
    ]
    context = multiprocessing.get_context("fork")
    results = context.Queue()
    start_at = time.time() + 5 + args.sessions / 200  # engines and feeds first
    stop, peak = threading.Event(), [0]
    watcher = threading.Thread(target=monitor, args=(direct, database, stop, peak))
    watcher.start()
    procs = [
        context.Process(target=worker, args=(settings, share, args, start_at, results))
        for share in shares
    ]
    began = time.time()
    for proc in procs:
        proc.start()
    outs = [results.get() for _ in procs]
    for proc in procs:
        proc.join()
    stop.set()
    watcher.join()
    report(args, outs, max(peak), time.time() - began)


def server_side(console: str, database: str) -> str:
    """PgBouncer's own totals for the bench database: how long queries and transactions took
    on the server side and how long clients waited for a server connection; set against the
    step times above, it tells the database's share from the harness's."""
    with psycopg.connect(console, autocommit=True) as conn:
        cursor = conn.execute("SHOW STATS")
        names = [c.name for c in cursor.description or ()]
        rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    row = next((r for r in rows if r["database"] == database), None)
    if row is None:
        return "PgBouncer stats: none"
    xacts, queries = int(row["total_xact_count"]), int(row["total_query_count"])
    return (
        f"server side (PgBouncer SHOW STATS): {xacts} transactions, {queries} queries;"
        f" mean query {int(row['total_query_time']) / max(queries, 1) / 1000:.2f} ms,"
        f" mean transaction {int(row['total_xact_time']) / max(xacts, 1) / 1000:.2f} ms"
        f" (BEGIN to COMMIT, the client's own time between statements included),"
        f" waiting for a server connection {int(row['total_wait_time']) / 1e6:.1f} s in all"
    )


def report(args: argparse.Namespace, outs: list[dict[str, Any]], peak: int, wall: float) -> None:
    times: dict[str, list[float]] = {}
    delays: Counter[int] = Counter()
    for out in outs:
        for key, values in out["times"].items():
            times.setdefault(key, []).extend(values)
        delays.update(out["delays"])
    errors = [e for out in outs for e in out["errors"]]
    print(
        f"{sum(o['sessions'] for o in outs)} sessions through PgBouncer (transaction mode, "
        f"pool {args.server_pool}), think ~{args.think:g} s, {args.procs} processes, "
        f"{wall:.0f} s wall"
    )
    print(f"server connections (pg_stat_activity, max): {peak}  target ≤ 60")
    print(f"{'step':<12}{'n':>7}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}")
    worst = 0.0
    for name in (*STEPS, *PDF_STEPS):
        values = times.get(name, [])
        if not values:
            continue
        p50, p95, p99 = _percentiles(values)
        if name not in PDF_STEPS:
            worst = max(worst, p95)
        print(f"{name:<12}{len(values):>7}{p50:>9.1f}{p95:>9.1f}{p99:>9.1f}")
    print(f"worst non-PDF step p95: {worst:.1f} ms  target ≤ 100 ms")
    print(
        f"  (pdf steps: {args.real_pdf} sessions render and seal real PDFs; the rest store a "
        "pre-rendered one)"
    )
    total = sum(delays.values())
    if total:
        p50, p95, p99 = (_histogram_cut(delays, total, q) for q in (0.50, 0.95, 0.99))
        print(
            f"live delay (a step's commit → every session's notice), {total} deliveries:"
            f" p50 {p50:.2f} s, p95 {p95:.2f} s, p99 {p99:.2f} s  target p95 ≤ 3 s"
        )
    lost = sum(o["lost"] for o in outs)
    doubled = sum(o["doubled"] for o in outs)
    print(f"live changes lost: {lost}, delivered twice: {doubled}  target 0 / 0")
    print(f"failed onboardings: {len(errors)}")
    for line in sorted(set(errors))[:10]:
        print("  ", line)


if __name__ == "__main__":
    main()
