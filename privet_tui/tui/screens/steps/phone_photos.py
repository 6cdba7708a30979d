"""«Фото с телефона» (step 3): a QR code of an upload link drawn in the terminal, the link as
text, how long it stays valid, and the photos as they arrive, each with its outcome.

The link comes from `Gateway.phone_link`; every `POLL_SECONDS` a thread worker runs
`Gateway.collect_phone_photos`, which attaches what the phone uploaded (one transaction a
photo) and reports each file as it goes. Opening the modal collects at once, so what arrived
while it was closed is attached then; closing it stops nothing (the phone's uploads wait in
the bucket for the next look). The QR code needs about 41x21 cells: in a smaller window the
modal says so and keeps the link as text and the list.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import Label, Static

from privet_tui.errors import DatabaseError, PrivetError, StorageError
from privet_tui.qr_text import QR_STYLE, qr_lines
from privet_tui.tui import texts_steps as t
from privet_tui.tui.screens.base import PrivetModal
from privet_tui.tui.widgets.footer import PrivetFooter

if TYPE_CHECKING:
    from textual.worker import Worker

    from privet_tui.services.actor import Actor
    from privet_tui.services.gateway import Gateway
    from privet_tui.services.phone_upload import UploadLink, UploadOutcome

__all__ = ["POLL_SECONDS", "PhonePhotosModal"]

#: How often the bucket is asked for new uploads (the issue allows 3 s from upload to
#: attached; a poll, the download, `prepare()` and the commit fit in what is left).
POLL_SECONDS = 1.5
#: Columns the side column needs next to the QR code (the hint, the validity, the list).
_SIDE_MIN = 24
#: Rows around the QR code: the title and the footer.
_CHROME_ROWS = 2


class PhonePhotosModal(PrivetModal[int]):
    """Photos from the master's phone for one device; closes with how many were attached."""

    CSS_PATH = "steps.tcss"
    DEFAULT_CSS = """
    PhonePhotosModal { background: $background; }
    PhonePhotosModal #phone-title { width: 100%; background: $primary; text-style: bold;
        padding: 0 1; }
    PhonePhotosModal #phone-main { height: 1fr; }
    PhonePhotosModal #phone-qr { width: auto; height: auto; }
    PhonePhotosModal #phone-side { width: 1fr; height: 1fr; padding: 0 1; }
    PhonePhotosModal #phone-side > Static { height: auto; }
    PhonePhotosModal #phone-results { height: 1fr; }
    PhonePhotosModal #phone-link { height: auto; padding: 0 1; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "escape",
            "close",
            t.PHONE_CLOSE,
            id="phone.close",
            tooltip=t.PHONE_CLOSE_TIP,
            key_display="Esc",
        ),
        Binding(
            "n,т",
            "new_link",
            t.PHONE_NEW,
            id="phone.new_link",
            tooltip=t.PHONE_NEW_TIP,
            key_display="n",
        ),
    ]

    class LinkReady(Message):
        """A fresh upload link."""

        def __init__(self, link: UploadLink) -> None:
            super().__init__()
            self.link = link

    class LinkRefused(Message):
        """No link: the local store, a signed client, the bucket down, ..."""

        def __init__(self, error: PrivetError) -> None:
            super().__init__()
            self.error = error

    class Arrived(Message):
        """One upload judged: attached or refused."""

        def __init__(self, outcome: UploadOutcome) -> None:
            super().__init__()
            self.outcome = outcome

    class Polled(Message):
        """A look at the bucket ended; `error` when it could not be made."""

        def __init__(self, error: PrivetError | None) -> None:
            super().__init__()
            self.error = error

    def __init__(
        self, gateway: Gateway, actor: Actor, client_id: int, device_id: int, device_label: str
    ) -> None:
        super().__init__()
        self.gateway = gateway
        self.actor = actor
        self.client_id = client_id
        self.device_id = device_id
        self.device_label = device_label
        self.link: UploadLink | None = None
        self.qr: list[str] = []
        self.attached = 0
        self.refused = 0
        self.lines: list[Text] = []
        self.polling = True
        self._busy = False
        #: A link refused because the bucket or the database was down: made again as soon
        #: as a look at the bucket succeeds.
        self._link_retry = False

    def compose(self) -> ComposeResult:
        yield Label(Text(t.PHONE_TITLE.format(device=self.device_label)), id="phone-title")
        with Horizontal(id="phone-main"):
            yield Static("", id="phone-qr", markup=False)
            with Vertical(id="phone-side"):
                yield Static(Text(t.PHONE_PREPARING), id="phone-hint", markup=False)
                yield Static("", id="phone-valid", markup=False)
                yield Static("", id="phone-status", markup=False)
                yield Static("", id="phone-counts", markup=False)
                with VerticalScroll(id="phone-results"):
                    yield Static("", id="phone-lines", markup=False)
        yield Static("", id="phone-link", markup=False)
        yield PrivetFooter()

    def on_mount(self) -> None:
        self.query_one("#phone-qr").display = False
        self.make_link()
        self.poll()  # what arrived while the modal was closed
        self.set_interval(POLL_SECONDS, self.poll)

    # --- the link -----------------------------------------------------------------------

    @work(thread=True, exclusive=True, exit_on_error=False, group="phone-link")
    def make_link(self) -> None:
        """Ask for a link; a refusal is shown in the modal, not as a notification."""
        try:
            link = self.gateway.phone_link(self.actor, self.client_id, self.device_id)
        except PrivetError as exc:
            self.post_message(self.LinkRefused(exc))
            return
        self.post_message(self.LinkReady(link))

    @on(LinkReady)
    def _link_ready(self, message: LinkReady) -> None:
        self.link = message.link
        self.qr = qr_lines(message.link.url)
        self.query_one("#phone-qr", Static).update(
            Text("\n".join(self.qr), style=QR_STYLE, no_wrap=True, overflow="crop")
        )
        self.query_one("#phone-link", Static).update(Text(message.link.url))
        self._fit(self.size.width, self.size.height)
        self._show_validity()

    @on(LinkRefused)
    def _link_refused(self, message: LinkRefused) -> None:
        self.link, self.qr = None, []
        self.query_one("#phone-qr").display = False
        self.query_one("#phone-link", Static).update("")
        self.query_one("#phone-valid", Static).update("")
        self._hint(f"{t.ERROR_MARK} {message.error.message}")
        self._link_retry = isinstance(message.error, (StorageError, DatabaseError))
        if not self._link_retry:
            # Nothing can arrive for this device: the local store, the device deleted, the
            # client signed or another master's. Waiting for photos would only mislead.
            self.polling = False
            self.query_one("#phone-status", Static).update("")

    def action_new_link(self) -> None:
        """A fresh link (the previous one keeps working until it expires)."""
        self._hint(t.PHONE_PREPARING)
        self.make_link()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """No new link where links cannot be made at all (the local store)."""
        return self.polling if action == "new_link" else True

    def _show_validity(self) -> None:
        if self.link is None:
            return
        until = self.link.expires_at.astimezone(self.gateway.settings.zone).strftime("%H:%M")
        minutes = int(self.link.life.total_seconds() // 60)
        text = t.PHONE_EXPIRED if self.expired else t.PHONE_VALID
        self.query_one("#phone-valid", Static).update(
            Text(text.format(until=until, minutes=minutes))
        )
        if self.expired and self.qr:
            # A dead code is not shown: a phone would only be told the link is over.
            self.qr = []
            self.query_one("#phone-qr").display = False
            self.query_one("#phone-link", Static).update("")
            self._hint("")

    @property
    def expired(self) -> bool:
        """Whether the link shown has expired (the bucket refuses its uploads now)."""
        return self.link is not None and datetime.now(UTC) >= self.link.expires_at

    # --- fitting the QR code --------------------------------------------------------------

    def on_resize(self, event: events.Resize) -> None:
        self._fit(event.size.width, event.size.height)

    def _fit(self, width: int, height: int) -> None:
        """The QR code when the window holds it, else a line saying what size it needs."""
        if not self.qr:
            return
        columns, rows = len(self.qr[0]), len(self.qr)
        link_rows = -(-len(self.link.url) // max(width - 2, 1)) if self.link else 1
        fits = width >= columns + _SIDE_MIN and height >= rows + _CHROME_ROWS + link_rows
        self.query_one("#phone-qr").display = fits
        needed_width, needed_height = columns + _SIDE_MIN, rows + _CHROME_ROWS + 1
        self._hint(
            t.PHONE_SCAN
            if fits
            else t.PHONE_SCAN_SMALL.format(width=needed_width, height=needed_height)
        )

    def _hint(self, text: str) -> None:
        self.query_one("#phone-hint", Static).update(Text(text))

    # --- collecting ---------------------------------------------------------------------

    def poll(self) -> None:
        """Look for new uploads unless a look is still running (or nothing can arrive)."""
        self._show_validity()
        if self._busy or not self.polling:
            return
        self._busy = True
        self.collect()

    @work(thread=True, exit_on_error=False, group="phone-collect")
    def collect(self) -> None:
        """Attach what arrived, posting each outcome as it is judged; the bucket being
        down is said in the modal and tried again at the next poll."""
        try:
            self.gateway.collect_phone_photos(
                self.actor,
                self.client_id,
                self.device_id,
                on_outcome=lambda outcome: self.post_message(self.Arrived(outcome)),
            )
        except PrivetError as exc:
            self.post_message(self.Polled(exc))
            return
        self.post_message(self.Polled(None))

    @on(Arrived)
    def _arrived(self, message: Arrived) -> None:
        outcome = message.outcome
        if outcome.photo is not None:
            self.attached += 1
            photo = outcome.photo
            line = t.PHONE_OK.format(
                name=outcome.name,
                width=photo.width,
                height=photo.height,
                kb=-(-photo.bytes // 1024),
            )
            self.lines.append(Text(f"{t.OK_MARK} {line}"))
        else:
            self.refused += 1
            reason = t.PHONE_REFUSED.format(name=outcome.name, reason=outcome.reason)
            self.lines.append(Text(f"{t.ERROR_MARK} {reason}"))
        self.query_one("#phone-lines", Static).update(Text("\n").join(self.lines))
        self.query_one("#phone-results", VerticalScroll).scroll_end(animate=False)
        self.query_one("#phone-counts", Static).update(
            Text(t.PHONE_COUNTS.format(ok=self.attached, failed=self.refused))
        )

    @on(Polled)
    def _polled(self, message: Polled) -> None:
        self._busy = False
        if not self.polling:
            return
        seconds = f"{POLL_SECONDS:g}".replace(".", ",")
        if message.error is None:
            status = t.PHONE_WAITING.format(seconds=seconds)
            if self._link_retry:  # the bucket is back: the link it refused can be made now
                self._link_retry = False
                self.action_new_link()
        else:
            said = message.error.message.rstrip()
            said = said if said.endswith((".", "!", "?")) else f"{said}."
            error = t.PHONE_STORE_DOWN.format(message=said, seconds=seconds)
            status = f"{t.ERROR_MARK} {error}"
        self.query_one("#phone-status", Static).update(Text(status))

    def worker_failed(self, worker: Worker[object]) -> None:
        """An unexpected failure (reported by the app) does not stop the next look."""
        if worker.group == "phone-collect":
            self._busy = False

    def action_close(self) -> None:
        """Back to the devices with the count attached; uploads still on their way wait in
        the bucket for the next time the modal (or `privet-tui photos link`) looks."""
        self.dismiss(self.attached)
