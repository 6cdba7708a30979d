"""Reusable widgets of the shell screens."""

from __future__ import annotations

from privet_tui.tui.widgets.chat import ChatView, local_time
from privet_tui.tui.widgets.confirm import ConfirmModal

__all__ = ["ChatView", "ConfirmModal", "local_time"]
