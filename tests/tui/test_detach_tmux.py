"""Issue 11 without sshd: the installed `privet-tui`, told it runs under ssh (`SSH_CONNECTION`),
starts in a real dtach session inside a real tmux terminal. Killing the terminal leaves the
app running; starting `privet-tui` again shows the same screen, with what was typed, at the
new terminal's size; a second terminal takes the session over; Ctrl+Q ends it all.
Skipped without tmux or dtach (`.ci/run` installs both)."""

from __future__ import annotations

import contextlib
import os
import shlex
import shutil
import signal
import stat
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from privet_tui.cli.detach import SOCKET_NAME, attached_clients
from tests.faults.servers import wait_until
from tests.tui.detach_walk import TYPED, type_into_contacts, wait_for
from tests.tui.test_tmux import _installed_cli

pytestmark = pytest.mark.skipif(
    not (shutil.which("tmux") and shutil.which("dtach")), reason="needs tmux and dtach"
)


class Desk:
    """A tmux server of our own where `privet-tui` is started as an ssh login would start it."""

    def __init__(self, env: dict[str, str], cache: Path) -> None:
        self.socket = f"privet-detach-{uuid.uuid4().hex[:8]}"
        self.env = env
        self.session_dir = cache / "privet-tui" / "sessions"

    def tmux(self, *args: str) -> str:
        done = subprocess.run(
            ["tmux", "-L", self.socket, *args], capture_output=True, text=True, timeout=10
        )
        return done.stdout

    def connect(self, name: str, width: int, height: int, client: str) -> None:
        """A new terminal running `privet-tui` from the connection `client` (host port)."""
        env = {**self.env, "SSH_CONNECTION": f"{client} 127.0.0.1 22"}
        command = " ".join(
            ["env", *(shlex.quote(f"{k}={v}") for k, v in env.items()), _installed_cli()]
        )
        # The pane stays after the client ends, so what dtach printed last can be read.
        self.tmux(
            "new-session", "-d", "-s", name, "-x", str(width), "-y", str(height),
            f"{command}; echo CLIENT-ENDED; sleep 600",
        )  # fmt: skip

    def screen(self, name: str) -> str:
        return self.tmux("capture-pane", "-p", "-t", name)

    def painted(self, name: str) -> str:
        """The screen with its colours and attributes (what the terminal was sent, cell by cell)."""
        return self.tmux("capture-pane", "-e", "-p", "-t", name)

    def masters(self) -> list[int]:
        """Pids of the dtach master of this desk's session (the app's parent)."""
        wanted = f"-n\0{self.session_dir / SOCKET_NAME}\0".encode()
        found = []
        for entry in Path("/proc").iterdir():
            with contextlib.suppress(OSError):
                if entry.name.isdigit() and wanted in (entry / "cmdline").read_bytes():
                    found.append(int(entry.name))
        return found


@pytest.fixture
def desk(demo_db_url: str) -> Iterator[Desk]:
    # A short root: the session socket's path must fit a Unix socket address (107 bytes).
    root = Path(tempfile.mkdtemp(prefix="privet-dt-"))
    env = {
        "DATABASE_URL": demo_db_url,
        "SECRET_KEY": "detach-test-secret-key-0123456789",
        "PRIVET_DATA_DIR": str(root / "data"),
        "PRIVET_NO_DETACH": "",
        "XDG_CONFIG_HOME": str(root / "config"),
        "XDG_STATE_HOME": str(root / "state"),
        "XDG_CACHE_HOME": str(root / "cache"),
        "TERM": "xterm-256color",
        "LANG": "C.UTF-8",
    }
    place = Desk(env, root / "cache")
    try:
        yield place
    finally:
        place.tmux("kill-server")
        for pid in place.masters():
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)
        shutil.rmtree(root, ignore_errors=True)


