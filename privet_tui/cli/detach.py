"""A master's session outlives a dropped ssh connection (issue 11), by Debian's `dtach`.

Under ssh (`SSH_CONNECTION` set: a master's own ssh or the deployment's `ForceCommand`),
`privet-tui` does not draw on the ssh terminal itself. It starts the app in a dtach session
of this Unix account (`dtach -n`, once) and replaces itself with a dtach client attached to
that session (`dtach -a`). When the connection drops, only the client dies; the app keeps
its screen and what was typed. The next connection of the same account attaches to the
same session, which redraws at the new terminal's size (redraw method `winch`).

- No way out to a shell: dtach's detach and suspend keys are off (`-E -z`), and the only
  program in the session is the app.
- No other account can attach: the socket lives in `~/.cache/privet-tui/sessions` (honours
  `XDG_CACHE_HOME`), a directory only its owner may enter; it is checked (a real directory,
  owned by this account, mode 0700) before every use and refused otherwise.
- A second connection takes the session over: the client attached before it is told to
  leave (SIGHUP: dtach prints «[detached]» and that ssh session ends).
- A session nobody is attached to ends by itself after `master_access_token_expire_minutes`
  (`watch_detached`, a thread in the app; dtach marks the socket executable while a client
  is attached).
- Opt out with `privet-tui --no-detach` or `PRIVET_NO_DETACH=1`; without dtach the app runs
  attached as before and the log says why.

Nothing here imports Textual: the decision and the `exec` happen before the app is loaded.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import signal
import socket
import stat
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

log = logging.getLogger(__name__)

#: Set inside the session: the socket's path (the app there must not detach again).
SESSION_ENV = "PRIVET_TUI_SESSION"
#: `1` (or `yes`, `true`): never detach (the desk, a debugging session).
OPT_OUT_ENV = "PRIVET_NO_DETACH"
#: Detach key off, suspend key passed to the app, redraw by SIGWINCH at every attach.
DTACH_OPTIONS = ("-E", "-z", "-r", "winch")
SOCKET_NAME = "tui.sock"
#: The ssh connection of the client attached last, for the app's evidence records.
CONNECTION_FILE = "connection"
_SOCKET_PATH_MAX = 107  # sun_path holds 108 bytes with the final NUL
#: Would pin the app to the first terminal's size: every attach brings its own.
_SIZE_VARIABLES = ("COLUMNS", "LINES")


class SessionDirRefused(Exception):
    """The session directory is not private to this account (the message says how)."""


@dataclass(frozen=True)
class Session:
    """Where this account's detached session lives and the dtach that runs it."""

    socket: Path
    dtach: str

    @property
    def directory(self) -> Path:
        return self.socket.parent


def session_dir(environ: Mapping[str, str] | None = None) -> Path:
    """`$XDG_CACHE_HOME/privet-tui/sessions`, else `~/.cache/privet-tui/sessions`.

    Not `$XDG_RUNTIME_DIR`: logind removes that directory when the account's last login
    ends, which is exactly when the session must stay reachable."""
    env = os.environ if environ is None else environ
    cache = env.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(cache) / "privet-tui" / "sessions"


def private_dir_problem(path: Path, uid: int | None = None) -> str | None:
    """Why `path` may not hold a session socket, or None when it is a real directory owned by
    `uid` (default: this process's) that nobody else may enter (no group/other bits)."""
    owner = os.getuid() if uid is None else uid
    try:
        info = path.lstat()
    except OSError as error:
        return f"{path}: {error.strerror}"
    if not stat.S_ISDIR(info.st_mode):
        return f"{path} is not a directory"
    if info.st_uid != owner:
        return f"{path} belongs to uid {info.st_uid}, not {owner}"
    if stat.S_IMODE(info.st_mode) & 0o077:
        return f"{path} has mode {stat.S_IMODE(info.st_mode):04o}, not 0700"
    return None


def ensure_private_dir(path: Path) -> Path:
    """Create `path` (0700) when missing, then check it; raises SessionDirRefused.

    An existing directory is never chmod-ed into shape: one that is open to others may
    already hold someone's socket, so it is refused and reported instead."""
    with contextlib.suppress(FileExistsError):
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        path.mkdir(mode=0o700)
    problem = private_dir_problem(path)
    if problem:
        raise SessionDirRefused(problem)
    return path


def wanted(environ: Mapping[str, str] | None = None, *, opted_out: bool = False) -> bool:
    """Detach under ssh, unless opted out or already inside the session."""
    env = os.environ if environ is None else environ
    if opted_out or env.get(OPT_OUT_ENV, "").strip().lower() in ("1", "yes", "true", "on"):
        return False
    return bool(env.get("SSH_CONNECTION")) and not env.get(SESSION_ENV)


def prepare(environ: Mapping[str, str] | None = None) -> Session | None:
    """The session to attach to, or None (logged) when the app must run attached: no dtach,
    a refused directory, or a socket path too long for a Unix socket."""
    dtach = shutil.which("dtach")
    if dtach is None:
        log.warning("dtach is not installed: running attached; a dropped connection ends the app")
        return None
    try:
        directory = ensure_private_dir(session_dir(environ))
    except (SessionDirRefused, OSError) as error:
        log.warning("session directory refused (%s): running attached", error)
        return None
    path = directory / SOCKET_NAME
    if len(os.fsencode(path)) > _SOCKET_PATH_MAX:
        log.warning("session socket path too long (%s): running attached", path)
        return None
    return Session(path, dtach)


