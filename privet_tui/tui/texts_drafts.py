"""Russian texts of the questions that keep typed input: leaving a changed form, closing or
logging out with one open, and a save refused because another master saved first."""

from __future__ import annotations

from typing import Final

LEAVE_TITLE: Final = "Есть несохранённые изменения"
LEAVE: Final = "Не сохранено: {fields}.\nУйти и потерять введённое?"
LEAVE_GO: Final = "Уйти"
LEAVE_STAY: Final = "Остаться"
#: One screen with unsaved changes, in the quit and log-out questions.
WHERE: Final = "{screen} ({fields})"
QUIT_UNSAVED: Final = "Не сохранено: {where}.\nЗакрыть программу и потерять введённое?"
LOGOUT_UNSAVED: Final = "Не сохранено: {where}.\nВыйти и потерять введённое?"
NOTHING_CHANGED: Final = "Изменений нет: сохранять нечего, договор остаётся в силе."

CONFLICT_TITLE: Final = "Данные клиента изменил другой мастер"
CONFLICT_INTRO: Final = "Ваши значения и сохранённые другим мастером:"
CONFLICT_FIELD: Final = "Поле"
CONFLICT_MINE: Final = "Ваше"
CONFLICT_SAVED: Final = "Сохранено"
CONFLICT_EMPTY: Final = "-"
CONFLICT_HIDDEN: Final = "скрыто"
CONFLICT_KEEP: Final = "Оставить моё"
CONFLICT_TAKE: Final = "Взять сохранённое"
CONFLICT_HINT: Final = (
    "«Оставить моё»: ваши правки поверх сохранённого, Ctrl+S сохранит их. "
    "«Взять сохранённое»: ваши правки пропадут. Esc: оставить моё."
)
CONFLICT_KEPT: Final = "Ваши правки оставлены поверх сохранённых данных. Сохранить: Ctrl+S."
CONFLICT_TAKEN: Final = "Показаны данные, сохранённые другим мастером."
