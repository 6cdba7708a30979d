"""PostgreSQL restarted under a running session (`pg_ctl restart -m fast` on an embedded server
of this module's own): the next action reconnects through the pool's pre-ping, and a step
whose transaction the restart cut surfaces one clear database error and leaves nothing."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import exc as sa_exc
from sqlalchemy import select, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import QueuePool

from privet_tui.config import Settings
from privet_tui.db import migrate
from privet_tui.db.engine import Database, database_from_url
from privet_tui.db.legacy import create_fixture_tables
from privet_tui.db.models.clients import MasterClient, MasterDevice
from privet_tui.errors import DatabaseError
from privet_tui.photos import prepare
from privet_tui.services import orphans
from privet_tui.services.actor import Actor
from privet_tui.services.gateway import open_gateway
from privet_tui.services.steps import contacts
from privet_tui.services.steps import device_photos as photos
from privet_tui.storage.local import LocalStore
from tests.conftest import create_database
from tests.faults.child_process import Gate, GatedStore
from tests.faults.figures import Figures
from tests.faults.servers import DedicatedServer, wait_until
from tests.faults.state import client_state, object_keys, snapshot
from tests.faults.workflow import CONTACTS, PASSPORT, add_masters, add_people, drive
from tests.tui.step_screens import open_step, set_value, step_app, value, wait_for_workers

pytestmark = pytest.mark.faults

SECRET = "faults-secret-key-0123456789abcdef"
#: What a cut connection may surface as: SQLAlchemy's wrapper of psycopg's error, or ours.
CUT = (sa_exc.OperationalError, sa_exc.DBAPIError, DatabaseError)


@pytest.fixture(scope="module")
def template(dedicated_pg: DedicatedServer) -> str:
    """A migrated template on the dedicated server, cloned by every test of this module."""
    name = f"tpl_{uuid.uuid4().hex[:8]}"
    db = database_from_url(create_database(dedicated_pg.admin_url, name))
    with db.engine.begin() as conn:
        create_fixture_tables(conn)
    migrate.upgrade(db)
    db.dispose()
    return name


@dataclass
class World:
    """One test's database on the dedicated server, its store and people."""

    db: Database
    settings: Settings
    store: LocalStore
    master: Actor
    user_id: int


@pytest.fixture
def world(dedicated_pg: DedicatedServer, template: str, tmp_path: Path) -> Iterator[World]:
    url = create_database(dedicated_pg.admin_url, f"t_{uuid.uuid4().hex[:10]}", template)
    db = database_from_url(url)
    settings = Settings(database_url=url, secret_key=SECRET, data_dir=tmp_path / "data")
    (master,) = add_masters(db, 1)
    (user_id,) = add_people(db, 1)
    yield World(db, settings, LocalStore(tmp_path / "objects"), master, user_id)
    db.dispose()


def _timed_restart(server: DedicatedServer) -> float:
    started = time.perf_counter()
    server.restart()
    return time.perf_counter() - started


def _server_started_at(db: Database) -> datetime:
    with db.engine.connect() as conn:
        started: datetime = conn.execute(text("SELECT pg_postmaster_start_time()")).scalar_one()
    return started


def test_next_action_after_restart_reconnects(
    world: World, dedicated_pg: DedicatedServer, figures: Figures
) -> None:
    """The TUI's gateway keeps its pool across a restart: the next step simply works."""
    gateway = open_gateway(world.settings, database=world.db)
    card = gateway.claim_client(world.master, world.user_id)
    assert card.client_id is not None
    assert card.version is not None
    version = gateway.save_contacts(world.master, card.client_id, card.version, CONTACTS)
    pool = world.db.engine.pool
    assert isinstance(pool, QueuePool)
    assert pool.checkedin() >= 1  # a pooled connection the restart is about to kill
    booted = _server_started_at(world.db)

    figures("db restart: pg_ctl restart -m fast", f"{_timed_restart(dedicated_pg):.2f} s")

    started = time.perf_counter()
    saved = gateway.save_passport(world.master, card.client_id, version, PASSPORT)
    figures("db restart: first step after restart", f"{time.perf_counter() - started:.3f} s")
    assert saved.version == version + 1
    assert _server_started_at(world.db) > booted  # it really was a new server process
    again = gateway.client_card_by_id(world.master, card.client_id)
    assert again.passport is not None
    assert again.steps[1].state == "done"


