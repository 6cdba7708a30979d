"""The gateway's administration methods: reassign, release and cancel a client, and the
masters an administrator may hand a client to (a mixin of `Gateway`, kept apart so the
gateway stays one screenful of plumbing and step actions)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from privet_tui.services import accounts
from privet_tui.services.accounts import MasterInfo
from privet_tui.services.actor import Actor
from privet_tui.services.clients import claims
from privet_tui.services.gateway_plumbing import GatewayPlumbing

if TYPE_CHECKING:
    pass

__all__ = ["ClientAdministration"]


class ClientAdministration(GatewayPlumbing):
    """Who holds a client and whether it goes on: the card's administration actions.

    Every method is one transaction of `Gateway.call`; the services decide who may do what
    and refuse in Russian (AuthError, StateError, ConflictError on a stale `version`)."""

    def active_masters(self) -> list[MasterInfo]:
        """The accounts a client may be handed to: active ones, in the order they were added."""
        return [m for m in self.read(accounts.list_masters) if m.is_active]

    def reassign_client(self, admin: Actor, client_id: int, master_id: int, version: int) -> int:
        """Hand the client to another master (administrators only); returns the new version."""
        return self.call(
            claims.reassign_client, admin, client_id, master_id, expected_version=version
        )

    def release_client(self, actor: Actor, client_id: int, version: int) -> int:
        """Give the client back to «Новые» (its holder or an administrator, before a contract)."""
        return self.call(claims.release_client, actor, client_id, expected_version=version)

    def cancel_client(self, actor: Actor, client_id: int, reason: str, version: int) -> int:
        """Cancel the onboarding with a reason (an unsigned contract is voided, the client told)."""
        return self.call(claims.cancel_client, actor, client_id, reason, expected_version=version)
