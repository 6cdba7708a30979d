"""The dtach session's guards (issue 11): a private socket directory, who may detach, the
session's life with nobody attached (a real dtach where the test needs one)."""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from privet_tui.cli import detach
from tests.faults.servers import wait_until

DTACH = shutil.which("dtach")
needs_dtach = pytest.mark.skipif(DTACH is None, reason="dtach is not installed")


@pytest.fixture
def short_dir() -> Iterator[Path]:
    """A short private path (a Unix socket's path holds at most 107 bytes)."""
    path = Path(tempfile.mkdtemp(prefix="privet-dx-"))
    yield path
    shutil.rmtree(path, ignore_errors=True)


def test_a_new_session_dir_is_made_private(short_dir: Path) -> None:
    made = detach.ensure_private_dir(short_dir / "cache" / "privet-tui" / "sessions")
    assert made.stat().st_mode & 0o777 == 0o700
    assert detach.private_dir_problem(made) is None


@pytest.mark.parametrize("mode", [0o755, 0o750, 0o701, 0o770])
def test_a_dir_others_may_enter_is_refused_not_repaired(short_dir: Path, mode: int) -> None:
    sessions = short_dir / "sessions"
    sessions.mkdir(mode=0o700)
    sessions.chmod(mode)
    with pytest.raises(detach.SessionDirRefused, match="not 0700"):
        detach.ensure_private_dir(sessions)
    assert sessions.stat().st_mode & 0o777 == mode


def test_a_symlink_or_someone_elses_dir_is_refused(short_dir: Path) -> None:
    real = short_dir / "real"
    real.mkdir(mode=0o700)
    (short_dir / "link").symlink_to(real)
    assert "not a directory" in (detach.private_dir_problem(short_dir / "link") or "")
    problem = detach.private_dir_problem(real, uid=os.getuid() + 1)
    assert problem is not None
    assert "belongs to uid" in problem


