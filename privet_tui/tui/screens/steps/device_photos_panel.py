"""Step 3's photos of the selected device: a list of them (Tab to reach it) with a preview of
the one under the cursor, and the removal of one photo after a deliberate question.

Its workers run on the step screen, so a failure reaches the screen's one error handler; the
results come back to the panel as messages."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from PIL import Image
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from privet_tui.errors import PrivetError
from privet_tui.photos import make_preview
from privet_tui.tui import texts_steps as t
from privet_tui.tui.widgets.confirm import ConfirmModal
from privet_tui.tui.widgets.photo_preview import PhotoPreview

if TYPE_CHECKING:
    from privet_tui.services.steps.device_photos import PhotoInfo
    from privet_tui.services.steps.devices import DeviceRow
    from privet_tui.tui.screens.steps.base import StepScreen

__all__ = ["DevicePhotosPanel", "PhotoList"]

#: The preview of a photo, in pixels (two pixel rows per cell row).
PREVIEW_SIZE = (24, 16)
#: Previews kept in memory (a few KB each), so moving along the list reads nothing twice.
_PREVIEWS_KEPT = 64


def photo_name(photo: PhotoInfo) -> str:
    """The name a master gave the file, else the stored object's."""
    return photo.original_name or photo.key.rsplit("/", 1)[-1]


class PhotoList(OptionList):
    """The photos of one device; d / Delete removes the one under the cursor."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "d,в,delete",
            "remove_photo",
            t.PHOTOS_REMOVE,
            id="devices.photo_remove",
            tooltip=t.PHOTOS_REMOVE_TIP,
            key_display="d",
        ),
    ]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Removal only on a photo of a client this master may change."""
        if action == "remove_photo":
            panel = self.panel
            return panel.editable and panel.highlighted_photo is not None
        return super().check_action(action, parameters)

    @property
    def panel(self) -> DevicePhotosPanel:
        """The panel this list belongs to."""
        return self.query_ancestor(DevicePhotosPanel)

    def action_remove_photo(self) -> None:
        """Ask, then remove the photo under the cursor."""
        self.panel.ask_removal()


