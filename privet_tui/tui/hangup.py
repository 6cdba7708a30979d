"""Leaving cleanly when the terminal goes away (a closed window, a dropped ssh session).

SIGHUP and SIGTERM are handled inside the event loop, so the app unmounts normally (the
live listener stops, the pool closes, the embedded server's handle is released) instead of
a SystemExit raised into the middle of Textual. After a hang-up the standard streams point
at /dev/null, exceptions that end threads go to the log, and a watchdog ends the process if
Textual's exit hangs on its dead output thread.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import errno
import logging
import os
import signal
import sys
import threading
import time
from typing import Any

from textual.app import App

GRACE_SECONDS = 3.0
log = logging.getLogger(__name__)


def install(app: App[Any]) -> None:
    """Route SIGHUP and SIGTERM to `hang_up` (call from within the running app)."""
    with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGHUP, signal.SIGTERM):
            loop.add_signal_handler(signum, hang_up, app, 128 + signum)


def hang_up(app: App[Any], return_code: int) -> None:
    """Leave like Ctrl+Q; after SIGHUP also stop talking to the dead terminal."""
    if return_code == 128 + signal.SIGHUP:
        with contextlib.suppress(OSError):
            null = os.open(os.devnull, os.O_RDWR)
            for stream in (sys.__stdin__, sys.__stdout__, sys.__stderr__):
                if stream is not None:
                    os.dup2(null, stream.fileno())
            os.close(null)
        threading.Thread(
            target=_exit_soon, args=(return_code,), name="privet-hangup", daemon=True
        ).start()
    app.exit(return_code=return_code)


def _exit_soon(return_code: int) -> None:
    """If the process is still here after the grace, run the exit handlers and end it."""
    time.sleep(GRACE_SECONDS)
    log.warning("still running %.0f s after a hang-up: ending the process", GRACE_SECONDS)
    with contextlib.suppress(Exception):
        atexit._run_exitfuncs()
    os._exit(return_code)


def log_thread_failures() -> None:
    """An exception that ends a thread goes to the log, never onto a terminal that may be gone."""

    def hook(args: threading.ExceptHookArgs) -> None:
        name = args.thread.name if args.thread else "?"
        error = args.exc_value
        if error is None or args.exc_type is SystemExit:
            return
        if isinstance(error, OSError) and error.errno == errno.EIO:
            log.info("thread %s stopped: the terminal is gone (EIO)", name)
            return
        log.error("thread %s failed", name, exc_info=(args.exc_type, error, args.exc_traceback))

    threading.excepthook = hook
