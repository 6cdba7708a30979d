"""Which screen shows which step: the card pushes `STEP_SCREENS[n](gateway, actor, client_id)`
and refreshes itself when the screen is dismissed."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from textual.screen import Screen

from privet_tui.tui.screens.steps.contacts import ContactsScreen
from privet_tui.tui.screens.steps.contract import ContractScreen
from privet_tui.tui.screens.steps.devices import DevicesScreen
from privet_tui.tui.screens.steps.invoice import InvoiceScreen
from privet_tui.tui.screens.steps.passport import PassportScreen
from privet_tui.tui.screens.steps.payment import PaymentScreen
from privet_tui.tui.screens.steps.tariff import TariffScreen

if TYPE_CHECKING:
    from privet_tui.services.actor import Actor
    from privet_tui.services.gateway import Gateway

__all__ = ["STEP_SCREENS", "StepScreenFactory"]

StepScreenFactory = Callable[["Gateway", "Actor", int], Screen[object]]

#: Step number (1-7, as in `workflow.STEPS`) to the screen class that shows it.
STEP_SCREENS: dict[int, StepScreenFactory] = {
    1: ContactsScreen,
    2: PassportScreen,
    3: DevicesScreen,
    4: TariffScreen,
    5: ContractScreen,
    6: PaymentScreen,
    7: InvoiceScreen,
}
