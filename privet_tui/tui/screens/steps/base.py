"""What every step screen shares: loading the client in a worker, the blocked and read-only
states, inline field errors, the stale-version banner, and the keys Esc/b and Ctrl+R.

Typed input is never lost silently: the form's texts as loaded or last saved are kept, Esc
and `b` on a changed form ask first (`drafts.unless_unsaved`), and Ctrl+R on a changed form
(after a conflict) re-reads the client, then shows the typed values beside the saved ones
and keeps the typed ones on the form unless the master takes the saved ones."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar, Generic, TypeVar, cast

from rich.text import Text
from textual import on, work
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import Label, Static
from textual.worker import Worker, WorkerState

from privet_tui.errors import ConflictError, PrivetError, ValidationError
from privet_tui.services.rules.validation import FieldErrors
from privet_tui.services.workflow import EDITABLE_STATUSES, STEPS
from privet_tui.tui import texts_drafts as d
from privet_tui.tui import texts_steps as t
from privet_tui.tui.drafts import unless_unsaved
from privet_tui.tui.screens.base import PrivetScreen
from privet_tui.tui.screens.steps._form import (
    FormField,
    changed_fields,
    fill_form,
    form_values,
    show_field_errors,
)
from privet_tui.tui.widgets.confirm import ConfirmModal
from privet_tui.tui.widgets.draft_conflict import Choice, DraftConflictModal
from privet_tui.tui.widgets.footer import PrivetFooter

if TYPE_CHECKING:
    from privet_tui.services.actor import Actor
    from privet_tui.services.clients.card import ClientCard, StepState
    from privet_tui.services.gateway import Gateway
    from privet_tui.services.live import Notice

__all__ = ["StepScreen"]

StateT = TypeVar("StateT")


class StepScreen(PrivetScreen[object], Generic[StateT]):
    """A screen of one workflow step; subclasses fetch their state and draw it."""

    CSS_PATH = "steps.tcss"
    STEP: ClassVar[int] = 0
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "escape,b,и", "back", t.BACK, id="steps.back", tooltip=t.BACK_TIP, key_display="Esc/b"
        ),
        Binding(
            "ctrl+r,r,к",
            "reload",
            t.RELOAD,
            id="steps.reload",
            tooltip=t.RELOAD_TIP,
            key_display="^r/r",
        ),
        Binding("enter", "next_field", show=False, priority=True),
    ]
    #: The step's form fields in order (a selector), or None. Enter on any but the last one
    #: moves on at once, as a priority key: the keys typed right after it (a slow link
    #: delivers them in one burst) land in the next field, not lost in the full one.
    FORM_FIELDS: ClassVar[str | None] = None
    #: The footer's keys on a narrow terminal (widgets/footer.py): back and each step's
    #: own main action; the rest under «?».
    COMPACT_FOOTER: ClassVar[frozenset[str]] = frozenset(
        {"back", "save", "apply", "generate", "sign", "confirm", "issue", "add", "photos"}
    )

    class Loaded(Message):
        """The worker fetched the screen's state (typed by the subclass)."""

        def __init__(self, card: ClientCard, state: object, *, keep_draft: bool = False) -> None:
            super().__init__()
            self.card = card
            self.state = state
            #: Re-read over typed input (Ctrl+R on a changed form): offer to keep it.
            self.keep_draft = keep_draft

    class Stale(Message):
        """Someone else saved the client after this screen loaded it."""

    def __init__(self, gateway: Gateway, actor: Actor, client_id: int) -> None:
        super().__init__()
        self.gateway = gateway
        self.actor = actor
        self.client_id = client_id
        self.card: ClientCard | None = None
        self.version: int | None = None
        self.loaded = False
        #: The form's texts as loaded or last saved: what "unsaved" is measured against.
        self.pristine: dict[str, str] = {}

    # --- layout -----------------------------------------------------------------------

    @property
    def step_title(self) -> str:
        """The step's name as the workflow lists it."""
        return next(title for number, _, title in STEPS if number == self.STEP)

    def compose(self) -> ComposeResult:
        yield Label(
            Text(t.STEP_TITLE.format(number=self.STEP, title=self.step_title)), id="step-title"
        )
        yield Static(Text(t.LOADING), id="step-client", markup=False)
        yield Static("", id="step-notice", markup=False)
        yield Static("", id="step-blocked", markup=False)
        with VerticalScroll(id="step-body"):
            yield from self.compose_body()
        yield PrivetFooter()

    def compose_body(self) -> ComposeResult:
        """The step's own widgets (hidden while the step is blocked)."""
        yield from ()

    def on_mount(self) -> None:
        """Load the client; listen for saves by other masters."""
        self.query_one("#step-body").display = False
        self.reload()
        live = getattr(self.app, "live", None)
        if live is not None:
            live.subscribe(self, self._on_notice)

    # --- loading ----------------------------------------------------------------------

    def fetch(self) -> StateT:
        """Read the step's own data (runs in a thread; the card is fetched separately)."""
        raise NotImplementedError

    @work(thread=True, exclusive=True, exit_on_error=False, group="step-load")
    def reload(self, *, keep_draft: bool = False) -> None:
        """Fetch the card and the step's data, then hand them to the screen."""
        card = self.gateway.client_card_by_id(self.actor, self.client_id)
        state = self.fetch()
        self.post_message(self.Loaded(card, state, keep_draft=keep_draft))

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        typed, before = form_values(self), self.pristine
        self._show_loaded(message)
        self.mark_pristine()
        if message.keep_draft and not self.blocked:
            self._offer_draft(typed, before)

    def _show_loaded(self, message: Loaded) -> None:
        card = message.card
        self.card = card
        self.version = card.version
        self.loaded = True
        name = card.full_name or card.app_full_name or t.NO_NAME
        self.query_one("#step-client", Static).update(
            Text(t.CLIENT_LINE.format(name=name, status=card.status_label))
        )
        self.set_notice(None)
        step = self.step_state
        shown = self.query_one("#step-blocked", Static)
        shown.display = self.blocked
        self.query_one("#step-body").display = not self.blocked
        if self.blocked and step is not None:
            shown.update(Text(f"{t.BLOCKED_TITLE}\n\n{step.reason or ''}"))
        else:
            self.show_state(cast(StateT, message.state))
        self.refresh_bindings()

    def show_state(self, state: StateT) -> None:
        """Draw the fetched data (only called when the step is not blocked)."""

    # --- unsaved input ----------------------------------------------------------------

    @property
    def draft_title(self) -> str:
        """The screen as the unsaved-input questions name it."""
        return t.STEP_TITLE.format(number=self.STEP, title=self.step_title)

    def mark_pristine(self) -> None:
        """The form as it is now is what was loaded or saved (call after filling it)."""
        self.pristine = form_values(self)

    def unsaved_fields(self) -> list[str]:
        """Labels of the fields whose text differs from what was loaded or last saved."""
        if not self.loaded:
            return []
        return [field.label for field in changed_fields(self, self.pristine)]

    def _offer_draft(self, typed: dict[str, str], before: dict[str, str]) -> None:
        """After a re-read over typed input: put the typed changes back over the saved
        values and show both; the master keeps theirs or takes the saved ones."""
        saved = self.pristine
        mine = {name: text for name, text in typed.items() if text != before.get(name, "")}
        labels = {field.field: field.label for field in self.query(FormField)}
        rows = [
            (labels.get(name, name), text, saved.get(name, ""))
            for name, text in mine.items()
            if text != saved.get(name, "")
        ]
        if not rows:
            return  # what was typed is what is stored now: nothing to choose
        hidden = self.saved_values_hidden()
        fill_form(self, {**saved, **mine})
        self.show_draft()

        def chosen(choice: Choice | None) -> None:
            if choice == "saved":
                self.reload()
                self.notify(d.CONFLICT_TAKEN, markup=False)
            else:
                self.set_notice(d.CONFLICT_KEPT)

        self.app.push_screen(DraftConflictModal(rows, saved_hidden=hidden), chosen)

    def saved_values_hidden(self) -> bool:
        """Whether the stored values are not on the form after a load (a masked passport)."""
        return False

    def show_draft(self) -> None:
        """Make the form visible for typed values put back after a re-read (if it hides)."""

    @property
    def step_state(self) -> StepState | None:
        """This step as the card sees it."""
        if self.card is None:
            return None
        return next((s for s in self.card.steps if s.number == self.STEP), None)

    @property
    def blocked(self) -> bool:
        """Whether the card says this step cannot be taken now."""
        step = self.step_state
        return step is not None and step.state == "blocked"

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Esc and Ctrl+R always work; the step's own keys only once loaded and not blocked."""
        if action in ("back", "reload"):
            return True
        return self.loaded and not self.blocked and self.allows(action)

    def allows(self, action: str) -> bool:
        """Whether a key of the step itself is offered now (the subclass decides)."""
        return True

    def action_next_field(self) -> None:
        """Enter in a form field but the last: the next field (else Enter is the field's)."""
        fields = list(self.query(self.FORM_FIELDS)) if self.FORM_FIELDS else []
        if self.focused not in fields or self.focused is fields[-1]:
            raise SkipAction
        self.focus_next()

    def unless_voiding(self, proceed: Callable[[], object]) -> None:
        """Run `proceed` — after the master agrees, when the change voids the contract that
        awaits the client's signature (its code dies and the client is told)."""
        if self.card is None or self.card.status != "awaiting_signature":
            proceed()
            return
        if form_values(self) and not self.unsaved_fields():
            self.notify(d.NOTHING_CHANGED, markup=False)  # saving it again would only void
            return

        def answered(yes: bool | None) -> None:
            if yes:
                proceed()

        self.app.push_screen(ConfirmModal(t.VOID_CONFIRM_TITLE, t.VOID_CONFIRM), answered)

    @property
    def editable(self) -> bool:
        """Whether steps 1-4 may be changed now (held by this master, not signed yet)."""
        return self.card is not None and self.card.can_edit

    def read_only_reason(self) -> str:
        """Why the form is shown without the right to change it."""
        if self.card is not None and self.card.status == "cancelled":
            return t.READ_ONLY_CANCELLED
        if self.card is not None and self.card.status not in EDITABLE_STATUSES:
            return t.READ_ONLY_SIGNED
        master = self.card.master_name if self.card else None
        return t.READ_ONLY_OTHER.format(master=master or t.NOTHING)

    # --- notices, errors --------------------------------------------------------------

    def set_notice(self, message: str | None) -> None:
        """Show a banner above the form (literal text), or hide it."""
        notice = self.query_one("#step-notice", Static)
        notice.update(Text(message or ""))
        notice.display = bool(message)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """Field errors go next to their fields, a stale version to the banner, the rest
        to the app's one error handler."""
        if event.state is not WorkerState.ERROR:
            return
        event.prevent_default()  # the base class would report it a second time
        self.worker_failed(event.worker)
        error = event.worker.error
        if isinstance(error, PrivetError) and self.show_error(error):
            return
        self.privet.report_failure(error)

    def show_error(self, error: PrivetError) -> bool:
        """Place an error on the screen; False leaves it to the app's notification."""
        if isinstance(error, FieldErrors):
            rest = show_field_errors(self, error.errors)
            if rest:
                self.notify("\n".join(rest), title=error.title, severity="error", markup=False)
            return True
        if isinstance(error, ConflictError):
            self.set_notice(f"{t.ERROR_MARK} {error.message}. {t.CONFLICT_HINT}")
            self.notify(error.message, title=error.title, severity="error", markup=False)
            return True
        if isinstance(error, ValidationError) and error.field:
            matches = self.query(f"#field-{error.field}").results(FormField)
            field = next(matches, None)
            if field is not None:
                show_field_errors(self, {error.field: error.message})
                return True
        return False

    def _on_notice(self, notice: Notice) -> None:
        if notice.own or not self.loaded:
            return  # our own save already updated this screen
        if notice.payload.get("client_id") not in (None, self.client_id):
            return
        self.check_stale()

    @work(thread=True, exclusive=True, exit_on_error=False, group="step-stale")
    def check_stale(self) -> None:
        """Compare the stored version with the one this screen saw."""
        card = self.gateway.client_card_by_id(self.actor, self.client_id)
        if self.version is not None and card.version is not None and card.version > self.version:
            self.post_message(self.Stale())

    @on(Stale)
    def _stale(self) -> None:
        self.set_notice(f"{t.ERROR_MARK} {t.STALE}")

    def saved(self, version: int | None, message: str = t.SAVED) -> None:
        """After a save: remember the new version and say so."""
        if version is not None:
            self.version = version
        self.mark_pristine()
        self.set_notice(None)
        self.notify(message, markup=False)

    # --- actions ----------------------------------------------------------------------

    def action_back(self) -> None:
        """Back to the card (which refreshes itself); a changed form asks first."""
        unless_unsaved(self, lambda: self.dismiss(None))

    def action_reload(self) -> None:
        """Read everything again (after a conflict, or to see another master's changes);
        over typed input, the typed values are shown beside the saved ones first."""
        self.reload(keep_draft=bool(self.unsaved_fields()))
