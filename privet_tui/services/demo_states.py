"""Demo clients in every status, driven through the real workflow services."""

from __future__ import annotations

from privet_tui.config import Settings
from privet_tui.db.engine import Database


def seed_states(db: Database, settings: Settings) -> None:
    """Walk some demo applicants through the steps so every tab and status has examples."""
    # Filled in once the workflow services land (claim, steps 1–7).
    return None
