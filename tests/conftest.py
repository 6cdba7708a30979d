"""Databases for the tests: a real PostgreSQL, never SQLite.

`PRIVET_TEST_DATABASE_URL` (a role that may create databases) names the server; without
it an embedded server is started once per test run in a temporary directory (under
pytest-xdist the workers share it: the first to arrive starts it, the last to leave stops and
deletes it). A template database holding the legacy fixture tables and every migration is
built once per process (per xdist worker); each test that asks for `db_url` gets its own
database cloned from it. Every database name carries the worker and a random part, so
workers, and other runs on the same server, never clash.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import hypothesis
import psycopg
import pytest
from sqlalchemy.engine import make_url

from privet_tui.config import Settings
from privet_tui.db import migrate
from privet_tui.db.engine import Database, database_from_url
from privet_tui.db.legacy import create_fixture_tables

if TYPE_CHECKING:
    from privet_tui.services.steps.device_photos import PhotoOutcome
    from privet_tui.storage.base import ObjectStore

TEST_SECRET_KEY = "test-secret-key-0123456789abcdef"
SHARED_TESTDATA = Path(__file__).resolve().parents[2] / "shared" / "testdata"


def _libpq(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://", 1)


def _with_database(url: str, name: str) -> str:
    return make_url(url).set(database=name).render_as_string(hide_password=False)


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Under pytest-xdist (`--dist loadgroup`), keep the tests of a module that share a
    module-scoped fixture (an sshd, a dedicated server, a seeded database) on one worker, so
    the fixture is built once, not once per worker. Without xdist the mark does nothing."""
    for item in items:
        info = getattr(item, "_fixtureinfo", None)
        if info is None:
            continue
        if any(
            defs[-1].scope == "module"
            for name in info.names_closure
            if (defs := info.name2fixturedefs.get(name))
        ):
            item.add_marker(pytest.mark.xdist_group(item.nodeid.split("::")[0]))


