"""What the TUI tests share by value: the known master login, a fixed day (so snapshots are
stable), the people the list shows, people put in as the client app would, and a clock the
tests move by hand. Imported as `tests.tui.people`; the fixtures are in conftest.py."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import text

from privet_tui.db.engine import Database

PASSWORD = "correct-horse-42"
EMAIL = "demo@privet.local"
#: 12:00 UTC: the same calendar day in every time zone the tests may run in.
FIXED_DAY = datetime(2026, 1, 15, 12, 0, tzinfo=UTC)
PEOPLE = (
    ("Петров", "Иван", "Сергеевич", "+79161234567", "ivan.petrov@example.ru"),
    ("Смирнова", "Анна", "Алексеевна", "+79031112233", "anna.smirnova@example.ru"),
    ("Кузнецов", "Олег", None, "+79265554433", "oleg.k@example.ru"),
)


class FakeClock:
    """A monotonic clock the tests move by hand (seconds)."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, minutes: float) -> None:
        self.now += minutes * 60


def add_person(
    db: Database,
    last: str,
    first: str,
    middle: str | None,
    phone: str | None,
    email: str | None,
    created_at: datetime = FIXED_DAY,
) -> int:
    """A row in the legacy `users` table with a fixed registration time."""
    with db.transaction() as session:
        return int(
            session.execute(
                text(
                    "INSERT INTO users (last_name, first_name, middle_name, phone, email,"
                    " created_at) VALUES (:l, :f, :m, :p, :e, :c) RETURNING id"
                ),
                {"l": last, "f": first, "m": middle, "p": phone, "e": email, "c": created_at},
            ).scalar_one()
        )


def add_many(db: Database, count: int) -> None:
    """`count` generated people in one statement."""
    with db.transaction() as session:
        session.execute(
            text(
                "INSERT INTO users (last_name, first_name, phone, email, created_at)"
                " SELECT 'Клиент' || g, 'Номер', '+7900' || lpad(g::text, 7, '0'),"
                " 'c' || g || '@example.ru', :c FROM generate_series(1, :n) AS g"
            ),
            {"n": count, "c": FIXED_DAY},
        )
