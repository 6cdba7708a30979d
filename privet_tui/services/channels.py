"""The channels of live updates (rows of the change feed) and the key that tags a
transaction's origin; plain names with no imports, so the TUI can know them without loading
the database layer."""

from __future__ import annotations

from typing import Final

__all__ = ["CLIENTS_CHANNEL", "ORIGIN_KEY", "TICKETS_CHANNEL"]

#: Client list changes (payload: `client_id`, `user_id`).
CLIENTS_CHANNEL: Final = "privet_clients"
#: A ticket's conversation (payload: `user_id`, `ticket_id`).
TICKETS_CHANNEL: Final = "privet_tickets"
#: `Session.info` key naming the process whose transaction it is (set by the gateway); it
#: travels in every change's payload as `origin`, so a screen can skip its own changes.
ORIGIN_KEY: Final = "privet_origin"
