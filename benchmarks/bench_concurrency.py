"""Many masters at once, at the service level: throughput of logins, claims, contact saves,
device adds and the document steps (contract, signature, payment, invoice) when every master
works from two terminals whose saves race. The same workload as tests/faults/test_concurrency.py
(it lives in tests/faults/load.py and load_phases.py), but by default every client goes through
to the invoice.

Runs against a throwaway database: on the server named by `PRIVET_BENCH_DATABASE_URL`
(a role that may create databases) or, without it, on a temporary embedded PostgreSQL.
Prints figures only (operations per second, refused operations counted); nothing is asserted
but the invariants (no double claim, unique numbers), which are printed as checks.

    .venv/bin/python benchmarks/bench_concurrency.py [--masters 30] [--clients 300]
        [--flows-per-master 0 (= all of a master's clients)] [--real-argon2]
"""

from __future__ import annotations

import argparse
import os
import sys
import uuid
from collections import Counter
from pathlib import Path

from scratch import scratch_database  # benchmarks/ is on sys.path when run
from sqlalchemy import func, select

from privet_tui.config import Settings
from privet_tui.db import migrate
from privet_tui.db.engine import Database
from privet_tui.db.legacy import create_fixture_tables
from privet_tui.db.models.billing import MasterContract, MasterInvoice
from privet_tui.db.models.clients import MasterClient
from privet_tui.storage.local import LocalStore

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the checkout, for `tests`

from tests.faults import load as harness  # the shared workload of the fault tests
from tests.faults import load_phases


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--masters", type=int, default=30)
    parser.add_argument("--clients", type=int, default=300)
    parser.add_argument(
        "--flows-per-master",
        type=int,
        default=0,
        help="clients per master taken through steps 2-7 (0: all of them)",
    )
    parser.add_argument(
        "--real-argon2",
        action="store_true",
        help="hash with the app's argon2 costs (64 MiB each: mind the RAM with many masters)",
    )
    args = parser.parse_args()
    if not args.real_argon2:
        from argon2 import PasswordHasher

        from privet_tui.services import accounts

        accounts.use_password_hasher(PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))

    with scratch_database() as (db, url, tmp):
        with db.engine.begin() as conn:
            create_fixture_tables(conn)
        migrate.upgrade(db)
        run(db, url, tmp, args)


def run(db: Database, url: str, tmp: Path, args: argparse.Namespace) -> None:
    key = f"bench-{uuid.uuid4().hex}"  # a throwaway HMAC key for the OTPs of this run
    settings = Settings(database_url=url, secret_key=key, data_dir=tmp / "data")
    store = LocalStore(tmp / "objects")
    flows = args.flows_per_master or args.clients
    load = harness.make_load(
        url,
        db,
        store,
        settings,
        masters=args.masters,
        clients=args.clients,
        flows_per_master=flows,
    )
    print(
        f"{args.masters} masters x 2 terminals, {args.clients} clients, "
        f"steps 2-7 for up to {flows} client(s) per master, {os.cpu_count()} CPU(s)"
    )
    phases = []
    steps = (
        ("logins", load_phases.phase_logins),
        ("claims", load_phases.phase_claims),
        ("contacts", load_phases.phase_contacts),
        ("devices", load_phases.phase_devices),
        ("documents", load_phases.phase_flow),
    )
    try:
        for title, work in steps:
            result = harness.run_phase(title, load, work, timeout=3600)
            phases.append(result)
            print(result.line())
            for error in result.errors[:5]:
                print(f"  ERROR {error}")
            if title == "claims":
                harness.assign_owned(load, db)
            if result.errors:
                break
    finally:
        harness.close_load(load)
    operations = sum(p.operations for p in phases)
    seconds = sum(p.seconds for p in phases)
    print(f"{'all':<9} {operations:>5} ops in {seconds:6.2f} s = {operations / seconds:7.1f} ops/s")
    _checks(db, args.clients)


def _checks(db: Database, clients: int) -> None:
    """The invariants, printed (the fault test asserts them)."""
    with db.reading() as session:
        claimed = session.scalar(select(func.count()).select_from(MasterClient))
        contracts = session.scalars(select(MasterContract.number)).all()
        invoices = session.scalars(select(MasterInvoice.number)).all()
        live = Counter(
            session.scalars(
                select(MasterContract.client_id).where(MasterContract.status != "voided")
            )
        )
        processed = session.scalar(select(func.count()).where(MasterClient.status == "processed"))
    print(f"check: {claimed} of {clients} applicants claimed, one master each (unique user_id)")
    print(f"check: {len(contracts)} contracts, {len(set(contracts))} distinct numbers")
    print(f"check: {len(invoices)} invoices, {len(set(invoices))} distinct numbers")
    print(f"check: clients with more than one live contract: {sum(n > 1 for n in live.values())}")
    print(f"check: {processed} clients processed (invoice issued)")


if __name__ == "__main__":
    main()
