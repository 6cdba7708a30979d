"""The card's first tab: contact data, status, masked passport and the seven steps.

Everything is built as `rich.text.Text`, so names and addresses are shown as typed, and each
step carries a literal `[x]` / `[ ]` / `[-]` plus a word: state is never colour alone.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from privet_tui.tui import texts

if TYPE_CHECKING:
    from privet_tui.services.clients.card import ClientCard, StepState

__all__ = ["CardOverview", "render_contacts", "render_steps"]

_MARKS = {
    "done": (texts.STEP_DONE, texts.STEP_DONE_WORD, "green"),
    "todo": (texts.STEP_TODO, texts.STEP_TODO_WORD, "yellow"),
    "blocked": (texts.STEP_BLOCKED, texts.STEP_BLOCKED_WORD, "red"),
}
_LABEL_WIDTH = 10


def _field(out: Text, label: str, value: str | None) -> None:
    out.append(f"{label:<{_LABEL_WIDTH}}", style="bold")
    out.append(value if value else texts.NO_VALUE)
    out.append("\n")


def render_contacts(card: ClientCard) -> Text:
    """Name, phone, email, address, passport (masked), status and master, one per line."""
    out = Text()
    _field(out, texts.CARD_NAME, card.full_name or card.app_full_name)
    _field(out, texts.CARD_PHONE, card.phone or card.app_phone)
    _field(out, texts.CARD_EMAIL, card.email or card.app_email)
    _field(out, texts.CARD_ADDRESS, card.address)
    _field(out, texts.CARD_PASSPORT, card.passport.masked if card.passport else None)
    _field(out, texts.CARD_STATUS, card.status_label)
    _field(out, texts.CARD_MASTER, card.master_name or texts.CARD_NOT_CLAIMED)
    if card.client_id is None or card.status == "new":
        out.append(texts.CARD_CLAIM_HINT, style="bold")
        out.append("\n")
    out.rstrip()
    return out


def render_step(step: StepState) -> tuple[Text, Text, Text]:
    """`[x]`, `1 Контакты`, `готово` (+ why, when blocked): the mark is literal text."""
    mark, word, colour = _MARKS.get(step.state, (texts.STEP_TODO, step.state, ""))
    state = Text(word, style=colour)
    if step.reason:
        state.append(f": {step.reason}", style="default")
    return (
        Text(mark, style=f"bold {colour}", no_wrap=True),
        Text(f"{step.number} {step.title}", no_wrap=True),
        state,
    )


def render_steps(card: ClientCard) -> Group:
    """The seven steps with their states and, when blocked, why (wrapped under the reason)."""
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True)
    grid.add_column(no_wrap=True, min_width=12)
    grid.add_column(ratio=1)
    for step in card.steps:
        grid.add_row(*render_step(step))
    return Group(Text(texts.CARD_STEPS, style="bold underline"), grid)


class CardOverview(VerticalScroll):
    """Contacts above, steps below; `show()` replaces both."""

    DEFAULT_CSS = """
    CardOverview {
        height: 1fr;
        padding: 0 1;
    }
    CardOverview #card-contacts {
        margin-bottom: 1;
    }
    """

    def compose(self) -> ComposeResult:
        yield Static("", id="card-contacts")
        yield Static("", id="card-steps")

    def show_loading(self) -> None:
        """Say the card is on its way (only once it is late: `CardScreen.LOADING_DELAY`)."""
        self.query_one("#card-contacts", Static).update(texts.CARD_LOADING)

    def show(self, card: ClientCard) -> None:
        """Render a freshly loaded card."""
        self.query_one("#card-contacts", Static).update(render_contacts(card))
        self.query_one("#card-steps", Static).update(render_steps(card))
