"""The client card: overview with the seven steps, the support chat, the audit log.

Claims on first action (key `c`, or opening a step of an unclaimed client); the loser of a
race, or `c` on a client someone holds, is told who has the client. Reassign, release and
cancel come from `card_admin.AdministeredCard`. Step screens come from
`screens.steps.registry.STEP_SCREENS`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Input, Label, RichLog, TabbedContent, TabPane
from textual.worker import Worker

from privet_tui.services.channels import CLIENTS_CHANNEL, TICKETS_CHANNEL
from privet_tui.services.live import RESYNC, Notice
from privet_tui.tui import texts
from privet_tui.tui.commands import Command
from privet_tui.tui.screens.card_admin import ADMIN_BINDINGS, AdministeredCard
from privet_tui.tui.widgets.card_overview import CardOverview
from privet_tui.tui.widgets.chat import ChatView, business_time
from privet_tui.tui.widgets.footer import PrivetFooter

if TYPE_CHECKING:
    from privet_tui.services.audit import AuditEntry
    from privet_tui.services.clients.card import ClientCard
    from privet_tui.services.support import ChatMessage

__all__ = ["CardScreen", "step_screen_factory"]

_TAB_ORDER = ("overview", "chat", "log")
#: How often an open chat asks for the client's new messages (the 3 s freshness target).
CHAT_POLL_SECONDS = 2.0
#: «Загрузка…» is painted only when the card takes longer than this (seconds): a card that
#: arrives sooner is painted once, not twice (issue 11: bytes per screen on a mobile link).
LOADING_DELAY = 0.1


def step_screen_factory(number: int) -> Callable[..., Screen[Any]] | None:
    """The registered screen factory of a step, or None for a step without a screen."""
    from privet_tui.tui.screens.steps.registry import STEP_SCREENS

    factory: Callable[..., Screen[Any]] | None = STEP_SCREENS.get(number)
    return factory


def _ids_line(card: ClientCard) -> str:
    """The ids the CLI takes (`client-view`, `clients …`), and a cancelled client's reason."""
    parts = [texts.CARD_IDS.format(user_id=card.user_id)]
    if card.client_id is not None:
        parts.append(texts.CARD_CLIENT_NO.format(client_id=card.client_id))
    if card.status == "cancelled":
        parts.append(texts.CARD_CANCEL_REASON.format(reason=card.cancel_reason or "—"))
    return " · ".join(parts)


