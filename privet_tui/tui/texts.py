"""Every piece of UI text of the shell screens (login, list, card, lock, help), in Russian.

Step screens keep theirs in `texts_steps.py`; identifiers stay English, what a master
reads lives here so wording is reviewed and changed in one place.
"""

from __future__ import annotations

from typing import Final

APP_TITLE: Final = "Привет - мастер"

# --- keys shown in the footer and the help screen -------------------------------------
KEY_QUIT: Final = "Закрыть"
KEY_QUIT_TIP: Final = "Закрыть программу"
KEY_HELP: Final = "Помощь"
KEY_HELP_TIP: Final = "Список клавиш этого экрана"
KEY_PALETTE: Final = "Команды"
KEY_PALETTE_TIP: Final = "Палитра команд: поиск действий по названию"
KEY_LOCK: Final = "Блок"
KEY_LOCK_TIP: Final = "Заблокировать экран до ввода пароля"
KEY_BACK: Final = "Назад"
KEY_BACK_TIP: Final = "Вернуться на предыдущий экран"
KEY_LOGIN: Final = "Войти"
KEY_LOGIN_TIP: Final = "Проверить email и пароль"
KEY_NEXT_FIELD: Final = "Поле"
KEY_NEXT_FIELD_TIP: Final = "Следующее поле формы"
KEY_OPEN: Final = "Открыть"
KEY_OPEN_TIP: Final = "Открыть карточку выбранного клиента"
KEY_SEARCH: Final = "Поиск"
KEY_SEARCH_TIP: Final = "Искать по ФИО, телефону или email"
KEY_TAB_NEW: Final = "Новые"
KEY_TAB_MINE: Final = "Мои"
KEY_TAB_DONE: Final = "Обраб."
KEY_TAB_TIP: Final = "Переключить вкладку списка клиентов"
KEY_TABS: Final = "Вкладки"
KEY_REFRESH: Final = "Обновить"
KEY_REFRESH_TIP: Final = "Загрузить данные заново"
KEY_LOGOUT: Final = "Выйти"
KEY_LOGOUT_TIP: Final = "Завершить сеанс и вернуться ко входу"
KEY_CLAIM: Final = "Взять"
KEY_CLAIM_TIP: Final = "Взять клиента в работу"
KEY_STEP: Final = "Шаг"
KEY_STEP_TIP: Final = "Открыть шаг 1–7"
KEY_NEXT_TAB: Final = "Вкладка"
KEY_NEXT_TAB_TIP: Final = "Следующая вкладка: Обзор, Чат, Журнал"
KEY_CLOSE: Final = "Закрыть"
KEY_DISMISS_MENU: Final = "Закрыть список"
KEY_YES: Final = "Да"
KEY_NO: Final = "Нет"
KEY_UNLOCK: Final = "Разблокировать"

# --- login --------------------------------------------------------------------------
LOGIN_HEADING: Final = "Привет - вход мастера"
LOGIN_EMAIL: Final = "Email"
LOGIN_EMAIL_PLACEHOLDER: Final = "master@privet.ru"
LOGIN_PASSWORD: Final = "Пароль"  # noqa: S105 - a label
LOGIN_BUTTON: Final = "Войти"
LOGIN_HINT: Final = "Tab - следующее поле, Enter - войти"
LOGIN_CHECKING: Final = "Проверяем..."
LOGIN_NEED_EMAIL: Final = "Введите email"
LOGIN_NEED_PASSWORD: Final = "Введите пароль"  # noqa: S105 - a prompt
LOGIN_CONNECTING: Final = "Подключаемся к базе данных..."

# --- client list --------------------------------------------------------------------
CLIENTS_TITLE: Final = "Клиенты"
TAB_NEW: Final = "Новые"
TAB_MINE: Final = "Мои"
TAB_PROCESSED: Final = "Обработанные"
SEARCH_PLACEHOLDER: Final = "Поиск: ФИО, телефон или email  (/)"
COL_NAME: Final = "ФИО"
COL_PHONE: Final = "Телефон"
COL_STATUS: Final = "Статус"
COL_MASTER: Final = "Мастер"
COL_DATE: Final = "Дата"
NO_VALUE: Final = "-"
LIST_LOADING: Final = "Загрузка..."
LIST_EMPTY: Final = "Нет клиентов"
LIST_EMPTY_SEARCH: Final = "Никого не нашлось"
LIST_SHOWN: Final = "Показано: {count}"
LIST_MORE: Final = "  -  ещё есть: PageDown или прокрутка вниз"
LIST_UPDATED: Final = "  -  список обновлён"
LIVE_LOST: Final = "Нет связи для живых обновлений, переподключаемся..."
LIVE_BACK: Final = "Живые обновления снова работают"

