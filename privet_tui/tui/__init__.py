"""The Textual application; `tui.app.create_app(settings)` builds it for the CLI and the tests.
It talks to `services.gateway` only: no database driver, no SQL."""
