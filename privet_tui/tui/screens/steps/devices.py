"""Step 3 «Устройства»: the client's devices in a table; add and edit in a modal form,
remove after a confirmation, and photos attached through the picker."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import DataTable, Static

from privet_tui.services.rules.catalog import DeviceInput
from privet_tui.services.steps.devices import DeviceRow
from privet_tui.tui import texts_steps as t
from privet_tui.tui.screens.steps.base import StepScreen
from privet_tui.tui.screens.steps.device_form import DeviceFormModal, DeviceFormResult
from privet_tui.tui.screens.steps.device_photos_panel import DevicePhotosPanel
from privet_tui.tui.screens.steps.phone_photos import PhonePhotosModal
from privet_tui.tui.screens.steps.photo_picker import PhotoPickerModal
from privet_tui.tui.widgets.confirm import ConfirmModal

__all__ = ["DevicesScreen"]

_COLUMNS = (
    ("category", t.DEVICES_COL_CATEGORY, 18),
    ("brand", t.DEVICES_COL_BRAND, 13),
    ("model", t.DEVICES_COL_MODEL, 14),
    ("serial", t.DEVICES_COL_SERIAL, 14),
    ("photos", t.DEVICES_COL_PHOTOS, 4),
)


def device_label(device: DeviceRow) -> str:
    """«Телевизор LG OLED55» - how a device is named in titles and questions."""
    return f"{device.category_label} {device.brand} {device.model}"


class DevicesScreen(StepScreen[list[DeviceRow]]):
    """The device table; keys a / Enter / d / p / t add, edit, remove, attach photos from
    files, and from the master's phone."""

    STEP = 3
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "a,ф",
            "add",
            t.DEVICES_ADD,
            id="devices.add",
            tooltip=t.DEVICES_ADD_TIP,
            key_display="a",
        ),
        Binding(
            "e,у",
            "edit",
            t.DEVICES_EDIT,
            id="devices.edit",
            tooltip=t.DEVICES_EDIT_TIP,
            key_display="e",
        ),
        Binding(
            "d,в,delete",
            "remove",
            t.DEVICES_REMOVE,
            id="devices.remove",
            tooltip=t.DEVICES_REMOVE_TIP,
            key_display="d",
        ),
        Binding(
            "p,з",
            "photos",
            t.DEVICES_PHOTOS,
            id="devices.photos",
            tooltip=t.DEVICES_PHOTOS_TIP,
            key_display="p",
        ),
        Binding(
            "t,е",
            "phone",
            t.PHONE,
            id="devices.phone",
            tooltip=t.PHONE_TIP,
            key_display="t",
        ),
    ]
    #: The keys a narrow terminal's footer keeps (widgets/footer.py, where it exists): on a
    #: phone's ssh client the master opens the phone link as text, so `t` stays in sight.
    COMPACT_FOOTER: ClassVar[frozenset[str]] = frozenset({"back", "add", "photos", "phone"})

    class Removed(Message):
        """A device was deleted."""

        def __init__(self, version: int) -> None:
            super().__init__()
            self.version = version

    #: The rows shown, in table order.
    devices: tuple[DeviceRow, ...] = ()

    def compose_body(self) -> ComposeResult:
        table: DataTable[Text] = DataTable(
            id="devices-table", cursor_type="row", zebra_stripes=True
        )
        for key, label, width in _COLUMNS:
            table.add_column(label, width=width, key=key)
        yield table
        yield Static(Text(t.DEVICES_EMPTY), id="devices-empty", markup=False)
        yield DevicePhotosPanel(id="device-photos-row")

    def fetch(self) -> list[DeviceRow]:
        """The devices with their photo counts."""
        return self.gateway.list_devices(self.actor, self.client_id)

    def show_state(self, state: list[DeviceRow]) -> None:
        table = self.query_one("#devices-table", DataTable)
        selected = self.selected
        self.devices = tuple(state)
        table.clear()
        for device in state:
            table.add_row(
                Text(device.category_label),
                Text(device.brand),
                Text(device.model),
                Text(device.serial or t.NOTHING),
                Text(str(device.photo_count), justify="right"),
                key=str(device.id),
            )
        self.query_one("#devices-empty").display = not state
        table.display = bool(state)
        if selected is not None and any(d.id == selected.id for d in state):
            table.move_cursor(row=table.get_row_index(str(selected.id)))
        if not self.editable:
            self.set_notice(self.read_only_reason())
        table.focus()
        self._show_photos()
        self.refresh_bindings()

    @property
    def selected(self) -> DeviceRow | None:
        """The device under the cursor."""
        table = self.query_one("#devices-table", DataTable)
        if not self.devices or table.row_count == 0:
            return None
        row = table.cursor_row
        return self.devices[row] if 0 <= row < len(self.devices) else None

    def allows(self, action: str) -> bool:
        """Changes only when editable; edit, remove and photos need a device."""
        if action in ("add", "edit", "remove", "photos", "phone"):
            if not self.loaded or not self.editable:
                return False
            return action == "add" or self.selected is not None
        return True

    # --- photos of the selected device ------------------------------------------------

    @on(DataTable.RowHighlighted, "#devices-table")
    def _highlighted(self) -> None:
        self._show_photos()
        self.refresh_bindings()

    def _show_photos(self) -> None:
        self.query_one(DevicePhotosPanel).show_device(self.selected)

    # --- actions ----------------------------------------------------------------------

    def action_add(self) -> None:
        """Open the empty device form."""
        if not self.check_action("add", ()) or self.version is None:
            return
        version = self.version

        def save(device: DeviceInput) -> DeviceFormResult:
            saved = self.gateway.add_device(self.actor, self.client_id, version, device)
            return DeviceFormResult(saved.version, saved.device_id)

        self.unless_voiding(
            lambda: self.app.push_screen(
                DeviceFormModal(t.DEVICE_FORM_ADD, save),
                lambda result: self._form_closed(result, t.DEVICES_ADDED),
            )
        )

    @on(DataTable.RowSelected, "#devices-table")
    def action_edit(self) -> None:
        """Open the form filled with the selected device."""
        device = self.selected
        if not self.check_action("edit", ()) or device is None or self.version is None:
            return
        version, device_id = self.version, device.id

        def save(changed: DeviceInput) -> DeviceFormResult:
            new_version = self.gateway.update_device(
                self.actor, self.client_id, version, device_id, changed
            )
            return DeviceFormResult(new_version, device_id)

        initial = DeviceInput(device.category, device.brand, device.model, device.serial)
        self.unless_voiding(
            lambda: self.app.push_screen(
                DeviceFormModal(t.DEVICE_FORM_EDIT, save, initial),
                lambda result: self._form_closed(result, t.DEVICES_UPDATED),
            )
        )

    def _form_closed(self, result: DeviceFormResult | None, message: str) -> None:
        if result is None:
            return
        self.saved(result.version, message)
        self.reload()

    def action_remove(self) -> None:
        """Ask, then delete the selected device with its photos."""
        device = self.selected
        if not self.check_action("remove", ()) or device is None or self.version is None:
            return
        version, device_id = self.version, device.id

        def answered(yes: bool | None) -> None:
            if yes:
                self.remove_device(version, device_id)

        question = t.DEVICES_REMOVE_QUESTION.format(
            device=device_label(device), photos=device.photo_count
        )
        if self.card is not None and self.card.status == "awaiting_signature":
            question += "\n\n" + t.VOID_CONFIRM
        self.app.push_screen(ConfirmModal(t.DEVICES_REMOVE_TITLE, question), answered)

    @work(thread=True, exclusive=True, exit_on_error=False, group="step-save")
    def remove_device(self, version: int, device_id: int) -> None:
        """Delete the device (its photo objects are left to `privet-tui gc`)."""
        removed = self.gateway.remove_device(self.actor, self.client_id, version, device_id)
        self.post_message(self.Removed(removed.version))

    @on(Removed)
    def _removed(self, message: Removed) -> None:
        self.saved(message.version, t.DEVICES_REMOVED)
        self.reload()

    def action_photos(self) -> None:
        """Open the photo picker for the selected device."""
        device = self.selected
        if not self.check_action("photos", ()) or device is None:
            return

        def closed(attached: int | None) -> None:
            if attached:
                self.reload()

        picker = PhotoPickerModal(
            self.gateway, self.actor, self.client_id, device.id, device_label(device)
        )
        self.unless_voiding(lambda: self.app.push_screen(picker, closed))

    def action_phone(self) -> None:
        """Open «Фото с телефона» for the selected device: a QR code, its photos live."""
        device = self.selected
        if not self.check_action("phone", ()) or device is None:
            return

        def closed(attached: int | None) -> None:
            if attached:
                self.reload()

        modal = PhonePhotosModal(
            self.gateway, self.actor, self.client_id, device.id, device_label(device)
        )
        self.unless_voiding(lambda: self.app.push_screen(modal, closed))
