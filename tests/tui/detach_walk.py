"""The walk the dropped-connection tests share (issue 11): log in as the demo master, open
the first of their clients, its Контакты step, and type an address without saving it."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable

from privet_tui.demo.seed import DEMO_EMAIL, DEMO_PASSWORD
from tests.faults.servers import wait_until

#: Typed into the address field and never saved: only the running app holds it.
TYPED = "Тверская 7 кв 42"

#: `send("-l", text)` or `send("Tab")`: tmux send-keys to the pane the app runs in.
Send = Callable[..., object]


def wait_for(screen: Callable[[], str], text: str, what: str, timeout: float = 60) -> None:
    """Poll the screen until `text` shows; the failure shows the screen."""
    try:
        wait_until(lambda: text in screen(), timeout=timeout, interval=0.1, what=what)
    except AssertionError:
        raise AssertionError(f"{what}: not shown; the screen:\n{screen()}") from None


def type_into_contacts(send: Send, screen: Callable[[], str]) -> None:
    """From the login form to the typed (unsaved) address on the Контакты step."""
    wait_for(screen, "Пароль", "the login form")
    send("-l", DEMO_EMAIL)
    send("Tab")
    send("-l", DEMO_PASSWORD)
    send("Enter")
    wait_for(screen, "Обработанные", "the client list")
    send("2")  # «Мои»: the demo master's clients, some of them «В работе»
    wait_for(screen, "В работе", "the master's own clients")
    for _attempt in range(3):  # the first row takes the cursor once the rows have settled
        time.sleep(0.5)
        send("Enter")
        with contextlib.suppress(AssertionError):
            wait_for(screen, "ID в приложении", "the client card", timeout=5)
            break
    wait_for(screen, "ID в приложении", "the client card")
    send("1")
    wait_for(screen, "Шаг 1 из 7: Контакты", "the Контакты step")
    wait_for(screen, "+7 ", "the client's phone in the form (the data has arrived)")
    time.sleep(0.3)  # the first field takes the focus as the data is shown
    send("Tab", "Tab", "Tab")  # ФИО → Телефон → Email → Адрес
    time.sleep(0.3)
    send("-l", TYPED)
    wait_for(screen, TYPED, "the typed address")
