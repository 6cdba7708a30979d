"""A yes/no question as a typed modal: `ConfirmModal` returns True or False."""

from __future__ import annotations

import time
from typing import ClassVar

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Static

from privet_tui.tui import texts

__all__ = ["DELIBERATE_SECONDS", "ConfirmModal"]

#: How long a deliberate question stays deaf to keys after it opens.
DELIBERATE_SECONDS = 0.3


class ConfirmModal(ModalScreen[bool]):
    """Ask a question; `y`/Enter on «Да» confirms, `n`/Esc declines.

    The buttons may be named for the question (`yes_label`, `no_label`: «Уйти» / «Остаться»).
    Without `yes_by_key` only the «yes» button itself answers yes (Tab to it and Enter, or a
    tap): a letter typed on after a stray Esc cannot throw typed input away.

    A `deliberate` question (before an outward or irreversible action: sending the contract
    code, confirming a payment, issuing an invoice, quitting) ignores every key that arrives
    within `DELIBERATE_SECONDS` of it opening, and takes no answer in that time. Keys typed
    ahead, or the bytes of a paste that a terminal turned into keystrokes, arrive in one burst
    with the key that opened it, so they cannot answer it; a person reads the question first
    (nobody clicks «Да» in 0.3 s either).
    """

    DEFAULT_CSS = """
    ConfirmModal {
        align: center middle;
    }
    ConfirmModal > Vertical {
        width: 60;
        height: auto;
        border: round $warning;
        padding: 0 2;
        background: $surface;
    }
    ConfirmModal .confirm-title {
        text-style: bold;
        width: 100%;
    }
    ConfirmModal .confirm-message {
        margin: 1 0;
    }
    ConfirmModal Horizontal {
        height: auto;
        align-horizontal: right;
    }
    ConfirmModal Button {
        margin-left: 2;
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y,н", "answer(True)", texts.KEY_YES, id="confirm.yes", key_display="y"),
        Binding("n,т,escape", "answer(False)", texts.KEY_NO, id="confirm.no", key_display="n"),
    ]

    def __init__(
        self,
        title: str,
        message: str,
        *,
        deliberate: bool = False,
        id: str | None = None,
        yes_label: str = texts.KEY_YES,
        no_label: str = texts.KEY_NO,
        yes_by_key: bool = True,
    ) -> None:
        super().__init__(id=id)
        self._title = title
        self._message = message
        self._labels = (yes_label, no_label)
        self.yes_by_key = yes_by_key
        self._deaf_until = time.monotonic() + DELIBERATE_SECONDS if deliberate else 0.0

    @property
    def deaf(self) -> bool:
        """Still within a deliberate question's first moments: keys are dropped."""
        return time.monotonic() < self._deaf_until

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Text(self._title), classes="confirm-title")
            yield Static(Text(self._message), classes="confirm-message")
            with Horizontal():
                yield Button(self._labels[0], id="yes", variant="warning")
                yield Button(self._labels[1], id="no")

    def on_mount(self) -> None:
        if self._deaf_until:
            self._deaf_until = time.monotonic() + DELIBERATE_SECONDS
        self.query_one("#no", Button).focus()

    def on_key(self, event: events.Key) -> None:
        """Drop keys while deaf, before any binding of this screen or its buttons sees them
        (the app refuses its own actions meanwhile: `PrivetApp.check_action`)."""
        if self.deaf:
            event.stop()
            event.prevent_default()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """`y` answers only a question that takes its yes by key."""
        if action == "answer" and parameters == (True,):
            return self.yes_by_key
        return True

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self._answer(event.button.id == "yes")

    def action_answer(self, yes: bool) -> None:
        """Close with the answer."""
        self._answer(yes)

    def _answer(self, yes: bool) -> None:
        # The one door every answer goes through: a key of the burst that opened the question
        # may reach a binding or a button before `on_key` sees it (it can arrive before the
        # question is even mounted), so deafness is checked here, not only for keys.
        if not self.deaf:
            self.dismiss(yes)
