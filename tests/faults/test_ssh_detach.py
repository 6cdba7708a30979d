"""Issue 11 over the real OpenSSH server of test_ssh.py (its `workstation` fixture, with the
forced command exactly as docs/deploy.md has it, no options): the demo master types into the
Контакты form, the ssh client is killed with SIGKILL, a new `ssh -tt` of the same account
shows the same form with the typed text, at the new terminal's size. Needs what test_ssh.py
needs, plus dtach; the database must be reachable over TCP (the test user logs in)."""

from __future__ import annotations

import os
import shlex
import shutil
import signal
import stat
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from privet_tui.cli.detach import SOCKET_NAME
from tests.conftest import create_database, drop_database
from tests.faults.servers import wait_until
from tests.faults.test_ssh import Workstation, _user_processes
from tests.faults.test_ssh import workstation as workstation  # the module's own sshd
from tests.tui.detach_walk import TYPED, type_into_contacts, wait_for

pytestmark = [pytest.mark.ssh, pytest.mark.faults]


@pytest.fixture(scope="module")
def forced_options() -> str:
    """The forced command as deployed: `privet-tui` alone, so it detaches."""
    return ""


@pytest.fixture(scope="module")
def ssh_db_url(pg_server_url: str, demo_template: str) -> Iterator[str]:
    """A copy of the seeded demo for this module (the demo master logs in over ssh)."""
    if not shutil.which("dtach"):
        pytest.skip("dtach is not installed")
    name = f"privet_sshd_{uuid.uuid4().hex[:10]}"
    url = create_database(pg_server_url, name, template=demo_template)
    if "host=" in url:
        drop_database(pg_server_url, name)
        pytest.skip("the test user's process cannot reach a socket-only database")
    yield url
    drop_database(pg_server_url, name)


def _connect(station: Workstation, width: int, height: int) -> int:
    """`ssh -tt` in a fresh tmux window of the given size; the ssh client's pid."""
    station.tmux(
        "new-session", "-d", "-s", "privet", "-x", str(width), "-y", str(height),
        "-e", "LANG=C.UTF-8", "-e", "COLORTERM=truecolor",
        "exec " + shlex.join(station.ssh("-tt")),
    )  # fmt: skip
    return int(station.tmux("display-message", "-p", "-t", "privet", "#{pane_pid}").stdout)


def test_a_killed_ssh_client_leaves_the_session_and_a_reconnect_returns_to_it(
    workstation: Workstation,
) -> None:
    station = workstation
    client = _connect(station, 100, 30)
    type_into_contacts(
        lambda *keys: station.tmux("send-keys", "-t", "privet", *keys), station.screen
    )

    os.kill(client, signal.SIGKILL)  # the phone's ssh app dies mid-form
    wait_until(
        lambda: station.tmux("has-session", "-t", "privet", check=False).returncode != 0,
        timeout=10,
        what="the killed client's window to close",
    )
    sessions = station.root / "home" / ".cache" / "privet-tui" / "sessions"
    wait_until(
        lambda: not any(" -a " in line for line in _user_processes(station.user)),
        timeout=20,
        what="sshd to end the dead connection's dtach client",
    )
    assert any("privet_tui" in line for line in _user_processes(station.user))
    info = sessions.stat()
    assert stat.S_IMODE(info.st_mode) == 0o700
    assert info.st_uid == Path(station.root / "home").stat().st_uid  # the master's own
    assert stat.S_ISSOCK((sessions / SOCKET_NAME).stat().st_mode)

    _connect(station, 90, 26)
    wait_for(station.screen, TYPED, "the typed address after reconnecting over ssh")
    wait_for(station.screen, "Шаг 1 из 7: Контакты", "the same step after reconnecting")
    wait_until(
        lambda: "Сохранить" in (station.screen().splitlines() or [""])[-1],
        timeout=10,
        what="the footer on row 26 (redrawn at the new size)",
    )
    assert len(station.screen().splitlines()) == 26