@pytest.fixture(scope="session", autouse=True)
def _cheap_password_hashing() -> None:
    """argon2id with tiny costs: the suite hashes hundreds of times; the algorithm is the same."""
    from argon2 import PasswordHasher

    from privet_tui.services import accounts

    accounts.use_password_hasher(PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


@pytest.fixture(scope="session", autouse=True)
def _not_under_ssh() -> None:
    """Apps the tests start never detach into a dtach session because pytest itself runs over
    ssh (issue 11); the tests of detaching set SSH_CONNECTION themselves."""
    os.environ.pop("SSH_CONNECTION", None)


@pytest.fixture(scope="session")
def pg_server_url() -> Iterator[str]:
    """Admin URL of the PostgreSQL server the suite runs against."""
    given = os.environ.get("PRIVET_TEST_DATABASE_URL")
    if given:
        from privet_tui.config import normalize_database_url

        yield normalize_database_url(given)
        return
    from privet_tui.db import embedded

    run = os.environ.get("PYTEST_XDIST_TESTRUNUID")
    if run:  # one server for all the workers of this run (the wheel counts its users)
        root = Path(tempfile.gettempdir()) / f"privet-test-pg-{run}"
        root.mkdir(exist_ok=True)
    else:
        root = Path(tempfile.mkdtemp(prefix="privet-test-pg-"))
    root.chmod(0o755)
    (root / "pg").mkdir(exist_ok=True)  # before the wheel, which refuses a racing mkdir
    yield embedded.start_temporary(root / "pg")
    embedded.stop(root / "pg")  # the last user stops the server, then deletes its data
    if not (root / "pg").exists():
        shutil.rmtree(root, ignore_errors=True)


def create_database(server_url: str, name: str, template: str | None = None) -> str:
    with psycopg.connect(_libpq(server_url), autocommit=True) as conn:
        clause = f' TEMPLATE "{template}"' if template else ""
        conn.execute(f'CREATE DATABASE "{name}"{clause}')
    return _with_database(server_url, name)


def _unique(prefix: str, hex_chars: int) -> str:
    """A database name no other test, worker or run picks: prefix, xdist worker, random part."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    return f"{prefix}_{worker + '_' if worker else ''}{uuid.uuid4().hex[:hex_chars]}"


def drop_database(server_url: str, name: str) -> None:
    with psycopg.connect(_libpq(server_url), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def template_db(pg_server_url: str) -> Iterator[str]:
    """Name of a migrated template database with the legacy fixture tables."""
    name = _unique("privet_tpl", 10)
    url = create_database(pg_server_url, name)
    db = database_from_url(url)
    with db.engine.begin() as conn:
        create_fixture_tables(conn)
    migrate.upgrade(db)
    db.dispose()
    yield name
    drop_database(pg_server_url, name)


@pytest.fixture
def db_url(pg_server_url: str, template_db: str) -> Iterator[str]:
    """A fresh migrated database of this test's own."""
    name = _unique("privet_t", 12)
    url = create_database(pg_server_url, name, template=template_db)
    yield url
    drop_database(pg_server_url, name)


@pytest.fixture
def bare_db_url(pg_server_url: str) -> Iterator[str]:
    """A fresh empty database (no legacy tables, no migrations)."""
    name = _unique("privet_b", 12)
    url = create_database(pg_server_url, name)
    yield url
    drop_database(pg_server_url, name)


@pytest.fixture
def db(db_url: str) -> Iterator[Database]:
    database = database_from_url(db_url)
    yield database
    database.dispose()


@pytest.fixture(scope="session")
def seal_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The run's company seal (self-signed, made once: an RSA key takes a while)."""
    from privet_tui.seal_files import create_self_signed_seal

    data_dir = tmp_path_factory.mktemp("seal")
    return create_self_signed_seal(Settings(data_dir=data_dir)).certificate.parent


def _test_settings(url: str, tmp_path: Path, seal_dir: Path) -> Settings:
    """Settings on `url` with a local store in tmp_path, a fixed key, and the run's seal in
    the data dir (where `privet-tui seal init` puts one)."""
    shutil.copytree(seal_dir, tmp_path / "data" / "seal")  # modes kept: the key stays 0600
    return Settings(
        database_url=url,
        secret_key=TEST_SECRET_KEY,
        data_dir=tmp_path / "data",
        photo_inbox=tmp_path / "inbox",
    )


@pytest.fixture
def settings(db_url: str, tmp_path: Path, seal_dir: Path) -> Settings:
    """Settings for one test on its own database (`_test_settings`)."""
    return _test_settings(db_url, tmp_path, seal_dir)


@pytest.fixture(scope="session")
def demo_template(
    pg_server_url: str, template_db: str, tmp_path_factory: pytest.TempPathFactory, seal_dir: Path
) -> Iterator[str]:
    """A database the demo was seeded into once per worker (every state, walked through the
    gateway), to copy for tests that read the demo's rows; its documents stay in that one
    data dir, so copies have rows without objects."""
    from privet_tui.demo.seed import seed_demo
    from privet_tui.demo.states import seed_states

    name = _unique("privet_demo", 10)
    url = create_database(pg_server_url, name, template=template_db)
    data_dir = tmp_path_factory.mktemp("demo") / "data"
    shutil.copytree(seal_dir, data_dir / "seal")
    config = Settings(database_url=url, secret_key=TEST_SECRET_KEY, data_dir=data_dir)
    db = database_from_url(url)
    seed_demo(db, extra=lambda d: seed_states(d, config))
    db.dispose()
    yield name
    drop_database(pg_server_url, name)


@pytest.fixture
def demo_db_url(pg_server_url: str, demo_template: str) -> Iterator[str]:
    """A fresh copy of the seeded demo database for one test."""
    name = _unique("privet_d", 12)
    url = create_database(pg_server_url, name, template=demo_template)
    yield url
    drop_database(pg_server_url, name)


@pytest.fixture
def demo_settings(demo_db_url: str, tmp_path: Path, seal_dir: Path) -> Settings:
    """Settings on a copy of the seeded demo (`_test_settings`); its documents are not here."""
    return _test_settings(demo_db_url, tmp_path, seal_dir)


@pytest.fixture
def demo_db(demo_db_url: str) -> Iterator[Database]:
    """The demo's clients in every state, masters and payments (a copy of the seeded demo)."""
    database = database_from_url(demo_db_url)
    yield database
    database.dispose()


# --- people for service tests -------------------------------------------------------------

from privet_tui.services.actor import Actor  # noqa: E402


def add_master(db: Database, email: str, name: str, role: str = "master") -> Actor:
    """Insert a master row directly (the accounts service has its own tests)."""
    from privet_tui.db.models.masters import MasterUser

    with db.transaction() as session:
        row = MasterUser(email=email, name=name, password_hash="!", role=role)
        session.add(row)
        session.flush()
        return Actor(id=row.id, email=email, name=name, role=role)


def add_user(
    db: Database,
    last: str = "Петров",
    first: str = "Иван",
    middle: str | None = "Сергеевич",
    phone: str | None = "+79161234567",
    email: str | None = "ivan.petrov@example.ru",
) -> int:
    """Insert a person into the legacy `users` table, as the client app would."""
    from privet_tui.db.legacy import LegacyUser

    with db.transaction() as session:
        user = LegacyUser(
            last_name=last, first_name=first, middle_name=middle, phone=phone, email=email
        )
        session.add(user)
        session.flush()
        return user.id


@pytest.fixture
def master(db: Database) -> Actor:
    return add_master(db, "master1@privet.local", "Алексей Смирнов")


@pytest.fixture
def other_master(db: Database) -> Actor:
    return add_master(db, "master2@privet.local", "Ольга Кузнецова")


@pytest.fixture
def admin(db: Database) -> Actor:
    return add_master(db, "admin@privet.local", "Администратор", role="admin")


@pytest.fixture
def user_id(db: Database) -> int:
    return add_user(db)


# --- the gateway's transactions, for tests that call services directly ----------------------


def log_in(db: Database, email: str, password: str, **kwargs: Any) -> Actor:
    """`login.authenticate` with transactions of its own, as the gateway runs it (a refused
    login is committed, then raised)."""
    from privet_tui.services import login

    def transact(operation: Callable[..., Any], /, *args: Any, **kw: Any) -> Any:
        with db.transaction() as session:
            return operation(session, *args, **kw)

    return login.authenticate(transact, email, password, **kwargs)


def attach_files(
    db: Database,
    store: ObjectStore,
    actor: Actor | None,
    client_id: int,
    device_id: int,
    paths: Sequence[str | os.PathLike[str]],
    **kwargs: Any,
) -> list[PhotoOutcome]:
    """The gateway's photo batch (one transaction per file) on this database and store."""
    from privet_tui.services.gateway import open_gateway

    door = open_gateway(Settings(secret_key=TEST_SECRET_KEY), database=db, store=store)
    return door.attach_photos(actor, client_id, device_id, paths, **kwargs)


# Hypothesis judges examples by their results, not their speed: on a loaded two-core CI machine
# its default 200 ms deadline only adds flaky failures (speed is measured in benchmarks/).
hypothesis.settings.register_profile("privet", deadline=None)
hypothesis.settings.load_profile("privet")
