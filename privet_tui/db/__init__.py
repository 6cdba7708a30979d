"""Database layer: engine and sessions, typed models, the legacy mapping, migrations; it knows
nothing of services or the UI."""