# --- client card --------------------------------------------------------------------
CARD_TITLE: Final = "Клиент"
CARD_LOADING: Final = "Загрузка карточки..."
CARD_TAB_OVERVIEW: Final = "Обзор"
CARD_TAB_CHAT: Final = "Чат"
CARD_TAB_LOG: Final = "Журнал"
CARD_NAME: Final = "ФИО"
CARD_PHONE: Final = "Телефон"
CARD_EMAIL: Final = "Email"
CARD_ADDRESS: Final = "Адрес"
CARD_PASSPORT: Final = "Паспорт"
CARD_STATUS: Final = "Статус"
CARD_MASTER: Final = "Мастер"
CARD_NOT_CLAIMED: Final = "не взят в работу"
CARD_STEPS: Final = "Шаги (клавиши 1-7)"
CARD_CLAIM_HINT: Final = "Клиент ещё не в работе: c - взять в работу."
CARD_CLAIMED: Final = "Клиент взят в работу"
CARD_STEP_MISSING: Final = "Шаг {number} ещё не готов в этой версии программы"
STEP_DONE: Final = "[x]"
STEP_TODO: Final = "[ ]"
STEP_BLOCKED: Final = "[-]"
STEP_DONE_WORD: Final = "готово"
STEP_TODO_WORD: Final = "сделать"
STEP_BLOCKED_WORD: Final = "недоступно"
CHAT_EMPTY: Final = "Сообщений пока нет."
CHAT_PLACEHOLDER: Final = "Ответ клиенту, Enter - отправить"
CHAT_SENT: Final = "Сообщение отправлено"
CHAT_AUTHORS: Final = {
    "client": "Клиент",
    "support": "Поддержка",
    "system": "Система",
}
LOG_EMPTY: Final = "Журнал пуст."
LOG_SYSTEM: Final = "система"

# --- lock -----------------------------------------------------------------------------
LOCK_IDLE: Final = "Экран заблокирован: {minutes} мин без действий."
LOCK_EXPIRED: Final = "Сеанс истёк: прошло {minutes} мин со входа."
LOCK_MANUAL: Final = "Экран заблокирован."
LOCK_PROMPT: Final = "Мастер: {name} ({email}). Введите пароль, чтобы продолжить."
LOCK_LOGOUT: Final = "Выйти"
LOCK_CHECKING: Final = "Проверяем..."
LOCK_WRONG: Final = "Неверный пароль. Осталось попыток: {tries}"

# --- help, confirmations, palette, errors ---------------------------------------------
HELP_TITLE: Final = "Помощь"
HELP_WORKFLOW_TITLE: Final = "Как работать"
HELP_WORKFLOW: Final = (
    "Клиент из «Новые»: Enter - карточка, c - взять в работу (он перейдёт в «Мои»).\n"
    "На карточке 7 шагов, клавиши 1-7: 1 Контакты, 2 Паспорт, 3 Устройства с фото, "
    "4 Тариф, 5 Договор (код уходит клиенту в чат, клиент называет его - договор подписан), "
    "6 Оплата, 7 Счёт (клиент становится обработанным).\n"
    "Шаги 1-4 меняются до подписи; правка после формирования договора аннулирует его.\n"
    "Фото (шаг 3, p на устройстве): отметьте снимки пробелом в папке со снимками "
    "(настройка photo_inbox) и нажмите Ctrl+S, или Ctrl+O и вставьте путь к файлу; "
    "с компьютера снимки добавляет команда privet-tui photos add.\n"
    "Ctrl+P - все команды, Ctrl+L - заблокировать экран."
)
HELP_FOOTER: Final = "Esc, q или ? - закрыть"
HELP_GLOBAL: Final = "На всех экранах"
HELP_SCREEN: Final = "На этом экране"
LOGOUT_CONFIRM_TITLE: Final = "Выход"
LOGOUT_CONFIRM: Final = "Завершить сеанс и вернуться ко входу?"
QUIT_CONFIRM_TITLE: Final = "Закрыть программу"
QUIT_HINT: Final = "Закрыть программу: Ctrl+Q"
QUIT_CONFIRM: Final = "Закрыть программу? Несохранённые поля на открытых экранах пропадут."
PALETTE_PLACEHOLDER: Final = "Команда: начните печатать..."
PALETTE_NOTHING: Final = "Ничего не найдено"
PALETTE_NOTHING_HELP: Final = "Измените запрос; Esc - закрыть"
CMD_FIND: Final = "Найти клиента"
CMD_FIND_HELP: Final = "Поиск по ФИО, телефону или email"
CMD_NEW: Final = "Новые клиенты"
CMD_NEW_HELP: Final = "Вкладка «Новые»"
CMD_MINE: Final = "Мои клиенты"
CMD_MINE_HELP: Final = "Вкладка «Мои»"
CMD_PROCESSED: Final = "Обработанные клиенты"
CMD_PROCESSED_HELP: Final = "Вкладка «Обработанные»"
CMD_REPORT: Final = "Отчёт за период"
CMD_REPORT_HELP: Final = "Взято, подписано, оплачено и завершено по мастерам"
CMD_LOCK: Final = "Заблокировать экран"
CMD_LOCK_HELP: Final = "До ввода пароля"
CMD_LOGOUT: Final = "Выйти из учётной записи"
CMD_LOGOUT_HELP: Final = "Вернуться ко входу"
CMD_HELP: Final = "Помощь: клавиши"
CMD_HELP_HELP: Final = "Список клавиш текущего экрана"
CMD_QUIT: Final = "Закрыть программу"
CMD_QUIT_HELP: Final = "Выход из приложения"
CMD_CLAIM: Final = "Взять клиента в работу"
CMD_CLAIM_HELP: Final = "На карточке клиента"
CMD_STEP: Final = "Шаг {number}: {title}"
CMD_STEP_HELP: Final = "Открыть шаг на карточке клиента"
ERROR_UNEXPECTED_TITLE: Final = "Непредвиденная ошибка"
ERROR_UNEXPECTED: Final = "Действие не выполнено. Подробности записаны в журнал программы: {path}"
TOO_SMALL: Final = (
    "Увеличьте окно терминала (минимум {min_width}×{min_height}).\nСейчас: {width}×{height}."
)
KEY_REPORT: Final = "Отчёт"
KEY_REPORT_TIP: Final = "Цифры за день, неделю или месяц"
KEY_DAY: Final = "День"
KEY_WEEK: Final = "7 дней"
KEY_MONTH: Final = "30 дней"
KEY_PERIOD_TIP: Final = "Период отчёта"
REPORT_TITLE: Final = "Отчёт за {period}"
REPORT_SCOPE_ALL: Final = "все мастера"
REPORT_SCOPE_OWN: Final = "ваши клиенты"
REPORT_LOADING: Final = "Считаю…"
REPORT_COLUMNS: Final = (
    "Мастер",
    "Взято",
    "Подп.",
    "Опл.",
    "Готово",
    "Отм.",
    "Оплачено, ₽",
    "Медиана",
)
REPORT_PER_DAY: Final = (
    "Завершено по дням ({first}–{last}): всего {total}, больше всего {peak} за день"
)
REPORT_PAID_BY: Final = "Оплаты: {methods}"
REPORT_NO_PAYMENTS: Final = "Оплат за период нет"
REPORT_HOURS: Final = "{hours} ч"

