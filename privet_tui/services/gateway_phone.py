"""The gateway's «Фото с телефона» methods (a mixin of `Gateway`, kept apart so the gateway
stays one screenful of plumbing and step actions): a link for the QR code, and the photos
that arrived through it, attached one transaction each. See `services.phone_upload`."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from privet_tui.services import phone_upload
from privet_tui.services.gateway_plumbing import GatewayPlumbing
from privet_tui.services.phone_upload import UploadLink, UploadOutcome
from privet_tui.services.steps import device_photos

if TYPE_CHECKING:
    from privet_tui.photos import PreparedPhoto
    from privet_tui.services.actor import Actor
    from privet_tui.services.steps.device_photos import PhotoInfo

__all__ = ["PhoneUploads"]


class PhoneUploads(GatewayPlumbing):
    """Photos from the master's phone for one device of a client.

    Both methods block (network and database): the TUI calls them from thread workers.
    Errors are Russian `PrivetError`s: `PhoneUploadUnavailable` (the local store: its message
    says what to configure), `NotFoundError` (device deleted), `StateError` (client signed),
    `AuthError` (another master's client), `StorageError` (S3 down: poll again later)."""

    def phone_uploads_available(self) -> bool:
        """True when this deployment can take photos from a phone (S3 with a public endpoint);
        when False, `phone_link` raises `PhoneUploadUnavailable` with the one-line hint."""
        return phone_upload.available(self.store, self.settings)

    def phone_link(self, actor: Actor | None, client_id: int, device_id: int) -> UploadLink:
        """A fresh upload link for the device, valid `PHONE_LINK_MINUTES` (15) minutes: its
        `url` (≈ 65 characters) is what the QR code carries. Nothing is written to the
        database; earlier links of the device keep working until they expire. The checks
        (the master's client, editable, the device exists) run first, in their own read."""
        self.read(phone_upload.require_device, actor, client_id, device_id)
        return phone_upload.create_link(self.store, self.settings, client_id, device_id)

    def collect_phone_photos(
        self,
        actor: Actor | None,
        client_id: int,
        device_id: int,
        on_outcome: Callable[[UploadOutcome], object] | None = None,
    ) -> list[UploadOutcome]:
        """Attach what phones uploaded for the device since the last call (every link of
        it), oldest first, one transaction per photo audited with `actor` (None: an operator
        from the CLI); `on_outcome` is called after each. Call it every ≤ 3 s while the
        modal is open, and once when it opens. Empty with the local store."""

        def attach(prepared: PreparedPhoto, name: str) -> PhotoInfo:
            return self.call(
                device_photos.attach_photo,
                self.store,
                actor,
                client_id,
                device_id,
                prepared,
                name,
            )

        return phone_upload.collect(self.store, client_id, device_id, attach, on_outcome=on_outcome)