def test_without_a_private_dir_the_app_runs_attached(
    short_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    sessions = short_dir / "privet-tui" / "sessions"
    sessions.mkdir(parents=True, mode=0o777)
    sessions.chmod(0o777)
    if DTACH is None:
        pytest.skip("dtach is not installed")
    assert detach.prepare({"XDG_CACHE_HOME": str(short_dir)}) is None
    assert "session directory refused" in caplog.text


@pytest.mark.parametrize(
    ("environ", "opted_out", "expected"),
    [
        ({"SSH_CONNECTION": "1 2 3 4"}, False, True),
        ({"SSH_CONNECTION": "1 2 3 4"}, True, False),  # --no-detach
        ({"SSH_CONNECTION": "1 2 3 4", "PRIVET_NO_DETACH": "1"}, False, False),
        ({"SSH_CONNECTION": "1 2 3 4", "PRIVET_TUI_SESSION": "/x"}, False, False),  # inside
        ({}, False, False),  # the desk: no ssh
    ],
)
def test_who_detaches(environ: dict[str, str], opted_out: bool, expected: bool) -> None:
    assert detach.wanted(environ, opted_out=opted_out) is expected


def _session(root: Path, program: str) -> Path:
    """A real dtach session (as `attach` starts it) running `python -c program`."""
    assert DTACH is not None
    sessions = detach.ensure_private_dir(root / "sessions")
    socket = sessions / detach.SOCKET_NAME
    argv = [DTACH, "-n", str(socket), *detach.DTACH_OPTIONS, sys.executable, "-c", program]
    env = {**os.environ, detach.SESSION_ENV: str(socket)}
    subprocess.run(argv, check=True, env=env, timeout=10)
    return socket


@needs_dtach
def test_another_account_cannot_attach(short_dir: Path) -> None:
    if os.geteuid() != 0:
        pytest.skip("needs root to run dtach as another account")
    try:
        nobody = pwd.getpwnam("nobody")
    except KeyError:
        pytest.skip("no 'nobody' account")
    short_dir.chmod(0o755)  # only the session directory itself is private
    socket = _session(short_dir, "import time; time.sleep(30)")
    try:
        tried = subprocess.run(
            ["runuser", "-u", nobody.pw_name, "--", DTACH or "", "-p", str(socket)],
            input=b"x",
            capture_output=True,
            timeout=10,
        )
        assert tried.returncode != 0
        assert b"Permission denied" in tried.stdout + tried.stderr
    finally:
        subprocess.run([DTACH or "", "-p", str(socket)], input=b"", timeout=10, check=False)
        for pid in _masters(socket):
            os.kill(pid, 15)


def _masters(socket: Path) -> list[int]:
    wanted = f"-n\0{socket}\0".encode()
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and wanted in (entry / "cmdline").read_bytes():
                found.append(int(entry.name))
        except OSError:
            continue
    return found


@needs_dtach
def test_a_session_nobody_attaches_to_ends_after_its_life(short_dir: Path) -> None:
    """`start_watch` in a real dtach session: with nobody attached it ends the program
    (SIGHUP, the app's clean hang-up) after the life; the session and its socket go."""
    program = (
        "import time\n"
        "from privet_tui.cli.detach import start_watch\n"
        "start_watch(0.01)\n"  # 0.6 s
        "time.sleep(60)\n"
    )
    socket = _session(short_dir, program)
    session = str(socket)
    assert detach.is_attached(socket) is False
    wait_until(lambda: not socket.exists(), timeout=20, what=f"the session {session} to end")
    assert _masters(socket) == []


@needs_dtach
def test_a_watched_session_lives_while_a_client_is_attached(short_dir: Path) -> None:
    """The same life, but a client attached (in tmux): the session stays; once the client
    goes, it ends."""
    if shutil.which("tmux") is None:
        pytest.skip("tmux is not installed")
    program = (
        "import time\n"
        "from privet_tui.cli.detach import start_watch\n"
        "start_watch(0.02)\n"  # 1.2 s
        "time.sleep(60)\n"
    )
    sessions = detach.ensure_private_dir(short_dir / "sessions")
    socket = sessions / detach.SOCKET_NAME
    server = f"privet-dx-{os.getpid()}"
    tmux = ["tmux", "-L", server]
    client = [DTACH or "", "-A", str(socket), *detach.DTACH_OPTIONS, sys.executable, "-c"]
    env = {detach.SESSION_ENV: str(socket)}
    try:
        subprocess.run(
            [*tmux, "new-session", "-d", "-x", "80", "-y", "24",
             *(f"-e{k}={v}" for k, v in env.items()), *client, program],
            check=True, timeout=10,
        )  # fmt: skip
        wait_until(lambda: detach.is_attached(socket), timeout=20, what="the client to attach")
        time.sleep(3)  # a span, not an event: nothing happens while a client stays attached
        assert socket.exists()  # 3 s > the 1.2 s life: attached, it lives
        subprocess.run([*tmux, "kill-server"], timeout=10, check=False)
        wait_until(lambda: not socket.exists(), timeout=20, what="the session to end")
    finally:
        subprocess.run([*tmux, "kill-server"], timeout=10, check=False, capture_output=True)
        for pid in _masters(socket):
            os.kill(pid, 15)


def test_the_watch_follows_the_connection_attached_last(
    short_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After a reconnect the app's evidence (SSH_CONNECTION) names the new connection."""
    sessions = detach.ensure_private_dir(short_dir / "sessions")
    (sessions / detach.CONNECTION_FILE).write_text("10.0.0.9 9 10.0.0.2 22")
    monkeypatch.setenv("SSH_CONNECTION", "10.0.0.1 1 10.0.0.2 22")
    ended: list[bool] = []
    detach.watch_detached(
        sessions / detach.SOCKET_NAME, 0.0, lambda: ended.append(True), poll_seconds=0.01
    )
    assert ended == [True]  # no socket: nobody attached, and a life of 0
    assert os.environ["SSH_CONNECTION"] == "10.0.0.9 9 10.0.0.2 22"


def test_the_session_runs_the_installed_app_not_one_in_the_working_directory(
    short_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`python -m` would put the working directory first on sys.path: a `privet_tui` folder
    there (a checkout in the master's home) must not become the app in the session."""
    if DTACH is None:
        pytest.skip("dtach is not installed")
    started: list[list[str]] = []
    monkeypatch.setenv("SSH_CONNECTION", "10.0.0.1 1 10.0.0.2 22")
    monkeypatch.setenv("XDG_CACHE_HOME", str(short_dir))
    monkeypatch.delenv(detach.SESSION_ENV, raising=False)
    monkeypatch.delenv(detach.OPT_OUT_ENV, raising=False)
    monkeypatch.setattr(detach, "attach", lambda session, argv: started.append(argv))
    detach.enter_session()
    assert started
    assert started[0][:4] == [sys.executable, "-P", "-m", "privet_tui"]
