"""Base classes of every screen: failed workers go to the app's one error handler, and the
focused field stays in view when the terminal shrinks."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar, cast

from textual import events
from textual.screen import ModalScreen, Screen
from textual.worker import Worker, WorkerState

if TYPE_CHECKING:
    from privet_tui.tui.session import Session

__all__ = ["PrivetModal", "PrivetScreen"]

ResultT = TypeVar("ResultT")


class _ReportsFailures:
    """Relay a failed worker's error to `PrivetApp.report_failure` (worker messages do not
    bubble, so each screen hands them on), after giving the screen a chance to tidy up."""

    @property
    def privet(self) -> Session:
        """The running app, as the master's session."""
        return cast("Session", cast(Screen[object], self).app)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state is WorkerState.ERROR:
            self.worker_failed(event.worker)
            self.privet.report_failure(event.worker.error)

    def worker_failed(self, worker: Worker[object]) -> None:
        """Hook: undo a busy state after a worker failed (the error is shown by the app)."""

    def on_resize(self, event: events.Resize) -> None:
        """Keep the focused field in view when the terminal shrinks (a phone's soft keyboard
        opening takes half the rows), once the new layout is in place."""
        focused = cast(Screen[object], self).focused
        if focused is not None:
            focused.call_after_refresh(focused.scroll_visible, animate=False)


class PrivetScreen(_ReportsFailures, Screen[ResultT]):
    """A full screen of the app."""


class PrivetModal(_ReportsFailures, ModalScreen[ResultT]):
    """A dialog of the app, returning `ResultT` (None when cancelled)."""
