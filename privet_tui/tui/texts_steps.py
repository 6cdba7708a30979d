"""Every piece of text the step screens show (Russian), in one place.

The chrome avoids width-ambiguous symbols (em dash, ellipsis, middle dot): plain "-", "...".
"""

from __future__ import annotations

from typing import Final

# --- common ---------------------------------------------------------------------------

ERROR_MARK: Final = "!"
OK_MARK: Final = "+"
BACK: Final = "Назад"
BACK_TIP: Final = "Вернуться в карточку клиента"
RELOAD: Final = "Обновить"
RELOAD_TIP: Final = "Перечитать данные клиента из базы"
SAVE: Final = "Сохранить"
SAVE_TIP: Final = "Сохранить данные шага"
SAVE_BUTTON: Final = "Сохранить (Ctrl+S)"
CANCEL: Final = "Отмена"
CANCEL_BUTTON: Final = "Отмена (Esc)"
LOADING: Final = "Загрузка..."
STEP_TITLE: Final = "Шаг {number} из 7: {title}"
CLIENT_LINE: Final = "Клиент: {name}  |  статус: {status}"
NO_NAME: Final = "(ФИО не указано)"
BLOCKED_TITLE: Final = "Шаг недоступен"
READ_ONLY_SIGNED: Final = "Только просмотр: после подписания договора шаги 1-4 изменить нельзя."
READ_ONLY_CANCELLED: Final = "Только просмотр: подключение клиента отменено."
READ_ONLY_OTHER: Final = "Только просмотр: клиент в работе у мастера {master}."
CONFLICT_HINT: Final = "Нажмите Ctrl+R, чтобы обновить данные."
STALE: Final = (
    "Данные клиента изменил другой мастер - обновите (Ctrl+R), иначе сохранить не выйдет."
)
SAVED: Final = "Сохранено"
SAVING: Final = "Сохраняем..."
NOTHING: Final = "-"

# --- step 1: contacts -----------------------------------------------------------------

CONTACTS_FULL_NAME: Final = "ФИО"
CONTACTS_PHONE: Final = "Телефон"
CONTACTS_EMAIL: Final = "Email"
CONTACTS_ADDRESS: Final = "Адрес"
CONTACTS_PHONE_PLACEHOLDER: Final = "+7 916 123-45-67"
CONTACTS_EMAIL_PLACEHOLDER: Final = "name@example.ru"
CONTACTS_NAME_PLACEHOLDER: Final = "Фамилия Имя Отчество"
CONTACTS_ADDRESS_PLACEHOLDER: Final = "Город, улица, дом, квартира"
CONTACTS_FROM_APP: Final = "Из приложения клиента: {value}"
CONTACTS_SAVED: Final = "Контакты сохранены"

# --- step 2: passport -----------------------------------------------------------------

PASSPORT_SERIES_NUMBER: Final = "Серия и номер"
PASSPORT_ISSUE_DATE: Final = "Дата выдачи"
PASSPORT_ISSUED_BY: Final = "Кем выдан"
PASSPORT_DEPARTMENT: Final = "Код подразделения"
PASSPORT_BIRTH_DATE: Final = "Дата рождения"
PASSPORT_BIRTH_PLACE: Final = "Место рождения"
PASSPORT_REGISTRATION: Final = "Адрес регистрации"
PASSPORT_DATE_HINT: Final = "ДД.ММ.ГГГГ"
PASSPORT_NONE: Final = "Паспорт ещё не введён."
PASSPORT_MASKED: Final = "Паспорт: {masked}"
PASSPORT_REVEALED: Final = "Паспорт показан полностью (просмотр записан в журнал)."
PASSPORT_REVEAL_HINT: Final = (
    "Данные скрыты. Ctrl+O - показать полностью и изменить (просмотр записывается в журнал)."
)
PASSPORT_EXPIRED: Final = (
    "! Паспорт просрочен: его нужно было заменить в 20 или 45 лет. "
    "Попросите клиента показать действующий паспорт."
)
PASSPORT_REVEAL: Final = "Показать"
PASSPORT_REVEAL_TIP: Final = "Показать паспорт полностью (записывается в журнал)"
PASSPORT_REVEAL_BUTTON: Final = "Показать (Ctrl+O)"
PASSPORT_SAVED: Final = "Паспорт сохранён"
PASSPORT_SAVED_EXPIRED: Final = "Паспорт сохранён, но он просрочен"

# --- step 3: devices ------------------------------------------------------------------

