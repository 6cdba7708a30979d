"""The card's first tab: contact data, status, masked passport and the seven steps.

Everything is built as `rich.text.Text`, so names and addresses are shown as typed, and each
step carries a literal `[x]` / `[ ]` / `[-]` plus a word: state is never colour alone.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Group
from rich.style import Style
from rich.table import Table
from rich.text import Text
from textual import events
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
#: The style meta key a step row carries: its number (a tap opens that step).
STEP_META = "privet-step"


def render_contacts(card: ClientCard) -> Group:
    """Name, phone, email, address, passport (masked), status and master, one per row (a
    long value wraps under itself, not under its label)."""
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True, min_width=_LABEL_WIDTH - 1, style="bold")
    grid.add_column(ratio=1)
    rows = (
        (texts.CARD_NAME, card.full_name or card.app_full_name),
        (texts.CARD_PHONE, card.phone or card.app_phone),
        (texts.CARD_EMAIL, card.email or card.app_email),
        (texts.CARD_ADDRESS, card.address),
        (texts.CARD_PASSPORT, card.passport.masked if card.passport else None),
        (texts.CARD_STATUS, card.status_label),
        (texts.CARD_MASTER, card.master_name or texts.CARD_NOT_CLAIMED),
    )
    for label, value in rows:
        grid.add_row(Text(label), Text(value or texts.NO_VALUE))
    if card.client_id is None or card.status == "new":
        return Group(grid, Text(texts.CARD_CLAIM_HINT, style="bold"))
    return Group(grid)


def render_step(step: StepState) -> tuple[Text, Text, Text]:
    """`[x]`, `1 Контакты`, `готово` (+ why, when blocked): the mark is literal text. The
    whole row is a tap target (a click opens the step, as its number key does)."""
    mark, word, colour = _MARKS.get(step.state, (texts.STEP_TODO, step.state, ""))
    tap = Style.from_meta({STEP_META: step.number})
    state = Text(word, style=colour)
    if step.reason:
        state.append(f": {step.reason}", style="default")
    state.stylize(tap)
    return (
        Text(mark, style=Style.parse(f"bold {colour}") + tap, no_wrap=True),
        Text(f"{step.number} {step.title}", style=tap, no_wrap=True),
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

    async def on_click(self, event: events.Click) -> None:
        """A tap on a step row opens that step, as its number key does (a phone's ssh client
        sends a tap as a click)."""
        number = event.style.meta.get(STEP_META)
        if isinstance(number, int):
            event.stop()
            await self.run_action(f"screen.step({number})")

    def show_loading(self) -> None:
        """Say the card is on its way (only once it is late: `CardScreen.LOADING_DELAY`)."""
        self.query_one("#card-contacts", Static).update(texts.CARD_LOADING)

    def show(self, card: ClientCard) -> None:
        """Render a freshly loaded card."""
        self.query_one("#card-contacts", Static).update(render_contacts(card))
        self.query_one("#card-steps", Static).update(render_steps(card))
