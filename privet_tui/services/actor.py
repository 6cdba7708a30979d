"""Who is acting: every service call takes the logged-in master explicitly."""

from __future__ import annotations

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
