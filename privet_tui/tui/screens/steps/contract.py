"""Step 5 «Договор»: generate the contract (its code goes to the client's chat, never to
this screen), count the code's validity down, resend it, and sign with the code the client
reads out."""

from __future__ import annotations

import contextlib
import time
from datetime import tzinfo
from typing import ClassVar
from urllib.parse import unquote, urlsplit

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Button, Input, Static

from privet_tui.errors import PrivetError
from privet_tui.services.rules.pricing import format_money
from privet_tui.services.steps.contract import ContractState
from privet_tui.services.steps.contract_signing import CodeRejected
from privet_tui.tui import texts_steps as t
from privet_tui.tui.screens.steps._form import FormField, clear_field_errors, show_field_errors
from privet_tui.tui.screens.steps.base import StepScreen
from privet_tui.tui.widgets.chat import business_time
from privet_tui.tui.widgets.confirm import ConfirmModal

__all__ = ["ContractScreen", "where"]


def where(link: str | None) -> str:
    """A file:// link as the local path it names; any other link as it is."""
    if not link:
        return t.NOTHING
    parts = urlsplit(link)
    return unquote(parts.path) if parts.scheme == "file" else link


def mm_ss(seconds: float) -> str:
    """Seconds as `MM:SS`."""
    whole = max(0, int(seconds))
    return f"{whole // 60:02d}:{whole % 60:02d}"


