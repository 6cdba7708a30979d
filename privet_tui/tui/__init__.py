"""The Textual application; `create_app(settings)` builds it for the CLI and the tests."""

from __future__ import annotations

from privet_tui.tui.app import PrivetApp, create_app

__all__ = ["PrivetApp", "create_app"]