class DevicePhotosPanel(Horizontal):
    """The list and the preview; `show_device(row)` follows the device table's cursor."""

    DEFAULT_CSS = """
    DevicePhotosPanel { height: auto; }
    DevicePhotosPanel #device-photos-col { width: 1fr; height: auto; }
    DevicePhotosPanel #device-photo-list { height: auto; max-height: 10; border: none;
        padding: 0; }
    """

    class Listed(Message):
        """The photo list of a device arrived."""

        def __init__(self, device_id: int, photos: list[PhotoInfo]) -> None:
            super().__init__()
            self.device_id = device_id
            self.photos = photos

    class Previewed(Message):
        """A preview (None: the stored object could not be read) of one photo."""

        def __init__(self, photo_id: int, image: Image.Image | None) -> None:
            super().__init__()
            self.photo_id = photo_id
            self.image = image

    class Removed(Message):
        """A photo was removed."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.device: DeviceRow | None = None
        self.photos: list[PhotoInfo] = []
        self._previews: dict[int, Image.Image | None] = {}

    def compose(self) -> ComposeResult:
        with Vertical(id="device-photos-col"):
            yield Static("", id="device-photos", markup=False)
            yield PhotoList(id="device-photo-list")
        yield PhotoPreview(id="device-preview")

    def on_mount(self) -> None:
        self.query_one(PhotoList).display = False
        self.query_one(PhotoPreview).display = False

    @property
    def step(self) -> StepScreen[Any]:
        """The step screen that runs the workers and knows whether changes are allowed."""
        return self.screen  # type: ignore[return-value]

    @property
    def editable(self) -> bool:
        """Whether the photos may be changed now."""
        return self.step.loaded and self.step.editable

    @property
    def highlighted_photo(self) -> PhotoInfo | None:
        """The photo under the list's cursor."""
        index = self.query_one(PhotoList).highlighted
        if index is None or not 0 <= index < len(self.photos):
            return None
        return self.photos[index]

    # --- loading ----------------------------------------------------------------------

    def show_device(self, device: DeviceRow | None) -> None:
        """Show the photos of `device` (none: an empty panel); reloads its list."""
        self.device = device
        title = self.query_one("#device-photos", Static)
        photo_list = self.query_one(PhotoList)
        if device is None or device.photo_count == 0:
            self.photos = []
            photo_list.clear_options()
            photo_list.display = False
            self.query_one(PhotoPreview).display = False
            title.update(Text(t.DEVICES_NO_PHOTOS if device is not None else ""))
            return
        gateway, device_id = self.step.gateway, device.id

        def fetch() -> None:
            self.post_message(self.Listed(device_id, gateway.list_photos(device_id)))

        self.step.run_worker(
            fetch, thread=True, exclusive=True, exit_on_error=False, group="device-photos"
        )

    @on(Listed)
    def _listed(self, message: Listed) -> None:
        if self.device is None or self.device.id != message.device_id:
            return
        self.photos = message.photos
        count = len(message.photos)
        self.query_one("#device-photos", Static).update(
            Text(t.DEVICES_PHOTOS_TITLE.format(count=count) if count else t.DEVICES_NO_PHOTOS)
        )
        photo_list = self.query_one(PhotoList)
        photo_list.clear_options()
        photo_list.add_options(
            Option(
                Text(
                    t.DEVICES_PHOTO_LINE.format(
                        name=photo_name(photo),
                        width=photo.width,
                        height=photo.height,
                        kb=-(-photo.bytes // 1024),
                    )
                ),
                id=str(photo.id),
            )
            for photo in message.photos
        )
        photo_list.display = bool(count)
        self.query_one(PhotoPreview).display = bool(count)
        if count:
            photo_list.highlighted = count - 1  # the newest, as the list grows at the bottom
            self._preview(message.photos[-1])

    @on(OptionList.OptionHighlighted, "#device-photo-list")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        photo = self.highlighted_photo
        if photo is not None:
            self._preview(photo)

    def _preview(self, photo: PhotoInfo) -> None:
        """Show the photo's preview, from memory or read in a worker."""
        preview = self.query_one(PhotoPreview)
        if photo.id in self._previews:
            preview.show(self._previews[photo.id], photo_name(photo))
            return
        preview.show(None, t.PICKER_PREVIEW_BUSY)
        gateway, photo_id = self.step.gateway, photo.id

        def fetch() -> None:
            try:
                data = gateway.photo_bytes(photo_id)
                image = make_preview(data, max_width=PREVIEW_SIZE[0], max_height=PREVIEW_SIZE[1])
            except PrivetError:
                image = None  # a missing object only costs the preview, not the list
            self.post_message(self.Previewed(photo_id, image))

        self.step.run_worker(
            fetch, thread=True, exclusive=True, exit_on_error=False, group="device-preview"
        )

    @on(Previewed)
    def _previewed(self, message: Previewed) -> None:
        if len(self._previews) >= _PREVIEWS_KEPT:
            self._previews.pop(next(iter(self._previews)))
        self._previews[message.photo_id] = message.image
        photo = self.highlighted_photo
        if photo is not None and photo.id == message.photo_id:
            caption = photo_name(photo) if message.image is not None else t.PHOTOS_NO_PREVIEW
            self.query_one(PhotoPreview).show(message.image, caption)

    # --- removal ----------------------------------------------------------------------

    def ask_removal(self) -> None:
        """Ask (deliberately: it cannot be undone), then remove the highlighted photo."""
        photo, device = self.highlighted_photo, self.device
        if photo is None or device is None or not self.editable:
            return
        step = self.step
        question = t.PHOTOS_REMOVE_QUESTION.format(
            name=photo_name(photo), device=f"{device.brand} {device.model}"
        )
        if step.card is not None and step.card.status == "awaiting_signature":
            question += "\n\n" + t.VOID_CONFIRM

        def answered(yes: bool | None) -> None:
            if yes:
                self._remove(photo.id)

        self.app.push_screen(
            ConfirmModal(t.PHOTOS_REMOVE_TITLE, question, deliberate=True), answered
        )

    def _remove(self, photo_id: int) -> None:
        step = self.step
        gateway, actor, client_id = step.gateway, step.actor, step.client_id

        def remove() -> None:
            gateway.remove_photo(actor, client_id, photo_id)
            self.post_message(self.Removed())

        step.run_worker(remove, thread=True, exclusive=True, exit_on_error=False, group="step-save")

    @on(Removed)
    def _removed(self) -> None:
        self.step.saved(None, t.PHOTOS_REMOVED)
        self.step.reload()