DEVICES_ADD: Final = "Добавить"
DEVICES_ADD_TIP: Final = "Добавить устройство клиента"
DEVICES_EDIT: Final = "Изменить"
DEVICES_EDIT_TIP: Final = "Изменить выбранное устройство"
DEVICES_REMOVE: Final = "Удалить"
DEVICES_REMOVE_TIP: Final = "Удалить выбранное устройство и его фото"
DEVICES_PHOTOS: Final = "Фото"
DEVICES_PHOTOS_TIP: Final = "Прикрепить фото к выбранному устройству"
DEVICES_COL_CATEGORY: Final = "Категория"
DEVICES_COL_BRAND: Final = "Марка"
DEVICES_COL_MODEL: Final = "Модель"
DEVICES_COL_SERIAL: Final = "Серийный номер"
DEVICES_COL_PHOTOS: Final = "Фото"
DEVICES_EMPTY: Final = "Устройств пока нет. Нажмите a, чтобы добавить."
DEVICES_HINT: Final = "a - добавить, Enter - изменить, d - удалить, p - фото"
DEVICES_NO_PHOTOS: Final = "Фото нет."
DEVICES_PHOTO_LINE: Final = "{name}  {width}x{height}, {kb} КБ"
DEVICES_PHOTOS_TITLE: Final = "Фото устройства ({count}), Tab - к списку:"
PHOTOS_REMOVE: Final = "Удалить фото"
PHOTOS_REMOVE_TIP: Final = "Удалить выбранное фото устройства"
PHOTOS_REMOVE_TITLE: Final = "Удалить фото?"
PHOTOS_REMOVE_QUESTION: Final = "{name} ({device})\nФото будет удалено, вернуть его нельзя."
PHOTOS_REMOVED: Final = "Фото удалено"
PHOTOS_NO_PREVIEW: Final = "Снимок не удалось прочитать из хранилища"
DEVICES_REMOVE_TITLE: Final = "Удалить устройство?"
DEVICES_REMOVE_QUESTION: Final = "{device}\nУстройство и его фото ({photos}) будут удалены."
DEVICES_REMOVED: Final = "Устройство удалено"
DEVICES_ADDED: Final = "Устройство добавлено"
DEVICES_UPDATED: Final = "Устройство изменено"
DEVICES_TARIFF_DROPPED: Final = "Если тариф был применён, примените его заново (шаг 4)."
DEVICE_FORM_ADD: Final = "Новое устройство"
DEVICE_FORM_EDIT: Final = "Изменить устройство"
DEVICE_CATEGORY: Final = "Категория"
DEVICE_BRAND: Final = "Марка"
DEVICE_MODEL: Final = "Модель"
DEVICE_SERIAL: Final = "Серийный номер"
DEVICE_SERIAL_PLACEHOLDER: Final = "необязательно"
DEVICE_CATEGORY_PROMPT: Final = "Выберите категорию"

# --- photo picker ---------------------------------------------------------------------

PICKER_TITLE: Final = "Фото для: {device}"
PICKER_MARK: Final = "Отметить"
PICKER_MARK_TIP: Final = "Отметить файл (пробел) - можно несколько"
PICKER_ATTACH: Final = "Прикрепить"
PICKER_ATTACH_TIP: Final = "Прикрепить отмеченные файлы (или файл под курсором)"
PICKER_PATH: Final = "Путь"
PICKER_PATH_TIP: Final = "Вставить пути к файлам или папке"
PICKER_CLOSE: Final = "Закрыть"
PICKER_PATH_PLACEHOLDER: Final = "или вставьте пути к файлам или папке и нажмите Enter"
PICKER_NO_INBOX: Final = "Папка со снимками не найдена: {path}. Вставьте пути к файлам."
PICKER_MARKED: Final = "Отмечено: {count}"
PICKER_NOTHING: Final = "Отметьте файлы пробелом или вставьте путь."
PICKER_PREVIEW_NONE: Final = "Наведите курсор на снимок, чтобы увидеть его."
PICKER_PREVIEW_BUSY: Final = "Загрузка..."
PICKER_PREVIEW_TOO_BIG: Final = "Снимок слишком большой для просмотра (больше {mb} МБ)"
PICKER_PREVIEW_CAPTION: Final = "{name}, {kb} КБ"
PICKER_OK: Final = "{name}: добавлено ({width}x{height})"
PICKER_FAILED: Final = "{name}: {error}"
PICKER_DONE: Final = "Готово: добавлено {ok} из {total}."
PICKER_WORKING: Final = "Обработка {done} из {total}..."
PICKER_BUSY: Final = "Подождите: фото ещё загружаются."
PICKER_FOLDER: Final = "Папка {name}: {count} {photos}"
PICKER_FOLDER_EMPTY: Final = "Папка {name}: снимков нет"
PICKER_FOLDER_UNREADABLE: Final = "Папка {name}: не удалось открыть"
PICKER_PHOTO_FORMS: Final = ("снимок", "снимка", "снимков")

