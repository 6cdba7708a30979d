"""The gateway's login methods (a mixin of `Gateway`, kept apart so the gateway stays one
screenful of plumbing and step actions): `services.login` with the gateway's transactions,
so the argon2 check runs between two short transactions, holding no row and no connection."""

from __future__ import annotations

from typing import TYPE_CHECKING

from privet_tui.errors import AuthError
from privet_tui.services import accounts, login
from privet_tui.services.actor import Actor
from privet_tui.services.gateway_plumbing import GatewayPlumbing

if TYPE_CHECKING:
    pass

__all__ = ["LoginDoor"]


class LoginDoor(GatewayPlumbing):
    """Logging in and re-checking the logged-in master's password."""

    def prepare_login(self) -> None:
        """Make the hash an unknown email is checked against now (one argon2 hash, ~0.2 s,
        with the GIL released), so the first login does not pay for it."""
        accounts.dummy_hash()

    def login(self, email: str, password: str) -> Actor:
        """Check email + password under the configured lockout policy; AuthError
        (`LoginRefused`, recorded) on failure."""
        return login.authenticate(self.call, email, password, policy=self.policy)

    def verify_password(self, actor: Actor, password: str) -> Actor:
        """Re-check the logged-in master's password (idle lock, session expiry)."""
        again = self.login(actor.email, password)
        if again.id != actor.id:
            raise AuthError("Войдите под своей учётной записью")
        return again
