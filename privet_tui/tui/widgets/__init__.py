"""Reusable widgets of the shell screens."""

from __future__ import annotations

from privet_tui.tui.widgets.card_overview import CardOverview
from privet_tui.tui.widgets.chat import ChatView, local_time
from privet_tui.tui.widgets.confirm import ConfirmModal

__all__ = ["CardOverview", "ChatView", "ConfirmModal", "local_time"]