# --- photos from the phone (step 3) ---------------------------------------------------

PHONE: Final = "С телефона"
PHONE_TIP: Final = "Фото с телефона: QR-код со ссылкой для выбранного устройства"
PHONE_TITLE: Final = "Фото с телефона: {device}"
PHONE_NEW: Final = "Новая ссылка"
PHONE_NEW_TIP: Final = "Сделать новую ссылку (старая действует до своего срока)"
PHONE_CLOSE: Final = "Закрыть"
PHONE_CLOSE_TIP: Final = "Закрыть; загруженные фото добавятся и при следующем открытии"
PHONE_PREPARING: Final = "Готовим ссылку..."
PHONE_SCAN: Final = "Наведите камеру телефона на код или откройте ссылку под ним."
PHONE_SCAN_SMALL: Final = "QR-код не помещается: нужно окно {width}x{height}. Откройте ссылку:"
PHONE_VALID: Final = "Ссылка действует до {until} ({minutes} мин)."
PHONE_EXPIRED: Final = "Ссылка истекла в {until}: n - новая ссылка."
PHONE_WAITING: Final = "Ждём фото: проверка каждые {seconds} с."
PHONE_STORE_DOWN: Final = "{message} Повторим через {seconds} с."
PHONE_COUNTS: Final = "Добавлено: {ok}, не принято: {failed}."
PHONE_OK: Final = "{name}: добавлено, {width}x{height}, {kb} КБ"
PHONE_REFUSED: Final = "{name}: {reason}"

# --- step 4: tariff -------------------------------------------------------------------

TARIFF_APPLY: Final = "Применить"
TARIFF_APPLY_TIP: Final = "Применить выбранный тариф к клиенту"
TARIFF_APPLY_BUTTON: Final = "Применить (Ctrl+S)"
TARIFF_CHOOSE: Final = "Тарифы (стрелки - выбор, Enter - применить):"
TARIFF_OPTION: Final = "{name}: {monthly}/мес."
TARIFF_NONE: Final = "Нет действующих тарифов. Обратитесь к администратору."
TARIFF_CALC: Final = "Расчёт доплаты по тарифу «{name}»:"
TARIFF_CALCULATING: Final = "Считаем..."
TARIFF_COL_LINE: Final = "Позиция"
TARIFF_COL_QTY: Final = "Кол."
TARIFF_COL_PRICE: Final = "Цена"
TARIFF_COL_AMOUNT: Final = "Сумма"
TARIFF_TOTAL: Final = "Итого доплата"
TARIFF_MONTHLY: Final = "Абонентская плата: {amount} в месяц"
TARIFF_APPLIED: Final = "Применён тариф «{name}»: доплата {total}, {monthly} в месяц."
TARIFF_NOT_APPLIED: Final = "Тариф ещё не применён."
TARIFF_APPLIED_NOTE: Final = "Тариф применён"
TARIFF_INCLUDED: Final = "Устройств в тарифе: {count}"

# --- step 5: contract -----------------------------------------------------------------