# --- the card's administration (reassign, release, cancel) and its ids ---------------------
CARD_IDS: Final = "ID в приложении: {user_id}"
CARD_CLIENT_NO: Final = "Клиент № {client_id}"
CARD_CANCEL_REASON: Final = "Причина отмены: {reason}"
CARD_ALREADY_MINE: Final = "Клиент уже у вас в работе"
KEY_REASSIGN: Final = "Передать другому мастеру"
KEY_REASSIGN_TIP: Final = "Передать клиента другому мастеру (администратор)"
KEY_RELEASE: Final = "Вернуть в «Новые»"
KEY_RELEASE_TIP: Final = "Вернуть клиента в «Новые» (пока нет договора)"
KEY_CANCEL_CLIENT: Final = "Отменить клиента (с причиной)"
KEY_CANCEL_CLIENT_TIP: Final = "Отменить подключение клиента с причиной"
ADMIN_NOT_CLAIMED: Final = "Клиент ещё не взят в работу"
ADMIN_ONLY_REASSIGN: Final = "Передать клиента другому мастеру может только администратор"
ADMIN_NO_MASTERS: Final = "Нет других активных мастеров"
REASSIGN_TITLE: Final = "Кому передать клиента?"
REASSIGN_CONFIRM_TITLE: Final = "Передать клиента?"
REASSIGN_CONFIRM: Final = "Клиент «{name}» перейдёт к мастеру {master}."
REASSIGN_DONE: Final = "Клиент передан мастеру {master}"
RELEASE_CONFIRM_TITLE: Final = "Вернуть клиента в «Новые»?"
RELEASE_CONFIRM: Final = (
    "Клиент «{name}» станет ничьим и появится во вкладке «Новые»; введённые данные сохранятся."
)
RELEASE_DONE: Final = "Клиент возвращён в «Новые»"
CANCEL_REASON_TITLE: Final = "Причина отмены"
CANCEL_REASON_HINT: Final = (
    "Клиент увидит в чате, что подключение отменено; причина останется у нас."
)
CANCEL_REASON_PLACEHOLDER: Final = "Например: клиент передумал"
CANCEL_REASON_REQUIRED: Final = "Укажите причину отмены"
CANCEL_CONFIRM_TITLE: Final = "Отменить клиента?"
CANCEL_CONFIRM: Final = (
    "Подключение клиента «{name}» будет отменено (неподписанный договор аннулируется, "
    "клиенту придёт сообщение в чат).\nПричина: {reason}"
)
CANCEL_DONE: Final = "Клиент отменён"
KEY_CHOOSE: Final = "Выбрать"
CMD_REASSIGN: Final = "Передать клиента другому мастеру"
CMD_RELEASE: Final = "Вернуть клиента в «Новые»"
CMD_CANCEL_CLIENT: Final = "Отменить клиента"
CMD_ADMIN_HELP: Final = "На карточке клиента; спросит подтверждение"
