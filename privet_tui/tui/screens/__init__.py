"""The shell screens, one per file; imported lazily so the login screen paints fast."""

from __future__ import annotations

import importlib
from typing import Any

__all__ = ["CardScreen", "ClientsScreen", "HelpScreen", "LockScreen", "LoginScreen"]

_WHERE = {
    "CardScreen": "card",
    "ClientsScreen": "clients",
    "HelpScreen": "help",
    "LockScreen": "lock",
    "LoginScreen": "login",
}


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        return getattr(importlib.import_module(f"{__name__}.{_WHERE[name]}"), name)
    raise AttributeError(name)
