"""Client list at 100,000 users: first page, next page, search and count of every tab.

Runs against a throwaway database: on the server named by `PRIVET_BENCH_DATABASE_URL`
(a role that may create databases) or, without it, on a temporary embedded PostgreSQL.
Prints the median of several runs per query and the EXPLAIN ANALYZE of the slowest kinds.

    .venv/bin/python benchmarks/bench_client_list.py [--users 100000] [--runs 7]
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

from scratch import scratch_database  # benchmarks/ is on sys.path when run
from sqlalchemy import text
from sqlalchemy.dialects import postgresql

from privet_tui.db import migrate
from privet_tui.db.legacy import create_fixture_tables
from privet_tui.services.actor import Actor
from privet_tui.services.clients.listing import Tab, _tab_query, count_clients, list_clients

SEED_SQL = """
INSERT INTO users (last_name, first_name, middle_name, phone, email, created_at)
SELECT (ARRAY['Иванов','Петров','Сидоров','Кузнецов','Смирнов','Попов','Соколов','Лебедев',
              'Козлов','Новиков','Морозов','Волков','Алексеев','Зайцев','Павлов'])[1 + g % 15]
         || CASE WHEN g % 2 = 0 THEN 'а' ELSE '' END,
       (ARRAY['Иван','Пётр','Анна','Мария','Олег','Елена','Сергей','Ольга','Дмитрий','Юлия'])
         [1 + (g / 15) % 10],
       CASE WHEN g % 7 = 0 THEN NULL ELSE 'Сергеевич' END,
       CASE g % 3 WHEN 0 THEN '+7916' || lpad((g * 7919 % 10000000)::text, 7, '0')
                  WHEN 1 THEN '8 (903) ' || lpad((g * 104729 % 10000000)::text, 7, '0')
                  ELSE '7925' || lpad((g * 1299709 % 10000000)::text, 7, '0') END,
       'user' || g || '@example.ru',
       now() - make_interval(secs => (:n - g)::float8)
FROM generate_series(1::bigint, :n) AS g
"""

CLAIM_SQL = """
INSERT INTO master_clients (user_id, status, assigned_master_id, full_name, claimed_at,
                            finished_at)
SELECT u.id,
       CASE WHEN u.id % 10 < 5 THEN 'processed' WHEN u.id % 10 = 5 THEN 'cancelled'
            WHEN u.id % 10 = 6 THEN 'awaiting_signature' ELSE 'in_progress' END,
       m.id, u.last_name || ' ' || u.first_name, now(),
       CASE WHEN u.id % 10 <= 5 THEN now() END
FROM users u JOIN master_users m ON m.id = 1 + u.id % 10
WHERE u.id % 100 < :share
"""


def _median_ms(action: Callable[[], object], runs: int) -> float:
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=100_000)
    parser.add_argument("--claimed-percent", type=int, default=20)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()

    with scratch_database() as (db, _url, _tmp):
        run(db, args)


def run(db: object, args: argparse.Namespace) -> None:
    from privet_tui.db.engine import Database

    assert isinstance(db, Database)
    started = time.perf_counter()
    with db.engine.begin() as conn:
        create_fixture_tables(conn)
    migrate.upgrade(db)
    with db.engine.begin() as conn:
        conn.execute(text(SEED_SQL), {"n": args.users})
        conn.execute(
            text(
                "INSERT INTO master_users (email, name, password_hash) SELECT "
                "'m' || g || '@privet.local', 'Мастер ' || g, '!' FROM generate_series(1, 10) g"
            )
        )
        conn.execute(text(CLAIM_SQL), {"share": args.claimed_percent})
    with db.engine.connect() as conn:
        conn.execution_options(isolation_level="AUTOCOMMIT").execute(text("VACUUM ANALYZE"))
        claimed = conn.execute(text("SELECT count(*) FROM master_clients")).scalar_one()
    print(
        f"seeded {args.users:,} users, {claimed:,} claimed in {time.perf_counter() - started:.1f} s"
    )

    # Master 8 holds in-progress clients (user id ending in 7) in the seed above.
    master = Actor(id=8, email="m8@privet.local", name="Мастер 8")
    admin = Actor(id=2, email="m2@privet.local", name="Мастер 2", role="admin")
    searches = {
        "name": "петрова ольга",
        "phone 8916…": "8916 000",
        "phone +7 903": "+7 903 12",
        "email": "user4242@",
        "no match": "щщщщ",
    }
    print(f"\nmedian of {args.runs} runs, page size 100 (ms)")
    print(f"{'tab':<10} {'query':<22} {'rows':>5} {'ms':>8}")
    with db.reading() as session:
        for tab in ("new", "mine", "processed"):
            first = list_clients(session, master, tab)  # warm-up, and the cursor
            ms = _median_ms(lambda t=tab: list_clients(session, master, t), args.runs)
            print(f"{tab:<10} {'first page':<22} {len(first.rows):>5} {ms:>8.1f}")
            if first.next_cursor is not None:
                cursor = first.next_cursor
                ms = _median_ms(
                    lambda t=tab, c=cursor: list_clients(session, master, t, after=c), args.runs
                )
                print(f"{tab:<10} {'second page':<22} {'':>5} {ms:>8.1f}")
            for label, query in searches.items():
                page = list_clients(session, master, tab, search=query)
                ms = _median_ms(
                    lambda t=tab, q=query: list_clients(session, master, t, search=q), args.runs
                )
                print(f"{tab:<10} {'search ' + label:<22} {len(page.rows):>5} {ms:>8.1f}")
            ms = _median_ms(lambda t=tab: count_clients(session, master, t), args.runs)
            count = count_clients(session, master, tab)
            print(f"{tab:<10} {'count':<22} {count:>5} {ms:>8.1f}")
        ms = _median_ms(lambda: list_clients(session, admin, "mine"), args.runs)
        print(f"{'mine':<10} {'first page (admin)':<22} {'':>5} {ms:>8.1f}")
        for tab, query in (("new", ""), ("new", "user4242@"), ("mine", "")):
            explain(session, master, tab, query)


def explain(session: object, actor: Actor, tab: Tab, search: str) -> None:
    """Print EXPLAIN ANALYZE of a first page (the query list_clients sends)."""
    from sqlalchemy.orm import Session

    from privet_tui.db.legacy import LegacyUser

    assert isinstance(session, Session)
    stmt, key = _tab_query(actor, tab, search, (LegacyUser.id,))
    sql = (
        stmt.order_by(key.desc())
        .limit(101)
        .compile(dialect=postgresql.dialect(), compile_kwargs={"literal_binds": True})
    )
    plan = session.execute(text(f"EXPLAIN (ANALYZE, COSTS OFF) {sql}")).scalars().all()
    print(f"\nEXPLAIN ANALYZE {tab} first page, search={search!r}")
    for line in plan:
        print("  " + line)


if __name__ == "__main__":
    main()