def test_a_killed_terminal_leaves_the_session_and_a_new_one_returns_to_it(desk: Desk) -> None:
    desk.connect("first", 100, 30, "10.0.0.7 50001")
    type_into_contacts(
        lambda *keys: desk.tmux("send-keys", "-t", "first", *keys), lambda: desk.screen("first")
    )
    mode = desk.session_dir.stat().st_mode
    assert stat.S_IMODE(mode) == 0o700
    assert stat.S_ISSOCK((desk.session_dir / SOCKET_NAME).stat().st_mode)

    desk.tmux("kill-session", "-t", "first")  # the terminal and its client are gone
    socket = desk.session_dir / SOCKET_NAME
    wait_until(lambda: not attached_clients(socket), timeout=10, what="the client to end")
    assert len(desk.masters()) == 1  # the session, and the app in it, still run

    desk.connect("second", 90, 26, "10.0.0.8 50002")
    wait_for(lambda: desk.screen("second"), TYPED, "the typed address after reconnecting")
    try:
        wait_until(lambda: _footer_on_line(desk.screen("second"), 26), timeout=10)
    except AssertionError:
        raise AssertionError(f"not redrawn at 90x26:\n{desk.screen('second')!r}") from None
    assert "Шаг 1 из 7: Контакты" in desk.screen("second").splitlines()[0]
    assert (desk.session_dir / "connection").read_text() == "10.0.0.8 50002 127.0.0.1 22"

    # A second connection of the same account takes the session; the first is detached.
    desk.connect("third", 100, 30, "10.0.0.9 50003")
    wait_for(lambda: desk.screen("third"), TYPED, "the typed address on the third terminal")
    wait_for(lambda: desk.screen("second"), "[detached]", "the second terminal let go")
    assert len(attached_clients(socket)) == 1

    # A reconnection at the very size the session already has: the new terminal starts blank,
    # so the app must paint it whole even though its screen model saw no change of size.
    desk.tmux("kill-session", "-t", "third")
    wait_until(lambda: not attached_clients(socket), timeout=10, what="the client to end")
    desk.connect("fourth", 100, 30, "10.0.0.9 50004")
    wait_for(lambda: desk.screen("fourth"), TYPED, "the typed address at the same size")
    wait_until(lambda: _footer_on_line(desk.screen("fourth"), 30), timeout=10)
    time.sleep(0.5)  # the reattach's frame is complete
    painted = desk.painted("fourth")
    # A resize and back makes the app paint the whole screen again: what a full paint shows.
    desk.tmux("resize-window", "-t", "fourth", "-x", "99")
    time.sleep(0.5)
    desk.tmux("resize-window", "-t", "fourth", "-x", "100")
    try:  # the 99-column frame is replaced by a full one; it must equal the reattach's
        wait_until(lambda: desk.painted("fourth") == painted, timeout=10)
    except AssertionError:
        raise AssertionError(
            f"the reattached screen was not painted whole:\n{painted}\nvs\n{desk.painted('fourth')}"
        ) from None

    # Ctrl+Q ends the app, its session and the socket.
    desk.tmux("send-keys", "-t", "fourth", "C-q")
    question = "Закрыть программу и потерять введённое?"  # the address is not saved
    wait_for(lambda: desk.screen("fourth"), question, "the question before closing")
    time.sleep(1.0)  # a deliberate question ignores keys for its first moments
    desk.tmux("send-keys", "-t", "fourth", "BTab")  # from «Остаться» (the default) to «Уйти»
    time.sleep(0.3)
    desk.tmux("send-keys", "-t", "fourth", "Enter")
    wait_for(lambda: desk.screen("fourth"), "CLIENT-ENDED", "the client ending with the app")
    wait_until(lambda: not desk.masters(), timeout=30, what="the session to end")
    assert not socket.exists()


def _footer_on_line(screen: str, height: int) -> bool:
    """The app fills exactly `height` rows: its footer is on the last one."""
    lines = screen.splitlines()
    return len(lines) == height and "Сохранить" in lines[-1]