def attach(session: Session, argv: list[str]) -> NoReturn:
    """Start the app in the session if none runs, detach any other client, become a client.

    `argv` is the app's own command line, run inside the session with `SESSION_ENV` set.
    Replaces this process (exec); returns only by raising OSError."""
    _note_connection(session)
    if not _alive(session.socket):
        with contextlib.suppress(FileNotFoundError):
            session.socket.unlink()  # a stale socket of a session that died
        env = {k: v for k, v in os.environ.items() if k not in _SIZE_VARIABLES}
        env[SESSION_ENV] = str(session.socket)
        command = [session.dtach, "-n", str(session.socket), *DTACH_OPTIONS, *argv]
        started = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
        if started.returncode != 0 and not _alive(session.socket):
            # Another connection may have won the race; anything else is a real failure.
            raise OSError(f"dtach -n failed: {started.stderr.strip() or started.returncode}")
        log.info("session started in %s", session.socket)
    else:
        taken = detach_other_clients(session.socket)
        log.info("attaching to the running session (%d other client(s) detached)", taken)
    client = [session.dtach, "-a", str(session.socket), *DTACH_OPTIONS]
    os.execv(session.dtach, client)  # noqa: S606 - dtach by its full path, fixed arguments


def _note_connection(session: Session) -> None:
    """Write this connection's SSH_CONNECTION where the app reads it (0600, atomically)."""
    value = os.environ.get("SSH_CONNECTION", "")
    target = session.directory / CONNECTION_FILE
    temp = target.with_name(f".{CONNECTION_FILE}.{os.getpid()}")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as out:
        out.write(value)
    os.replace(temp, target)


def _alive(path: Path) -> bool:
    """A dtach master is listening on `path`."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as probe:
        try:
            probe.connect(os.fsencode(path))
        except OSError:
            return False
    return True


def attached_clients(path: Path) -> list[int]:
    """Pids of this account's `dtach -a <path>` clients (read from /proc)."""
    found = []
    me = os.getuid()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if entry.stat().st_uid != me:
                continue
            args = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if (
            len(args) >= 3
            and os.path.basename(args[0]) == b"dtach"
            and args[1] == b"-a"
            and args[2] == os.fsencode(path)
        ):
            found.append(int(entry.name))
    return found


def detach_other_clients(path: Path) -> int:
    """SIGHUP every client attached to `path` but this process; how many were told."""
    told = 0
    for pid in attached_clients(path):
        if pid == os.getpid():
            continue
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(pid, signal.SIGHUP)
            told += 1
    return told


def is_attached(path: Path) -> bool:
    """dtach sets the socket's owner-execute bit while at least one client is attached."""
    try:
        return bool(path.stat().st_mode & stat.S_IXUSR)
    except OSError:
        return False


def watch_detached(
    path: Path,
    life_seconds: float,
    end: Callable[[], None],
    *,
    poll_seconds: float = 1.0,
    clock: Callable[[], float] = time.monotonic,
    stop: threading.Event | None = None,
) -> None:
    """Call `end` once nobody has been attached to the session at `path` for `life_seconds`;
    meanwhile keep `SSH_CONNECTION` at the connection attached last. Runs until `end` is
    called or `stop` is set (a loop for a daemon thread)."""
    stopped = stop or threading.Event()
    connection = path.parent / CONNECTION_FILE
    seen: float | None = None
    detached_since: float | None = None
    while not stopped.is_set():
        seen = _follow_connection(connection, seen)
        now = clock()
        if is_attached(path):
            detached_since = None
        elif detached_since is None:
            detached_since = now
            log.info("session detached; it ends in %.0f s unless a client attaches", life_seconds)
        elif now - detached_since >= life_seconds:
            log.info("session detached for %.0f s: ending the app", now - detached_since)
            end()
            return
        stopped.wait(poll_seconds)


def _follow_connection(connection: Path, seen: float | None) -> float | None:
    """Copy a newer connection file into `SSH_CONNECTION`; the file's mtime as seen now."""
    with contextlib.suppress(OSError):
        mtime = connection.stat().st_mtime
        if mtime != seen:
            value = connection.read_text().strip()
            if value:
                os.environ["SSH_CONNECTION"] = value
        return mtime
    return seen


def start_watch(life_minutes: float) -> threading.Thread | None:
    """Inside a session: the watchdog thread that ends the app (SIGHUP to itself, the same
    clean exit as a hang-up) after `life_minutes` with nobody attached."""
    value = os.environ.get(SESSION_ENV)
    if not value:
        return None
    thread = threading.Thread(
        target=watch_detached,
        args=(Path(value), life_minutes * 60.0, lambda: os.kill(os.getpid(), signal.SIGHUP)),
        name="privet-detached-life",
        daemon=True,
    )
    thread.start()
    return thread


def enter_session(*, opted_out: bool = False) -> None:
    """Under ssh, replace this process with a client of the account's session (see the module
    doc); return when the app must run here, attached (no ssh, opted out, no dtach...)."""
    if not wanted(opted_out=opted_out):
        return
    session = prepare()
    if session is None:
        return
    # -P: the master's working directory is not put on sys.path (a `privet_tui` folder there
    # must not replace the installed app).
    argv = [sys.executable, "-P", "-m", "privet_tui", *sys.argv[1:]]
    try:
        attach(session, argv)
    except OSError as error:
        log.warning("could not enter the detached session (%s): running attached", error)


def doctor_check() -> str:
    """`privet-tui doctor`'s line: is dtach there, is this account's session directory private
    ("WARN …" when a dropped connection would end the app)."""
    dtach = shutil.which("dtach")
    if dtach is None:
        return "WARN dtach is not installed (apt install dtach): a dropped connection ends the app"
    directory = session_dir()
    problem = private_dir_problem(directory) if directory.exists() else None
    if problem:
        return f"WARN session directory refused, sessions run attached: {problem}"
    return f"{dtach}; sessions in {directory} (0700, per account)"
