"""Who is acting: every service call takes the logged-in master explicitly, or None for an
operator's CLI command (recorded under the operating-system account, `operator_name`)."""

from __future__ import annotations

import getpass
from dataclasses import dataclass


@dataclass(frozen=True)
class Actor:
    """The master on whose behalf a service call runs (plain data, no session attached)."""

    id: int
    email: str
    name: str
    role: str = "master"

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


def operator_name() -> str:
    """The operating-system account running this process: who a CLI action (actor None) is
    recorded under, as no master logged in."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry and no LOGNAME/USER in the environment
        return "?"