class ContractScreen(StepScreen[ContractState | None]):
    """Generate, count down, resend, sign; the result is shown as text."""

    STEP = 5
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "ctrl+g",
            "generate",
            t.CONTRACT_GENERATE,
            id="contract.generate",
            tooltip=t.CONTRACT_GENERATE_TIP,
            key_display="^g",
        ),
        Binding(
            "ctrl+o",
            "resend",
            t.CONTRACT_RESEND,
            id="contract.resend",
            tooltip=t.CONTRACT_RESEND_TIP,
            key_display="^o",
        ),
        Binding(
            "ctrl+s",
            "sign",
            t.CONTRACT_SIGN,
            id="contract.sign",
            tooltip=t.CONTRACT_SIGN_TIP,
            key_display="^s",
        ),
    ]

    class Done(Message):
        """Generation, a resend or the signature landed; `note` says which."""

        def __init__(self, note: str) -> None:
            super().__init__()
            self.note = note

    contract: ContractState | None = None
    #: Monotonic deadlines of the code's validity and of the resend cooldown.
    expires_at = 0.0
    resend_at = 0.0
    timer: Timer | None = None
    busy = False
    #: A refused code's message, shown again after the reload that follows it.
    pending_error: str | None = None

    def on_mount(self) -> None:
        self.prepare_seal()

    @work(thread=True, exit_on_error=False, group="seal-warm")
    def prepare_seal(self) -> None:
        """Load the company seal while the master reads the screen, so that signing does not
        wait for it; an unusable seal is reported when signing, not here."""
        with contextlib.suppress(PrivetError):
            self.gateway.prepare_seal()

    def compose_body(self) -> ComposeResult:
        yield Static("", id="contract-info", classes="step-info", markup=False)
        yield Static("", id="contract-pdf", markup=False)
        yield Static("", id="contract-countdown", markup=False)
        yield FormField(
            "code",
            t.CONTRACT_CODE,
            Input(
                placeholder=t.CONTRACT_CODE_PLACEHOLDER,
                restrict=r"[0-9]*",
                max_length=6,
                compact=True,
                id="contract-code",
            ),
        )
        yield Static("", id="contract-result", markup=False)
        with Horizontal(classes="step-buttons"):
            yield Button(t.CONTRACT_GENERATE_BUTTON, id="generate", variant="primary", compact=True)
            yield Button(t.CONTRACT_SIGN_BUTTON, id="sign", variant="primary", compact=True)
            yield Button(t.CONTRACT_RESEND_BUTTON, id="resend", compact=True)

    def fetch(self) -> ContractState | None:
        """The latest contract with its countdowns."""
        return self.gateway.contract_state(self.actor, self.client_id)

    @property
    def business_zone(self) -> tzinfo:
        """The zone the contract's times are shown in, the same its documents are dated in."""
        return self.gateway.settings.zone

    @property
    def awaiting(self) -> bool:
        """A contract waits for the client's code."""
        return self.contract is not None and self.contract.status == "awaiting_signature"

    @property
    def can_generate(self) -> bool:
        """No live contract, and the client's data is complete and editable."""
        card = self.card
        live = self.contract is not None and self.contract.status != "voided"
        return card is not None and card.status == "in_progress" and card.can_edit and not live

    def show_state(self, state: ContractState | None) -> None:
        self.contract = state
        self.busy = False
        now = time.monotonic()
        info = self.query_one("#contract-info", Static)
        pdf = self.query_one("#contract-pdf", Static)
        if state is None:
            info.update(Text(t.CONTRACT_NONE))
            pdf.update("")
        else:
            status = t.CONTRACT_STATUS.get(state.status, state.status)
            line = t.CONTRACT_LINE.format(
                number=state.number, total=format_money(state.total_due), status=status
            )
            if state.status == "voided":
                line += "\n" + t.CONTRACT_VOIDED.format(reason=state.void_reason or t.NOTHING)
            elif state.signed_at is not None:
                line += "\n" + t.CONTRACT_SIGNED.format(
                    number=state.number, at=business_time(state.signed_at, self.business_zone)
                )
            info.update(Text(line))
            if state.signed_link:
                pdf.update(Text(t.CONTRACT_SIGNED_PDF.format(where=where(state.signed_link))))
            else:
                pdf.update(Text(t.CONTRACT_DRAFT.format(where=where(state.draft_link))))
            self.expires_at = now + state.otp_seconds_left
            self.resend_at = now + state.resend_in_seconds
        self.query_one("#field-code").display = self.awaiting
        self.query_one("#contract-code", Input).value = ""
        clear_field_errors(self)
        self._sync_buttons()
        self._tick()
        if self.awaiting and state is not None and state.otp_seconds_left > 0:
            self._start_timer()
        else:
            self._stop_timer()
        if self.awaiting:
            self.query_one("#contract-code", Input).focus()
        self._show_pending_error()

    def _sync_buttons(self) -> None:
        self.query_one("#generate", Button).display = self.can_generate
        self.query_one("#sign", Button).display = self.awaiting
        self.query_one("#resend", Button).display = self.awaiting
        for button in self.query(Button):
            button.disabled = self.busy
        self.refresh_bindings()

    def allows(self, action: str) -> bool:
        """Generate only without a live contract; resend and sign only while one waits."""
        if action == "generate":
            return self.can_generate and not self.busy
        if action in ("resend", "sign"):
            return self.awaiting and not self.busy
        return True

    # --- the countdown ----------------------------------------------------------------

    def _start_timer(self) -> None:
        if self.timer is None:
            self.timer = self.set_interval(1.0, self._tick)
        else:
            self.timer.resume()

    def _stop_timer(self) -> None:
        if self.timer is not None:
            self.timer.stop()
            self.timer = None

    def on_screen_suspend(self) -> None:
        """Nothing ticks while another screen covers this one."""
        if self.timer is not None:
            self.timer.pause()

    def on_screen_resume(self) -> None:
        """Catch up at once, then tick again while the code lives."""
        if self.timer is not None and self.awaiting:
            self._tick()
            self.timer.resume()

    def _tick(self) -> None:
        shown = self.query_one("#contract-countdown", Static)
        contract = self.contract
        if not self.awaiting or contract is None:
            shown.update("")
            return
        now = time.monotonic()
        left = self.expires_at - now
        lines = [t.CONTRACT_ASK]
        if contract.tries_left <= 0:
            lines.append(t.CONTRACT_NO_TRIES)
        elif left > 0:
            lines.append(t.CONTRACT_VALID.format(time=mm_ss(left)))
            lines.append(t.CONTRACT_TRIES.format(tries=contract.tries_left))
        else:
            lines.append(t.CONTRACT_EXPIRED)
        wait = self.resend_at - now
        ready = t.CONTRACT_RESEND_READY
        lines.append(t.CONTRACT_RESEND_IN.format(seconds=int(wait) + 1) if wait > 0 else ready)
        shown.update(Text("\n".join(lines)))
        if left <= 0 and wait <= 0:
            self._stop_timer()

    # --- actions ----------------------------------------------------------------------

    @on(Button.Pressed, "#generate")
    def action_generate(self) -> None:
        """Ask deliberately (the code goes out to the client), then generate the contract and
        send the code (PDF rendering runs in a worker)."""
        if not self.check_action("generate", ()):
            return

        def answered(yes: bool | None) -> None:
            if yes and self.check_action("generate", ()) and self.version is not None:
                self._busy(t.CONTRACT_GENERATING)
                self.generate(self.version)

        question = ConfirmModal(
            t.CONTRACT_GENERATE_CONFIRM_TITLE, t.CONTRACT_GENERATE_CONFIRM, deliberate=True
        )
        self.app.push_screen(question, answered)

    @work(thread=True, exclusive=True, exit_on_error=False, group="step-save")
    def generate(self, version: int) -> None:
        """Number, snapshot, draft PDF, upload, and the code into the client's chat."""
        info = self.gateway.generate_contract(self.actor, self.client_id, version)
        self.post_message(self.Done(t.CONTRACT_GENERATED.format(number=info.number)))

    @on(Button.Pressed, "#resend")
    def action_resend(self) -> None:
        """Send the client a new code (the old one stops working)."""
        if self.check_action("resend", ()):
            self._busy(None)
            self.resend()

    @work(thread=True, exclusive=True, exit_on_error=False, group="step-save")
    def resend(self) -> None:
        """Ask the service for a new code."""
        self.gateway.resend_code(self.actor, self.client_id)
        self.post_message(self.Done(t.CONTRACT_SENT))

    @on(Input.Submitted, "#contract-code")
    @on(Button.Pressed, "#sign")
    def action_sign(self) -> None:
        """Check the code the client read out."""
        if not self.check_action("sign", ()):
            return
        code = self.query_one("#contract-code", Input).value
        if len(code) != 6:
            show_field_errors(self, {"code": t.CONTRACT_CODE_FORMAT})
            return
        clear_field_errors(self)
        self._busy(None)
        self.sign(code)

    @work(thread=True, exclusive=True, exit_on_error=False, group="step-save")
    def sign(self, code: str) -> None:
        """Sign with the code; a wrong code is counted by the service before it refuses."""
        info = self.gateway.confirm_signature(self.actor, self.client_id, code)
        signed = t.CONTRACT_SIGNED.format(
            number=info.number, at=business_time(info.signed_at, self.business_zone)
        )
        self.post_message(self.Done(signed))

    @on(Done)
    def _done(self, message: Done) -> None:
        self.busy = False
        self.query_one("#contract-result", Static).update(Text(message.note))
        self.saved(None, message.note)
        self.reload()

    def _busy(self, note: str | None) -> None:
        self.busy = True
        if note:
            self.query_one("#contract-result", Static).update(Text(note))
        self._sync_buttons()

    def worker_failed(self, worker: object) -> None:
        """Free the buttons after a refusal."""
        self.busy = False
        self.query_one("#contract-result", Static).update("")
        self._sync_buttons()

    def show_error(self, error: PrivetError) -> bool:
        """A refused code goes beside the field with the tries left; the state is re-read
        because the service counted the wrong try."""
        if isinstance(error, CodeRejected):
            self.pending_error = error.message  # the service words it, tries left included
            self.reload()
            return True
        return super().show_error(error)

    def _show_pending_error(self) -> None:
        """A refused code's message, once: beside the code field while it is shown, else
        (the contract voided after too many wrong codes) in the result line."""
        message, self.pending_error = self.pending_error, None
        if not message:
            return
        if self.query_one("#field-code").display:
            show_field_errors(self, {"code": message})
        else:
            self.query_one("#contract-result", Static).update(Text(f"{t.ERROR_MARK} {message}"))