def test_restart_mid_transaction_is_one_clear_error_and_nothing_written(
    world: World, dedicated_pg: DedicatedServer, figures: Figures
) -> None:
    """A save whose transaction the restart cut fails as a database error; a retry works."""
    client_id = drive(world.db, world.store, world.settings, world.master, world.user_id, "claimed")
    before = snapshot(world.db)
    version = client_state(world.db, client_id).version

    def save_across_restart() -> None:
        with world.db.transaction() as session:
            contacts.save_contacts(session, world.master, client_id, version, CONTACTS)
            session.flush()  # every statement ran; the COMMIT is what the restart denies
            dedicated_pg.restart()

    with pytest.raises(CUT) as caught:
        save_across_restart()
    figures("db restart inside a step surfaces as", type(caught.value).__name__)
    # A message a master can act on, naming the lost connection, not a bound value of ours.
    assert isinstance(caught.value, DatabaseError)
    assert "Связь с базой данных прервалась" in str(caught.value)
    assert PASSPORT.number not in str(caught.value)

    assert snapshot(world.db) == before  # nothing half-written
    with world.db.transaction() as session:  # the very same save, retried, lands
        assert contacts.save_contacts(session, world.master, client_id, version, CONTACTS) == (
            version + 1
        )


def test_restart_between_upload_and_commit_leaves_an_orphan_only(
    world: World, dedicated_pg: DedicatedServer, photo_file: Path
) -> None:
    """The photo is uploaded, then the database restarts before the row is written: no row,
    the object is an orphan that gc removes, and attaching again works."""
    db, store = world.db, world.store
    client_id = drive(db, store, world.settings, world.master, world.user_id, "devices")
    with db.reading() as session:
        device_id = session.scalars(
            select(MasterDevice.id).where(MasterDevice.client_id == client_id)
        ).one()
    gate = Gate(Path(world.settings.data_dir) / "gate")
    gated = GatedStore(store, gate, after_put="devices/")
    prepared = prepare(photo_file)
    before = snapshot(db)
    failure: list[BaseException] = []

    def attach() -> None:
        try:
            with db.transaction() as session:
                photos.attach_photo(session, gated, world.master, client_id, device_id, prepared)
        except BaseException as exc:
            failure.append(exc)

    worker = threading.Thread(target=attach)
    worker.start()
    wait_until(lambda: gate.reached("uploaded"), timeout=30, what="the upload")
    dedicated_pg.restart()
    gate.release("uploaded")
    worker.join(timeout=30)
    assert not worker.is_alive()
    assert len(failure) == 1, failure
    assert isinstance(failure[0], CUT), failure

    assert snapshot(db) == before
    (orphan,) = object_keys(store)
    with db.reading() as session:
        assert orphans.collect_garbage(session, store, grace=timedelta(0)) == [orphan]
    assert object_keys(store) == set()
    with db.transaction() as session:
        info = photos.attach_photo(session, store, world.master, client_id, device_id, prepared)
    assert object_keys(store) == {info.key}


async def test_screen_keeps_typed_values_while_the_database_is_down(
    world: World, dedicated_pg: DedicatedServer
) -> None:
    """On the Контакты screen: a restart is invisible (pre-ping reconnects); with the server
    down, saving shows the Russian notice and keeps every typed value; once the server is
    back, the same save lands."""
    address = "г. Москва, ул. Тверская, д. 7, кв. 1"
    async with step_app(world.settings, world.db, world.master) as (app, pilot, gateway):
        card = gateway.claim_client(world.master, world.user_id)
        assert card.client_id is not None
        screen = await open_step(app, pilot, gateway, world.master, 1, card.client_id)
        set_value(screen, "full_name", "Тестов Иван Петрович")
        set_value(screen, "address", address)
        shown: list[str] = []
        app.notify = lambda message, **kw: shown.append(str(message))  # type: ignore[method-assign]

        dedicated_pg.restart()
        await pilot.press("ctrl+s")
        await wait_for_workers(pilot)
        assert client_state(world.db, card.client_id).version == card.version + 1, (
            shown,
            [value(screen, n) for n in ("full_name", "phone", "email", "address")],
        )

        set_value(screen, "address", address + " (подъезд 2)")
        set_value(screen, "email", "new.address@example.ru")
        host = make_url(dedicated_pg.admin_url).query["host"]
        dedicated_pg.stop()
        try:
            await pilot.press("ctrl+s")
            await wait_for_workers(pilot)
            assert any("Связь с базой данных прервалась" in m for m in shown), shown
            assert value(screen, "address") == address + " (подъезд 2)"
            assert value(screen, "email") == "new.address@example.ru"
        finally:
            log = str(dedicated_pg.pgdata / "log")
            dedicated_pg.pg_ctl("-w", "-l", log, "-o", f'-h "" -k {host}', "start")
        await pilot.press("ctrl+s")
        await wait_for_workers(pilot)
    with world.db.reading() as session:
        row = session.get(MasterClient, card.client_id)
        assert row is not None
        assert (row.address, row.email) == (address + " (подъезд 2)", "new.address@example.ru")
