"""Database layer: engine and sessions, typed models, the legacy mapping, migrations."""

from __future__ import annotations

from privet_tui.db.engine import Database, open_database

__all__ = ["Database", "open_database"]