CONTRACT_GENERATE: Final = "Сформировать"
CONTRACT_GENERATE_TIP: Final = "Сформировать договор и отправить клиенту код в чат"
CONTRACT_GENERATE_BUTTON: Final = "Сформировать договор (Ctrl+G)"
CONTRACT_RESEND: Final = "Новый код"
CONTRACT_RESEND_TIP: Final = "Отправить клиенту новый код (старый перестанет действовать)"
CONTRACT_RESEND_BUTTON: Final = "Новый код (Ctrl+O)"
CONTRACT_SIGN: Final = "Подписать"
CONTRACT_SIGN_TIP: Final = "Проверить код, который назвал клиент"
CONTRACT_SIGN_BUTTON: Final = "Подписать (Enter)"
CONTRACT_CODE: Final = "Код от клиента"
CONTRACT_CODE_PLACEHOLDER: Final = "6 цифр"
CONTRACT_NONE: Final = (
    "Договор ещё не сформирован. Ctrl+G - сформировать: клиенту в чат приложения "
    "придёт код и ссылка на договор."
)
CONTRACT_GENERATING: Final = "Формируем договор и отправляем код..."
CONTRACT_LINE: Final = "Договор {number} на сумму {total}: {status}"
CONTRACT_STATUS: Final = {
    "awaiting_signature": "ждёт подписи",
    "signed": "подписан",
    "paid": "оплачен",
    "voided": "аннулирован",
}
CONTRACT_VOIDED: Final = "Договор аннулирован ({reason}). Сформируйте новый: Ctrl+G."
CONTRACT_DRAFT: Final = "Договор (PDF): {where}"
CONTRACT_SIGNED_PDF: Final = "Подписанный договор (PDF): {where}"
CONTRACT_ASK: Final = (
    "Код отправлен клиенту в чат приложения «Привет Супер». Попросите клиента назвать код."
)
CONTRACT_VALID: Final = "Код действует ещё {time}"
CONTRACT_EXPIRED: Final = "Срок действия кода истёк - отправьте новый код (Ctrl+O)."
CONTRACT_NO_TRIES: Final = "Попытки исчерпаны - отправьте новый код (Ctrl+O)."
CONTRACT_TRIES: Final = "Осталось попыток: {tries}"
CONTRACT_RESEND_IN: Final = "Новый код можно отправить через {seconds} с"
CONTRACT_RESEND_READY: Final = "Новый код можно отправить сейчас (Ctrl+O)."
CONTRACT_GENERATED: Final = "Договор {number} сформирован, код отправлен клиенту в чат."
CONTRACT_SENT: Final = "Новый код отправлен клиенту"
CONTRACT_SIGNED: Final = "Договор {number} подписан {at}."
CONTRACT_CODE_FORMAT: Final = "Введите код из 6 цифр"
CONTRACT_GENERATE_CONFIRM_TITLE: Final = "Сформировать договор"
CONTRACT_GENERATE_CONFIRM: Final = (
    "Договор будет сформирован, а код для подписи отправлен клиенту в чат. Продолжить?"
)

# --- step 6: payment ------------------------------------------------------------------

PAYMENT_CONFIRM: Final = "Подтвердить"
PAYMENT_CONFIRM_TIP: Final = "Подтвердить, что клиент оплатил"
PAYMENT_CONFIRM_BUTTON: Final = "Подтвердить оплату (Ctrl+S)"
PAYMENT_METHOD: Final = "Способ оплаты"
PAYMENT_METHOD_PROMPT: Final = "Выберите: наличные, карта или перевод"
PAYMENT_AMOUNT: Final = "Сумма, руб."
PAYMENT_RECEIPT: Final = "Номер чека"
PAYMENT_REASON: Final = "Причина расхождения"
PAYMENT_RECEIPT_PLACEHOLDER: Final = "необязательно"
PAYMENT_REASON_PLACEHOLDER: Final = "нужна, только если сумма отличается"
PAYMENT_DUE: Final = "К оплате по договору {number}: {amount}"
PAYMENT_DONE: Final = "Оплата подтверждена. Клиенту отправлено сообщение «оплата получена»."
PAYMENT_SAVED: Final = "Оплата подтверждена: {amount}"
PAYMENT_REASON_NEEDED: Final = "Сумма отличается от суммы к оплате - укажите причину"
PAYMENT_CONFIRM_TITLE: Final = "Подтвердить оплату"
PAYMENT_CONFIRM_QUESTION: Final = (
    "Клиент оплатил {amount} ({method})? Клиенту придёт сообщение «оплата получена», "
    "отменить это нельзя."
)
PAYMENT_METHOD_NONE: Final = "способ не выбран"

# --- step 7: invoice ------------------------------------------------------------------

INVOICE_ISSUE: Final = "Выставить"
INVOICE_ISSUE_TIP: Final = "Выставить счёт и отправить его клиенту"
INVOICE_ISSUE_BUTTON: Final = "Выставить счёт (Ctrl+S)"
INVOICE_READY: Final = (
    "Оплата подтверждена. Выставите счёт: он уйдёт клиенту в чат, клиент будет обработан."
)
INVOICE_ISSUING: Final = "Формируем счёт..."
INVOICE_DONE: Final = "Счёт {number} выставлен"
INVOICE_INFO: Final = (
    "Счёт: {number}\nДоговор: {contract}\nСумма: {amount}\nОплатить до: {due}\n{paid}\nPDF: {where}"
)
INVOICE_PAID: Final = "Оплачен"
INVOICE_UNPAID: Final = "Не оплачен полностью"
INVOICE_ALREADY: Final = "Счёт уже выставлен, клиент обработан."
INVOICE_CONFIRM_TITLE: Final = "Выставить счёт"
INVOICE_CONFIRM: Final = (
    "Счёт будет выставлен и отправлен клиенту в чат, клиент станет обработанным. Продолжить?"
)
VOID_CONFIRM_TITLE: Final = "Договор ждёт подписи"
VOID_CONFIRM: Final = (
    "Договор будет аннулирован — продолжить? Код клиента перестанет действовать, "
    "клиенту придёт сообщение, договор нужно будет сформировать заново."
)
