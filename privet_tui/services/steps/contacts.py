"""Step 1 «Контакты» on the database side: the verified full name, phone (E.164, Russian
only), email and address of the client, saved under the version the screen saw."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.orm import Session

from privet_tui.db.legacy import LegacyUser
from privet_tui.errors import ValidationError
from privet_tui.services import audit, workflow
from privet_tui.services.actor import Actor
from privet_tui.services.rules.validation import (
    ContactInput,
    clean_text,
    normalize_email,
    normalize_full_name,
    normalize_phone,
    validate_contacts,
)

__all__ = ["prefill_from_app", "save_contacts"]

#: The step number of this module in `workflow.STEPS`.
STEP = 1

_FIELDS = ("full_name", "phone", "email", "address")


def save_contacts(
    session: Session,
    actor: Actor,
    client_id: int,
    expected_version: int,
    form: ContactInput,
) -> int:
    """Validate (every wrong field at once) and store the contacts; return the new version.

    An unchanged form writes nothing, so re-saving cannot void a contract awaiting signature.
    """
    data = validate_contacts(form)
    edit = workflow.begin_step_edit(session, actor, client_id, expected_version)
    client = edit.client
    before = {name: getattr(client, name) for name in _FIELDS}
    after = {name: getattr(data, name) for name in _FIELDS}
    if before == after:
        return client.version
    edit.change()
    for name, value in after.items():
        setattr(client, name, value)
    changed = [name for name in _FIELDS if before[name] != after[name]]
    audit.record_event(
        session,
        client.id,
        actor,
        "contacts.saved",
        "Контактные данные сохранены",
        {"fields": changed},
    )
    client.current_step = max(client.current_step, STEP + 1)
    workflow.touch(session, client)
    return client.version


def _valid_or_none(normalize: Callable[[str], str], raw: str | None) -> str | None:
    try:
        return normalize(raw) if raw else None
    except ValidationError:
        return None


def prefill_from_app(user: LegacyUser) -> dict[str, str | None]:
    """Contact fields taken from the client app when a client is claimed: the name
    normalised (or at least cleaned), phone and email only when valid, else left empty."""

    def cleaned(raw: str) -> str:
        return clean_text(raw, field="full_name", label="ФИО", max_length=200)

    return {
        "full_name": _valid_or_none(normalize_full_name, user.full_name)
        or _valid_or_none(cleaned, user.full_name),
        "phone": _valid_or_none(normalize_phone, user.phone),
        "email": _valid_or_none(normalize_email, user.email),
    }
