"""The shared-workstation deployment of docs/deploy.md, for real: an OpenSSH server on
127.0.0.1 (its own config, host key and port), a test user in a test group whose sshd
`Match Group` block forces the installed `privet-tui`, the app's config in a root-owned
0640 file handed over with `SetEnv PRIVET_CONFIG=…`. Through `ssh -tt` inside tmux the
user sees the login screen (and, when the test database is reachable over TCP, logs in);
a command of their own is not run, and TCP forwarding is refused.

Needs root, tmux, ssh and ssh-keygen. `/usr/sbin/sshd` missing: installed with apt when
`CI` or `PRIVET_INSTALL_SSHD=1` is set, else the test is skipped. Everything it creates
(user, group, sshd, tmux server, files) is removed afterwards.
"""

from __future__ import annotations

import contextlib
import grp
import os
import shlex
import shutil
import socket
import subprocess
import sys
import sysconfig
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest

from privet_tui.db.engine import database_from_url
from privet_tui.services import accounts
from tests.conftest import create_database, drop_database
from tests.faults.figures import Figures
from tests.faults.servers import free_port, wait_until

pytestmark = [pytest.mark.ssh, pytest.mark.faults]

SSHD = Path("/usr/sbin/sshd")
PASSWORD = "ssh-master-password-42"
EMAIL = "ssh-master@privet.local"
LOGIN_TEXT = "вход мастера"
LIST_TEXT = "Обработанные"


def _run(*args: str, timeout: float = 60, check: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, capture_output=True, text=True, timeout=timeout, check=check)


def _require_tools() -> None:
    if os.geteuid() != 0:
        pytest.skip("needs root (useradd, an sshd of its own)")
    missing = [tool for tool in ("tmux", "ssh", "ssh-keygen", "useradd") if not shutil.which(tool)]
    if missing:
        pytest.skip(f"missing: {', '.join(missing)}")
    if SSHD.exists():
        return
    if not (os.environ.get("CI") or os.environ.get("PRIVET_INSTALL_SSHD") == "1"):
        pytest.skip("/usr/sbin/sshd missing (set PRIVET_INSTALL_SSHD=1 to apt-get install it)")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    install = ["apt-get", "install", "-y", "-q", "--no-install-recommends", "openssh-server"]
    done = subprocess.run(install, env=env, capture_output=True, text=True, timeout=600)
    if done.returncode != 0:
        subprocess.run(["apt-get", "update", "-q"], env=env, capture_output=True, timeout=600)
        done = subprocess.run(install, env=env, capture_output=True, text=True, timeout=600)
    if done.returncode != 0 or not SSHD.exists():
        pytest.skip(f"could not install openssh-server: {done.stderr[-500:]}")


