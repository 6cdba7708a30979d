"""Every filesystem location the app uses, in one place (XDG directories via platformdirs).

`PRIVET_DATA_DIR` overrides the data dir, which holds the embedded database (`pg/`), the
local object store (`objects/`) and the generated secret key (`secret_key`, mode 0600).
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "privet-tui"
SYSTEM_CONFIG = Path("/etc/privet-tui/config.toml")


def user_config_file() -> Path:
    """`~/.config/privet-tui/config.toml` (honours XDG_CONFIG_HOME)."""
    return Path(platformdirs.user_config_dir(APP_NAME)) / "config.toml"


def data_dir() -> Path:
    """The data dir: `PRIVET_DATA_DIR`, else `~/.local/share/privet-tui`."""
    override = os.environ.get("PRIVET_DATA_DIR")
    if override:
        return Path(override).expanduser().resolve()
    return Path(platformdirs.user_data_dir(APP_NAME))


def state_dir() -> Path:
    """Per-user state (logs): `~/.local/state/privet-tui`."""
    return Path(platformdirs.user_state_dir(APP_NAME))


def log_file() -> Path:
    """The rotating log of this user's sessions."""
    return state_dir() / "privet-tui.log"


def embedded_pg_dir() -> Path:
    return data_dir() / "pg"


def local_objects_dir() -> Path:
    return data_dir() / "objects"


def generated_secret_file() -> Path:
    return data_dir() / "secret_key"