class CardScreen(AdministeredCard):
    """One person's card, by `users.id` (every list row has one, claimed or not)."""

    CSS_PATH = "card.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("c,с", "claim", texts.KEY_CLAIM, id="card.claim", tooltip=texts.KEY_CLAIM_TIP),
        # Once the client is someone's, `c` says whose (the service's refusal), not nothing.
        Binding("c,с", "claim_taken", show=False),
        *(
            Binding(
                str(n),
                f"step({n})",
                texts.KEY_STEP,
                id=f"card.step{n}",
                tooltip=texts.KEY_STEP_TIP,
                show=n == 1,
                key_display="1-7",
            )
            for n in range(1, 8)
        ),
        Binding(
            "v,м", "next_tab", texts.KEY_NEXT_TAB, id="card.tabs", tooltip=texts.KEY_NEXT_TAB_TIP
        ),
        Binding(
            "r,к",
            "refresh",
            texts.KEY_REFRESH,
            id="card.refresh",
            tooltip=texts.KEY_REFRESH_TIP,
            show=False,
        ),
        *ADMIN_BINDINGS,
        Binding("escape", "back", show=False),
        Binding(
            "b,и",
            "back",
            texts.KEY_BACK,
            id="card.back",
            tooltip=texts.KEY_BACK_TIP,
            key_display="Esc/b",
        ),
    ]

    #: The footer's keys on a narrow terminal (widgets/footer.py); the tabs are tapped.
    COMPACT_FOOTER: ClassVar[frozenset[str]] = frozenset({"claim", "step(1)", "back"})

    class Loaded(Message):
        """The card (and, unless `chat_only`, its log and conversation) arrived."""

        def __init__(
            self,
            card: ClientCard | None,
            log: list[AuditEntry] | None,
            messages: list[ChatMessage],
            *,
            replace_chat: bool,
            then_step: int | None = None,
        ) -> None:
            super().__init__()
            self.card = card
            self.log = log
            self.messages = messages
            self.replace_chat = replace_chat
            self.then_step = then_step

    def __init__(self, user_id: int) -> None:
        super().__init__()
        self.user_id = user_id
        self.card: ClientCard | None = None
        self._reload_on_resume = False
        self._resumed = False

    def compose(self) -> ComposeResult:
        yield Label("", id="card-title")
        yield Label("", id="card-ids", markup=False)
        with TabbedContent(id="card-tabs"):
            with TabPane(texts.CARD_TAB_OVERVIEW, id="overview"):
                yield CardOverview()
            with TabPane(texts.CARD_TAB_CHAT, id="chat"):
                yield ChatView(zone=self.privet.settings.zone, id="chat-view")
                yield Input(placeholder=texts.CHAT_PLACEHOLDER, id="chat-input", max_length=4000)
            with TabPane(texts.CARD_TAB_LOG, id="log"):
                yield RichLog(id="audit-log", wrap=True, markup=False, highlight=False)
        yield PrivetFooter()

    def on_mount(self) -> None:
        self.privet.live.subscribe(self, self._on_notice)
        self.reload()
        self.set_timer(LOADING_DELAY, self._show_loading)
        # The client's app writes replies without telling us: while the chat is in view,
        # ask for what is new (one indexed query for the messages after the last shown).
        self.set_interval(CHAT_POLL_SECONDS, self._poll_chat)

    def _show_loading(self) -> None:
        if self.card is None:
            self.query_one("#card-title", Label).update(texts.CARD_LOADING)
            self.query_one(CardOverview).show_loading()

    def _poll_chat(self) -> None:
        tabs = self.query_one("#card-tabs", TabbedContent)
        if self.is_current and tabs.active == "chat" and self.card is not None:
            self.load_chat()

    # --- loading --------------------------------------------------------------------------

    def reload(self) -> None:
        """Fetch the card, its log and the whole conversation."""
        self.load()

    @work(thread=True, exclusive=True, exit_on_error=False, group="card")
    def load(self) -> None:
        """Card, audit log and conversation in one go (three short transactions)."""
        gateway, actor = self.privet.gateway, self.privet.actor
        if actor is None:
            return
        view = gateway.card_view(actor, self.user_id)
        self.post_message(self.Loaded(view.card, view.log, view.messages, replace_chat=True))

    @work(thread=True, exclusive=True, exit_on_error=False, group="chat")
    def load_chat(self) -> None:
        """Only the messages after the last one shown (a live update of the ticket)."""
        after = self.query_one("#chat-view", ChatView).last_id
        messages = self.privet.gateway.conversation(self.user_id, after_id=after)
        self.post_message(self.Loaded(None, None, messages, replace_chat=False))

    def on_card_screen_loaded(self, message: Loaded) -> None:
        if message.card is not None:
            self._show_card(message.card)
        if message.log is not None:
            self._show_log(message.log)
        if message.messages or message.replace_chat:  # a poll that found nothing: no paint
            self.query_one("#chat-view", ChatView).show_messages(
                message.messages, replace=message.replace_chat
            )
        if message.then_step is not None:
            self._open_step(message.then_step)

    def _show_card(self, card: ClientCard) -> None:
        was_claimable = self.card is not None and self.card.status == "new"
        self.card = card
        title = Text(f"{texts.CARD_TITLE}: ", style="bold")
        title.append(card.full_name or card.app_full_name)
        title.append(f"  |  {card.status_label}")
        self.query_one("#card-title", Label).update(title)
        self.query_one("#card-ids", Label).update(_ids_line(card))
        self.query_one(CardOverview).show(card)
        # Only `c` depends on the card (check_action); the footer is rebuilt, every key
        # restyled, only when it comes or goes (a third of the list → card time otherwise).
        if was_claimable != (card.status == "new"):
            self.refresh_bindings()

    def _show_log(self, entries: Iterable[AuditEntry]) -> None:
        view = self.query_one("#audit-log", RichLog)
        view.clear()
        wrote = False
        for entry in entries:
            line = Text()
            line.append(business_time(entry.at, self.privet.settings.zone), style="bold")
            line.append(f"  {entry.master_name or texts.LOG_SYSTEM}: ", style="bold")
            line.append(entry.body)
            view.write(line)
            wrote = True
        if not wrote:
            view.write(Text(texts.LOG_EMPTY, style="italic"))

    # --- claiming and steps ---------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """`c` is offered only while nobody has the client; after that it says who does."""
        if action == "claim":
            return self.card is not None and self.card.status == "new"
        if action == "claim_taken":
            return self.card is not None and self.card.status != "new"
        return True

    def action_claim(self) -> None:
        """Take the client into work."""
        self.claim(None)

    def action_claim_taken(self) -> None:
        """`c` on a client already in work: one's own says so; anyone else's gets the
        service's refusal («Клиент уже в работе у мастера …», or the finished status)."""
        card, actor = self.card, self.privet.actor
        if card is None or actor is None:
            return
        if card.master_id == actor.id and card.status == "in_progress":
            self.notify(texts.CARD_ALREADY_MINE, markup=False)
            return
        self.claim(None)

    @work(thread=True, exclusive=True, exit_on_error=False, group="claim")
    def claim(self, then_step: int | None) -> None:
        """Claim (ConflictError names the winner), then show the fresh card."""
        gateway, actor = self.privet.gateway, self.privet.actor
        if actor is None:
            return
        card = gateway.claim_client(actor, self.user_id)
        assert card.client_id is not None
        log = gateway.client_log(card.client_id)
        self.app.call_from_thread(self.app.notify, texts.CARD_CLAIMED, markup=False)
        self.post_message(self.Loaded(card, log, [], replace_chat=False, then_step=then_step))

    def worker_failed(self, worker: Worker[object]) -> None:
        if worker.group in ("claim", "reply", "admin"):
            self.reload()

    def action_step(self, number: int) -> None:
        """Open step `number`: claims an unclaimed client first; a blocked step says why."""
        card = self.card
        if card is None:
            return
        if card.client_id is None or card.status == "new":
            self.claim(number)
            return
        self._open_step(number)

    def _open_step(self, number: int) -> None:
        card, actor = self.card, self.privet.actor
        if card is None or card.client_id is None or actor is None:
            return
        factory = step_screen_factory(number)
        if factory is None:
            step = next((s for s in card.steps if s.number == number), None)
            reason = step.reason if step is not None and step.reason else None
            self.notify(
                reason or texts.CARD_STEP_MISSING.format(number=number),
                severity="warning" if reason else "information",
                markup=False,
            )
            return
        self._reload_on_resume = True
        self.app.push_screen(factory(self.privet.gateway, actor, card.client_id))

    def palette_commands(self) -> list[Command]:
        """Claim, the seven steps and the administration actions, for the command palette."""
        from privet_tui.services.workflow import STEPS

        found = []
        if self.card is not None and self.card.status == "new":
            found.append(Command(texts.CMD_CLAIM, texts.CMD_CLAIM_HELP, self.action_claim))
        for number, _key, title in STEPS:
            found.append(
                Command(
                    texts.CMD_STEP.format(number=number, title=title),
                    texts.CMD_STEP_HELP,
                    lambda n=number: self.action_step(n),  # type: ignore[misc]
                )
            )
        found.extend(self.admin_commands())
        return found

    # --- chat -----------------------------------------------------------------------------

    @on(Input.Submitted, "#chat-input")
    def _send(self, event: Input.Submitted) -> None:
        if event.value.strip():
            self.send_reply(event.value)

    @work(thread=True, exclusive=True, exit_on_error=False, group="reply")
    def send_reply(self, body: str) -> None:
        """Post the master's message; the input is cleared only once it is stored."""
        gateway, actor = self.privet.gateway, self.privet.actor
        if actor is None:
            return
        gateway.post_support_reply(actor, self.user_id, body)
        self.app.call_from_thread(self._reply_stored, body)

    def _reply_stored(self, body: str) -> None:
        field = self.query_one("#chat-input", Input)
        if field.value == body:
            field.clear()
        self.load_chat()

    # --- navigation and live updates ------------------------------------------------------

    def action_next_tab(self) -> None:
        """Overview → chat → log → overview."""
        tabs = self.query_one("#card-tabs", TabbedContent)
        current = tabs.active if tabs.active in _TAB_ORDER else _TAB_ORDER[0]
        target = _TAB_ORDER[(_TAB_ORDER.index(current) + 1) % len(_TAB_ORDER)]
        tabs.active = target
        # Focus moves with the tab: a focused widget left in a hidden pane pulls it back.
        # In the chat the conversation takes the focus, not the reply field, so `v` goes on
        # to the log instead of typing «v» (Tab reaches the field).
        focus = {"overview": "CardOverview", "chat": "#chat-view", "log": "#audit-log"}[target]
        self.query_one(focus).focus()

    def action_refresh(self) -> None:
        """Reload everything."""
        self.reload()

    def action_back(self) -> None:
        """Esc in the chat field leaves the field; otherwise back to the list."""
        if isinstance(self.focused, Input):
            self.query_one("#chat-view", ChatView).focus()
            return
        self.dismiss(None)

    def on_screen_resume(self, event: events.ScreenResume) -> None:
        """Back from a step screen (however it closed): show what it changed."""
        if not self._resumed:  # just mounted, every node just styled: no second restyle
            self._resumed = True
            event.refresh_styles = False
        if self._reload_on_resume:
            self._reload_on_resume = False
            self.reload()

    def _on_notice(self, notice: Notice) -> None:
        if notice is RESYNC:
            self.reload()
        elif notice.user_id() == self.user_id:
            if notice.channel == TICKETS_CHANNEL:
                self.load_chat()
            elif notice.channel == CLIENTS_CHANNEL and not notice.own:
                self.reload()