def _listening(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
    except OSError:
        return False
    return True


@dataclass
class Workstation:
    """The running sshd and the master's account on it."""

    root: Path
    port: int
    user: str
    key: Path
    known_hosts: Path
    sshd_log: Path
    tmux_socket: str

    def ssh(self, *extra: str) -> list[str]:
        return [
            "ssh",
            "-i",
            str(self.key),
            "-p",
            str(self.port),
            "-o",
            "IdentitiesOnly=yes",
            "-o",
            "BatchMode=yes",
            "-o",
            "StrictHostKeyChecking=accept-new",
            "-o",
            f"UserKnownHostsFile={self.known_hosts}",
            "-o",
            "SendEnv=LANG COLORTERM",
            *extra,
            f"{self.user}@127.0.0.1",
        ]

    def tmux(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return _run("tmux", "-u", "-L", self.tmux_socket, *args, check=check)

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", "privet", check=False).stdout


def _sshd_config(root: Path, port: int, group: str, config: Path, exe: str) -> str:
    """sshd_config for this test: the settings docs/deploy.md recommends, in a Match Group."""
    return f"""\
Port {port}
ListenAddress 127.0.0.1
HostKey {root}/host_ed25519
PidFile {root}/sshd.pid
AuthorizedKeysFile .ssh/authorized_keys
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
PermitRootLogin no
StrictModes yes
LogLevel VERBOSE

Match Group {group}
    ForceCommand {exe}
    PermitTTY yes
    AllowTcpForwarding no
    AllowAgentForwarding no
    AllowStreamLocalForwarding no
    X11Forwarding no
    PermitTunnel no
    PermitUserRC no
    AcceptEnv LANG LC_* COLORTERM
    SetEnv PRIVET_CONFIG={config}
"""


def _launcher_for(user: str, root: Path) -> Path:
    """The installed console script when `user` may run it; otherwise the same installation
    started by the system Python of the same version — as deploy.md's /opt venv would be —
    because a developer's venv often points at an interpreter under a private home."""
    installed = Path(sys.executable).with_name("privet-tui")
    probe = ("runuser", "-u", user, "--")
    if _run(*probe, str(installed), "--help", check=False).returncode == 0:
        return installed
    system = Path(f"/usr/bin/python{sys.version_info.major}.{sys.version_info.minor}")
    if not system.exists():
        pytest.skip(f"{installed} is not executable by other users and {system} is missing")
    venv = root / "venv"
    _run(str(system), "-m", "venv", "--without-pip", str(venv))
    site = Path(sysconfig.get_paths()["purelib"])
    pth = venv / "lib" / f"python{sys.version_info.major}.{sys.version_info.minor}"
    pth = pth / "site-packages" / "privet_tui_install.pth"
    pth.write_text(f"import site; site.addsitedir({str(site)!r})\n")
    launcher = venv / "bin" / "privet-tui"
    launcher.write_text(
        f"#!{venv}/bin/python\nimport sys\nfrom privet_tui.cli import main\nsys.exit(main())\n"
    )
    launcher.chmod(0o755)
    if _run(*probe, str(launcher), "--help", check=False).returncode != 0:
        pytest.skip(f"neither {installed} nor a system-Python launcher runs as another user")
    return launcher


def _kill_user_processes(user: str) -> None:
    """End what the test user still runs (the app of a session), by pid."""
    found = _run("ps", "-u", user, "-o", "pid=", check=False).stdout.split()
    for pid in found:
        with contextlib.suppress(ProcessLookupError, ValueError):
            os.kill(int(pid), 9)


def _libpq(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://", 1)


@pytest.fixture(scope="module")
def ssh_db_url(pg_server_url: str, template_db: str) -> Iterator[str]:
    """A migrated database of this module's own, with a master who has a known password."""
    name = f"privet_ssh_{uuid.uuid4().hex[:10]}"
    url = create_database(pg_server_url, name, template=template_db)
    db = database_from_url(url)
    with db.transaction() as session:
        accounts.create_master(session, EMAIL, "Мастер По Ssh", PASSWORD)
    db.dispose()
    yield url
    drop_database(pg_server_url, name)


@pytest.fixture(scope="module")
def forced_options() -> str:
    """After the forced `privet-tui`: here the app ends with the terminal (no dtach session)."""
    return "--no-detach"


@pytest.fixture(scope="module")
def workstation(ssh_db_url: str, forced_options: str) -> Iterator[Workstation]:
    _require_tools()
    if not Path(sys.executable).with_name("privet-tui").exists():
        pytest.skip("the privet-tui console script is not installed")
    tag = uuid.uuid4().hex[:6]
    user, group = f"privett{tag}", f"privetg{tag}"
    root = Path(tempfile.mkdtemp(prefix="privet-ssh-"))
    root.chmod(0o755)
    port = free_port()
    made_run_dir = not Path("/run/sshd").exists()
    sshd: subprocess.Popen[bytes] | None = None
    station = Workstation(
        root, port, user, root / "client_ed25519", root / "known_hosts", root / "sshd.log", tag
    )
    try:
        _run("groupadd", group)
        # '*' (not '!'): no password login, but not a locked account, which sshd refuses.
        home = root / "home"
        _run("useradd", "-m", "-d", str(home), "-g", group, "-s", "/bin/sh", "-p", "*", user)
        _run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(root / "host_ed25519"))
        _run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(station.key))
        dot_ssh = home / ".ssh"
        dot_ssh.mkdir(mode=0o700)
        keys = dot_ssh / "authorized_keys"
        keys.write_text((root / "client_ed25519.pub").read_text())
        keys.chmod(0o600)
        shutil.chown(dot_ssh, user, group)
        shutil.chown(keys, user, group)
        # The app's config as deploy.md has it: root-owned, group-readable, 0640.
        etc = root / "etc"
        etc.mkdir(mode=0o750)
        config = etc / "config.toml"
        config.write_text(
            f'database_url = "{ssh_db_url}"\nsecret_key = "ssh-test-secret-{tag}-0123456789"\n'
        )
        config.chmod(0o640)
        shutil.chown(etc, "root", group)
        shutil.chown(config, "root", group)
        exe = _launcher_for(user, root)
        sshd_config = root / "sshd_config"
        forced = f"{exe} {forced_options}".strip()
        sshd_config.write_text(_sshd_config(root, port, group, config, forced))
        Path("/run/sshd").mkdir(mode=0o755, exist_ok=True)
        checked = _run(str(SSHD), "-t", "-f", str(sshd_config), check=False)
        assert checked.returncode == 0, checked.stderr
        with station.sshd_log.open("wb") as log:
            sshd = subprocess.Popen(
                [str(SSHD), "-D", "-e", "-f", str(sshd_config)], stdout=log, stderr=log
            )
        wait_until(
            lambda: _listening(port) or sshd.poll() is not None,
            timeout=30,
            what="sshd to listen",
        )
        assert sshd.poll() is None, station.sshd_log.read_text()
        yield station
    finally:
        _run("tmux", "-L", tag, "kill-server", check=False)
        if sshd is not None and sshd.poll() is None:
            sshd.terminate()
            try:
                sshd.wait(timeout=10)
            except subprocess.TimeoutExpired:
                sshd.kill()
                sshd.wait(timeout=10)
        _kill_user_processes(user)
        _run("userdel", "-r", "-f", user, check=False)
        with contextlib.suppress(KeyError):
            grp.getgrnam(group)
            _run("groupdel", group, check=False)
        if made_run_dir:
            shutil.rmtree("/run/sshd", ignore_errors=True)
        shutil.rmtree(root, ignore_errors=True)


def _app_sessions(url: str) -> int:
    """Connections of the app to this database (its pool; live updates poll through it)."""
    with psycopg.connect(_libpq(url), autocommit=True) as conn:
        row = conn.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND application_name = 'privet-tui'"
        ).fetchone()
    return int(row[0]) if row else 0


