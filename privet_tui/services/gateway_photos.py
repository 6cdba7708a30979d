"""The gateway's photo edits beyond the batch upload: removing one photo of a device (a mixin
of `Gateway`, kept apart so the gateway stays one screenful of plumbing and step actions)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from privet_tui.services.gateway_plumbing import GatewayPlumbing
from privet_tui.services.steps import device_photos
from privet_tui.services.steps.device_photos import PhotoRemoved

if TYPE_CHECKING:
    from privet_tui.services.actor import Actor

__all__ = ["DevicePhotoEdits"]


class DevicePhotoEdits(GatewayPlumbing):
    """Step 3's single-photo actions, each one transaction of `Gateway.call`."""

    def remove_photo(self, actor: Actor, client_id: int, photo_id: int) -> PhotoRemoved:
        """Step 3: delete one photo of the client's device (audited; the object is left for
        `gc`). NotFoundError when it is already gone; AuthError / StateError from the step
        guard (another master's client, a signed one)."""
        return self.call(device_photos.remove_photo, actor, client_id, photo_id)
