"""The card's administration: reassign, release and cancel a client, with their dialogs.

`AdministeredCard` is the base of the card screen holding these actions; the dialogs return
plain data (a master's id, a reason) or None when closed, and `ConfirmModal` then asks for a
deliberate «Да» before the gateway is called."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Button, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from privet_tui.tui import texts
from privet_tui.tui.commands import Command
from privet_tui.tui.screens.base import PrivetModal, PrivetScreen
from privet_tui.tui.widgets.confirm import ConfirmModal

if TYPE_CHECKING:
    from privet_tui.services.accounts import MasterInfo
    from privet_tui.services.actor import Actor
    from privet_tui.services.clients.card import ClientCard

__all__ = ["ADMIN_BINDINGS", "AdministeredCard", "CancelReasonModal", "ChooseMasterModal"]

#: The keys of the actions below: out of the full footer, in «?» help and the palette (the card
#: lists them among its own bindings, so help shows them after the everyday keys).
ADMIN_BINDINGS: list[BindingType] = [
    Binding(
        "a,ф",
        "reassign",
        texts.KEY_REASSIGN,
        id="card.reassign",
        tooltip=texts.KEY_REASSIGN_TIP,
        show=False,
    ),
    Binding(
        "u,г",
        "release",
        texts.KEY_RELEASE,
        id="card.release",
        tooltip=texts.KEY_RELEASE_TIP,
        show=False,
    ),
    Binding(
        "x,ч",
        "cancel_client",
        texts.KEY_CANCEL_CLIENT,
        id="card.cancel",
        tooltip=texts.KEY_CANCEL_CLIENT_TIP,
        show=False,
    ),
]


class ChooseMasterModal(PrivetModal[int | None]):
    """Pick one of the active masters; returns their id (None: closed)."""

    CSS_PATH = "card_admin.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,b,и", "close", texts.KEY_CLOSE, id="reassign.close", key_display="Esc/b"),
    ]

    def __init__(self, masters: list[MasterInfo]) -> None:
        super().__init__()
        self._masters = masters

    def compose(self) -> ComposeResult:
        with Vertical(classes="admin-box"):
            yield Label(texts.REASSIGN_TITLE, classes="admin-title")
            yield OptionList(
                *(Option(Text(f"{m.name}  <{m.email}>"), id=str(m.id)) for m in self._masters),
                id="masters",
            )
            yield Button(texts.KEY_CLOSE, id="close", compact=True)

    def on_mount(self) -> None:
        self.query_one("#masters", OptionList).focus()

    @on(OptionList.OptionSelected, "#masters")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        assert event.option.id is not None
        self.dismiss(int(event.option.id))

    @on(Button.Pressed, "#close")
    def action_close(self) -> None:
        """Hand the client to nobody."""
        self.dismiss(None)


class CancelReasonModal(PrivetModal[str | None]):
    """Ask why the onboarding is cancelled; an empty reason is refused inline."""

    CSS_PATH = "card_admin.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", texts.KEY_CLOSE, id="cancel.close", key_display="Esc"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(classes="admin-box"):
            yield Label(texts.CANCEL_REASON_TITLE, classes="admin-title")
            yield Static(texts.CANCEL_REASON_HINT, classes="admin-hint", markup=False)
            yield Input(placeholder=texts.CANCEL_REASON_PLACEHOLDER, id="reason", max_length=500)
            yield Label("", id="reason-error", classes="admin-error")
            yield Button(texts.KEY_CLOSE, id="close", compact=True)

    @on(Input.Submitted, "#reason")
    def _submitted(self, event: Input.Submitted) -> None:
        reason = event.value.strip()
        if not reason:
            self.query_one("#reason-error", Label).update(texts.CANCEL_REASON_REQUIRED)
            return
        self.dismiss(reason)

    @on(Button.Pressed, "#close")
    def action_close(self) -> None:
        """Cancel nothing."""
        self.dismiss(None)


class AdministeredCard(PrivetScreen[None]):
    """The card's administration: reassign (administrators), release and cancel (the holder or
    an administrator, as the services allow). Each asks for a deliberate «Да», the service's
    refusal is shown by the app's one failure handler, and the card reloads after."""

    card: ClientCard | None

    def reload(self) -> None:
        """Fetch the card again (the card screen defines how)."""
        raise NotImplementedError

    def admin_commands(self) -> list[Command]:
        """The administration actions this person may try, for the command palette."""
        actor, card = self.privet.actor, self.card
        if actor is None or card is None or card.client_id is None:
            return []
        found = []
        if actor.is_admin:
            found.append(Command(texts.CMD_REASSIGN, texts.CMD_ADMIN_HELP, self.action_reassign))
        found.append(Command(texts.CMD_RELEASE, texts.CMD_ADMIN_HELP, self.action_release))
        found.append(
            Command(texts.CMD_CANCEL_CLIENT, texts.CMD_ADMIN_HELP, self.action_cancel_client)
        )
        return found

    def _claimed_card(self) -> ClientCard | None:
        """The card when it has a client row to act on; otherwise say why nothing happens."""
        card = self.card
        if card is None:
            return None
        if card.client_id is None or card.version is None:
            self.notify(texts.ADMIN_NOT_CLAIMED, severity="warning", markup=False)
            return None
        return card

    def _client_name(self, card: ClientCard) -> str:
        return card.full_name or card.app_full_name

    # --- reassign -------------------------------------------------------------------------

    def action_reassign(self) -> None:
        """Administrators: choose another active master, confirm, hand the client over."""
        actor, card = self.privet.actor, self._claimed_card()
        if actor is None or card is None:
            return
        if not actor.is_admin:
            self.notify(texts.ADMIN_ONLY_REASSIGN, severity="warning", markup=False)
            return
        self._choose_master(card)

    @work(thread=True, exclusive=True, exit_on_error=False, group="admin")
    def _choose_master(self, card: ClientCard) -> None:
        masters = [m for m in self.privet.gateway.active_masters() if m.id != card.master_id]
        self.app.call_from_thread(self._ask_master, card, masters)

    def _ask_master(self, card: ClientCard, masters: list[MasterInfo]) -> None:
        if not masters:
            self.notify(texts.ADMIN_NO_MASTERS, severity="warning", markup=False)
            return
        names = {m.id: m.name for m in masters}

        def chosen(master_id: int | None) -> None:
            if master_id is None:
                return
            question = texts.REASSIGN_CONFIRM.format(
                name=self._client_name(card), master=names[master_id]
            )

            def answered(yes: bool | None) -> None:
                if yes:
                    self._reassign(card, master_id, names[master_id])

            self.app.push_screen(ConfirmModal(texts.REASSIGN_CONFIRM_TITLE, question), answered)

        self.app.push_screen(ChooseMasterModal(masters), chosen)

    @work(thread=True, exclusive=True, exit_on_error=False, group="admin")
    def _reassign(self, card: ClientCard, master_id: int, master_name: str) -> None:
        actor, client_id, version = self._target(card)
        self.privet.gateway.reassign_client(actor, client_id, master_id, version)
        self._done(texts.REASSIGN_DONE.format(master=master_name))

    # --- release --------------------------------------------------------------------------

    def action_release(self) -> None:
        """Confirm, then give the client back to «Новые» (the service says when it may not)."""
        card = self._claimed_card()
        if card is None:
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self._release(card)

        question = texts.RELEASE_CONFIRM.format(name=self._client_name(card))
        self.app.push_screen(ConfirmModal(texts.RELEASE_CONFIRM_TITLE, question), answered)

    @work(thread=True, exclusive=True, exit_on_error=False, group="admin")
    def _release(self, card: ClientCard) -> None:
        actor, client_id, version = self._target(card)
        self.privet.gateway.release_client(actor, client_id, version)
        self._done(texts.RELEASE_DONE)

    # --- cancel ---------------------------------------------------------------------------

    def action_cancel_client(self) -> None:
        """Ask the reason, confirm, cancel (the service refuses e.g. after payment)."""
        card = self._claimed_card()
        if card is None:
            return

        def reasoned(reason: str | None) -> None:
            if not reason:
                return
            question = texts.CANCEL_CONFIRM.format(name=self._client_name(card), reason=reason)

            def answered(yes: bool | None) -> None:
                if yes:
                    self._cancel(card, reason)

            self.app.push_screen(ConfirmModal(texts.CANCEL_CONFIRM_TITLE, question), answered)

        self.app.push_screen(CancelReasonModal(), reasoned)

    @work(thread=True, exclusive=True, exit_on_error=False, group="admin")
    def _cancel(self, card: ClientCard, reason: str) -> None:
        actor, client_id, version = self._target(card)
        self.privet.gateway.cancel_client(actor, client_id, reason, version)
        self._done(texts.CANCEL_DONE)

    def _target(self, card: ClientCard) -> tuple[Actor, int, int]:
        """Who acts on which client row, at which version (a stale one is refused)."""
        actor = self.privet.actor
        if actor is None or card.client_id is None or card.version is None:
            raise RuntimeError("administration needs a logged-in master and a claimed client")
        return actor, card.client_id, card.version

    def _done(self, message: str) -> None:
        """From a worker: say it is done and show the card as it is now."""
        self.app.call_from_thread(self.notify, message, markup=False)
        self.app.call_from_thread(self.reload)