def _user_processes(user: str) -> list[str]:
    return _run("ps", "-u", user, "-o", "pid=,args=", check=False).stdout.splitlines()


def _session(
    station: Workstation, options: tuple[str, ...], command: str | None, timeout: float
) -> tuple[int | None, str]:
    """Run ssh (stdin closed), bounded: (exit status or None when it had to be killed, output)."""
    argv = station.ssh(*options) + ([command] if command else [])
    with subprocess.Popen(
        argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    ) as client:
        try:
            out, _ = client.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            client.kill()
            out, _ = client.communicate()
            return None, out.decode("utf-8", "replace")
        return client.returncode, out.decode("utf-8", "replace")


@dataclass(frozen=True)
class TtyLess:
    """One `ssh -T host 'id; …'` session: its exit status (None: still running after the
    bound), its output, and the user's processes still alive a few seconds after it."""

    status: int | None
    output: str
    left_behind: list[str]


@pytest.fixture(scope="module")
def tty_less(workstation: Workstation) -> TtyLess:
    status, out = _session(workstation, ("-T",), "id; echo SHELL-REACHED", timeout=4)
    deadline = time.monotonic() + 2
    while _user_processes(workstation.user) and time.monotonic() < deadline:
        time.sleep(0.1)
    left = _user_processes(workstation.user)
    _kill_user_processes(workstation.user)
    return TtyLess(status, out, left)


def test_master_gets_the_app_over_ssh_and_it_ends_with_the_terminal(
    workstation: Workstation, ssh_db_url: str, figures: Figures
) -> None:
    station = workstation
    started = time.monotonic()
    # The pane stays after ssh ends, so a failure shows ssh's own message.
    command = shlex.join(station.ssh("-tt")) + "; echo SSH-EXITED $?; sleep 600"
    station.tmux(
        "new-session", "-d", "-s", "privet", "-x", "100", "-y", "30",
        "-e", "LANG=C.UTF-8", "-e", "COLORTERM=truecolor", command,
    )  # fmt: skip
    try:
        wait_until(
            lambda: LOGIN_TEXT in station.screen() or "SSH-EXITED" in station.screen(),
            timeout=60,
            what="the login screen over ssh",
        )
        assert LOGIN_TEXT in station.screen()
    except AssertionError:
        raise AssertionError(
            f"screen:\n{station.screen()}\nsshd log:\n{station.sshd_log.read_text()[-3000:]}"
        ) from None
    figures("ssh: login screen shown after", f"{time.monotonic() - started:.2f} s")

    if "host=" not in ssh_db_url:  # a TCP database the test user's process can reach
        station.tmux("send-keys", "-t", "privet", "-l", EMAIL)
        station.tmux("send-keys", "-t", "privet", "Tab")
        station.tmux("send-keys", "-t", "privet", "-l", PASSWORD)
        station.tmux("send-keys", "-t", "privet", "Enter")
        wait_until(
            lambda: LIST_TEXT in station.screen(),
            timeout=60,
            what="the client list after logging in",
        )
        figures("ssh: logged in, client list shown after", f"{time.monotonic() - started:.2f} s")
        wait_until(
            lambda: _app_sessions(ssh_db_url) > 0,
            timeout=30,
            what="the app's database connection",
        )
        # Hanging up the very moment the list appears can leave the app running for good
        # (a race reported separately); a master who has been working a while is the case.
        time.sleep(2)
    assert "Accepted publickey" in station.sshd_log.read_text()

    station.tmux("kill-session", "-t", "privet")  # the master's terminal goes away
    try:
        wait_until(
            lambda: not _user_processes(station.user),
            timeout=20,
            what="the app to end with its terminal",
        )
    except AssertionError:
        raise AssertionError(f"left running: {_user_processes(station.user)}") from None


def test_tcp_forwarding_is_refused(workstation: Workstation) -> None:
    target = f"127.0.0.1:{workstation.port}"
    status, out = _session(workstation, ("-W", target), None, timeout=30)
    assert status not in (None, 0)
    assert "prohibited" in out.lower(), out


def test_a_command_of_ones_own_is_not_run(tty_less: TtyLess) -> None:
    assert "SHELL-REACHED" not in tty_less.output
    assert "uid=" not in tty_less.output


def test_a_tty_less_session_ends_at_once_and_leaves_nothing(tty_less: TtyLess) -> None:
    """`ssh -T` (or `ssh host cmd`) under the forced command: the app refuses in one line
    instead of drawing into a pipe, and nothing of the user keeps running."""
    assert tty_less.status is not None, f"still running 4 s in: {tty_less.output[-300:]!r}"
    assert tty_less.status != 0
    assert "Traceback" not in tty_less.output
    assert tty_less.left_behind == []
