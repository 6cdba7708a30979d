"""Typed models of every table this project owns, plus the legacy mapping."""

from __future__ import annotations

from privet_tui.db.legacy import LegacyDevice, LegacyUser
from privet_tui.db.models.billing import (
    CONTRACT_STATUSES,
    PAYMENT_METHODS,
    MasterClientTariff,
    MasterContract,
    MasterInvoice,
    MasterTariff,
    contract_number_seq,
    invoice_number_seq,
)
from privet_tui.db.models.clients import (
    CLIENT_STATUSES,
    FINISHED_STATUSES,
    MasterClient,
    MasterDevice,
    MasterDevicePhoto,
    MasterPassport,
)
from privet_tui.db.models.masters import ROLES, MasterLoginAttempt, MasterUser
from privet_tui.db.models.support import (
    BRIDGE_COMMENT,
    MasterSupportMessage,
    MasterSupportThread,
    SupportMessage,
    SupportTicket,
)

__all__ = [
    "BRIDGE_COMMENT",
    "CLIENT_STATUSES",
    "CONTRACT_STATUSES",
    "FINISHED_STATUSES",
    "PAYMENT_METHODS",
    "ROLES",
    "LegacyDevice",
    "LegacyUser",
    "MasterClient",
    "MasterClientTariff",
    "MasterContract",
    "MasterDevice",
    "MasterDevicePhoto",
    "MasterInvoice",
    "MasterLoginAttempt",
    "MasterPassport",
    "MasterSupportMessage",
    "MasterSupportThread",
    "MasterTariff",
    "MasterUser",
    "SupportMessage",
    "SupportTicket",
    "contract_number_seq",
    "invoice_number_seq",
]
