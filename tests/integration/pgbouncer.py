"""A real PgBouncer (Debian's `pgbouncer`) in transaction mode on a loopback port, in front of
the test server (TCP or the embedded server's Unix socket): trust auth, a throwaway config.

`PgBouncer.url(direct_url)` turns a test database's URL into the same database through the
pooler. Used by the pooler tests and by `benchmarks/bench_scale.py`.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import make_url

#: Where Debian puts the program (not on a normal user's PATH).
CANDIDATES = ("/usr/sbin/pgbouncer", "/usr/bin/pgbouncer")


def pgbouncer_program() -> str | None:
    """The pgbouncer executable, or None when it is not installed."""
    found = shutil.which("pgbouncer")
    return found or next((p for p in CANDIDATES if os.access(p, os.X_OK)), None)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass
class PgBouncer:
    """A running pgbouncer process; `stop()` ends it."""

    process: subprocess.Popen[bytes]
    port: int
    folder: Path

    def url(self, direct_url: str) -> str:
        """`direct_url`'s database and user through the pooler (no password: trust)."""
        url = make_url(direct_url)
        return (
            url.set(host="127.0.0.1", port=self.port, password=None)
            .difference_update_query(["host", "port"])
            .render_as_string(hide_password=False)
        )

    def admin_url(self) -> str:
        """The pooler's own console (`SHOW POOLS`, `SHOW CONFIG`), as libpq wants it."""
        return f"postgresql://postgres@127.0.0.1:{self.port}/pgbouncer"

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def start_pgbouncer(
    server_url: str,
    folder: Path,
    *,
    pool_size: int = 20,
    max_client_conn: int = 500,
) -> PgBouncer:
    """Start pgbouncer in transaction mode in front of `server_url`'s server, every database
    (`* =`), `pool_size` server connections per database and user. Raises RuntimeError when
    it does not come up."""
    program = pgbouncer_program()
    if program is None:
        raise RuntimeError("pgbouncer is not installed (apt-get install pgbouncer)")
    url = make_url(server_url)
    socket_dir = url.query.get("host")
    if isinstance(socket_dir, tuple):
        socket_dir = socket_dir[0]
    # Root may run the tests; pgbouncer refuses to stay root, so it becomes a user that can
    # reach the server: the embedded server's own (its socket folder's owner), else nobody.
    run_as = "nobody"
    if socket_dir:  # the embedded server: a Unix socket folder (and its port's socket name)
        sockets = sorted(Path(socket_dir).glob(".s.PGSQL.*"))
        server_port = int(sockets[0].suffix[1:]) if sockets else 5432
        target = f"host={socket_dir} port={server_port}"
        run_as = pwd.getpwuid(Path(socket_dir).stat().st_uid).pw_name
    else:
        target = f"host={url.host or '127.0.0.1'} port={url.port or 5432}"
    user = url.username or "postgres"
    port = _free_port()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "users.txt").write_text(f'"{user}" ""\n')
    config = folder / "pgbouncer.ini"
    config.write_text(
        "[databases]\n"
        f"* = {target}\n"
        "[pgbouncer]\n"
        "listen_addr = 127.0.0.1\n"
        f"listen_port = {port}\n"
        "unix_socket_dir =\n"
        "auth_type = trust\n"
        f"auth_file = {folder / 'users.txt'}\n"
        f"admin_users = {user}\n"
        "pool_mode = transaction\n"
        f"default_pool_size = {pool_size}\n"
        "reserve_pool_size = 0\n"
        f"max_client_conn = {max_client_conn}\n"
        "max_db_connections = 0\n"
        "server_reset_query =\n"
        "ignore_startup_parameters = extra_float_digits,options\n"
        "log_connections = 0\n"
        "log_disconnections = 0\n"
        "log_pooler_errors = 1\n" + (f"user = {run_as}\n" if os.geteuid() == 0 else "")
        # Root may run the tests; pgbouncer refuses to stay root, so it becomes nobody.
    )
    folder.chmod(0o755)
    for path in (config, folder / "users.txt"):
        path.chmod(0o644)
    log = (folder / "pgbouncer.log").open("wb")
    process = subprocess.Popen([program, str(config)], stdout=log, stderr=subprocess.STDOUT)
    bouncer = PgBouncer(process, port, folder)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return bouncer
        except OSError:
            time.sleep(0.05)
    bouncer.stop()
    output = (folder / "pgbouncer.log").read_text(errors="replace")
    raise RuntimeError(f"pgbouncer did not start: {output[-2000:]}")
