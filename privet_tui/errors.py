"""One error base for the whole app: every domain error carries a title and a message fit
to show a master (in Russian); the TUI and the CLI print them without a traceback."""

from __future__ import annotations


class PrivetError(Exception):
    """A failure a person can act on: `title` is short, `message` says what to do."""

    title = "Ошибка"

    def __init__(self, message: str, *, title: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if title is not None:
            self.title = title

    def __str__(self) -> str:
        return self.message


class RecordedRefusal(PrivetError):
    """A refusal whose record must stay (a wrong code counts, a failed login is logged):
    the owner of the transaction commits what the session holds, then raises it."""


class ValidationError(PrivetError):
    """Input that breaks a rule; `field` names the form field when there is one."""

    title = "Проверьте данные"

    def __init__(self, message: str, *, field: str | None = None, title: str | None = None) -> None:
        super().__init__(message, title=title)
        self.field = field


class ConflictError(PrivetError):
    """Someone else changed or took the thing first (claims, optimistic locking, duplicates)."""

    title = "Конфликт"


class NotFoundError(PrivetError):
    """The thing asked for does not exist (any more)."""

    title = "Не найдено"


class StateError(PrivetError):
    """The action is not allowed in the client's current status."""

    title = "Действие недоступно"


class AuthError(PrivetError):
    """Login failed, the account is locked or disabled, or the role is not enough."""

    title = "Вход не выполнен"


class StorageError(PrivetError):
    """The object store could not be reached or refused the operation."""

    title = "Хранилище недоступно"


class DatabaseError(PrivetError):
    """The database could not be reached or is not migrated."""

    title = "База данных недоступна"


class ConfigError(PrivetError):
    """The configuration is missing, malformed or unsafe (operator-facing, may be English)."""

    title = "Configuration error"
