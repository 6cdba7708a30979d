"""Demo data: ~30 applicants of the «Привет Супер» app, three tariffs, a demo master and
clients in every state, seeded through the same services the TUI uses.

It writes only into an empty database (no `users` rows) or one it seeded before (the demo
master exists): demo people must never land in a real client database.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from privet_tui.db import migrate
from privet_tui.db.engine import Database
from privet_tui.db.legacy import LegacyDevice, LegacyUser, create_fixture_tables
from privet_tui.db.models.masters import MasterUser
from privet_tui.errors import ConflictError
from privet_tui.services import accounts

DEMO_EMAIL = "demo@privet.local"
DEMO_PASSWORD = "privet-demo"  # noqa: S105 - printed for newcomers; demo databases only
DEMO_NAME = "Демо Мастер"
ADMIN_EMAIL = "admin@privet.local"
ADMIN_NAME = "Демо Администратор"
SECOND_EMAIL = "petrova@privet.local"
SECOND_NAME = "Анна Петрова"
USER_COUNT = 30

_MALE = [
    ("Иванов", "Иван", "Сергеевич"),
    ("Смирнов", "Алексей", "Петрович"),
    ("Кузнецов", "Дмитрий", "Андреевич"),
    ("Попов", "Михаил", "Игоревич"),
    ("Васильев", "Сергей", "Николаевич"),
    ("Соколов", "Андрей", "Викторович"),
    ("Михайлов", "Павел", "Олегович"),
    ("Новиков", "Николай", "Владимирович"),
    ("Фёдоров", "Егор", "Александрович"),
    ("Морозов", "Артём", "Дмитриевич"),
    ("Волков", "Константин", "Юрьевич"),
    ("Алексеев", "Роман", "Евгеньевич"),
    ("Лебедев", "Григорий", "Степанович"),
    ("Семёнов", "Илья", "Борисович"),
    ("Егоров", "Тимур", "Ринатович"),
]
_FEMALE = [
    ("Иванова", "Мария", "Ивановна"),
    ("Смирнова", "Анна", "Алексеевна"),
    ("Кузнецова", "Елена", "Дмитриевна"),
    ("Попова", "Ольга", "Михайловна"),
    ("Васильева", "Татьяна", "Сергеевна"),
    ("Соколова", "Наталья", "Андреевна"),
    ("Михайлова", "Ирина", "Павловна"),
    ("Новикова", "Светлана", "Николаевна"),
    ("Фёдорова", "Екатерина", "Егоровна"),
    ("Морозова", "Юлия", "Артёмовна"),
    ("Волкова", "Дарья", "Константиновна"),
    ("Алексеева", "Ксения", "Романовна"),
    ("Лебедева", "Полина", "Григорьевна"),
    ("Семёнова", "Алина", "Ильинична"),
    ("Егорова", "Зарина", "Тимуровна"),
]
_TRANSLIT = str.maketrans(
    {
        "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh",
        "з": "z", "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
        "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "h", "ц": "ts",
        "ч": "ch", "ш": "sh", "щ": "sch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu",
        "я": "ya",
    }
)  # fmt: skip
_DEVICES = [
    ("tv", "Телевизор Samsung UE55"),
    ("fridge", "Холодильник Атлант ХМ-4626"),
    ("washer", "Стиральная машина LG F2J3"),
    ("ac", "Кондиционер Haier AS25"),
    ("computer", "Ноутбук Lenovo IdeaPad 5"),
    ("router", "Роутер Keenetic Giga"),
    ("dishwasher", "Посудомоечная машина Bosch SMS"),
]


@dataclass(frozen=True)
class DemoResult:
    """What the seeding did, for the command to print."""

    seeded: bool
    users: int
    master_email: str
    master_password: str
    admin_email: str = ADMIN_EMAIL


def seed_demo(db: Database, *, extra: Callable[[Database], None] | None = None) -> DemoResult:
    """Create the fixture tables and migrate if needed, then seed once; idempotent.

    A database with people in `users` and no demo master is refused before anything is
    created or migrated in it.
    """
    with db.reading() as session:
        _refuse_real_people(session, db.url)
    with db.transaction() as session:
        create_fixture_tables(session.connection())
    migrate.upgrade(db)
    with db.transaction() as session:
        # One seeder at a time, even from two terminals; then look again under the lock.
        session.execute(text("SELECT pg_advisory_xact_lock(hashtext('privet-tui demo'))"))
        if _has_demo_master(session):
            users = session.scalar(select(func.count()).select_from(LegacyUser)) or 0
            return DemoResult(False, users, DEMO_EMAIL, DEMO_PASSWORD)
        _refuse_real_people(session, db.url)
        _seed_people(session)
        accounts.create_master(session, DEMO_EMAIL, DEMO_NAME, DEMO_PASSWORD)
        accounts.create_master(session, SECOND_EMAIL, SECOND_NAME, DEMO_PASSWORD)
        accounts.create_master(session, ADMIN_EMAIL, ADMIN_NAME, DEMO_PASSWORD, role="admin")
        _seed_tariffs(session)
    if extra is not None:
        extra(db)
    with db.reading() as session:
        users = session.scalar(select(func.count()).select_from(LegacyUser)) or 0
    return DemoResult(True, users, DEMO_EMAIL, DEMO_PASSWORD)


def _has_demo_master(session: Session) -> bool:
    if session.scalar(text("SELECT to_regclass('master_users') IS NULL")):
        return False
    found = session.scalar(select(MasterUser.id).where(func.lower(MasterUser.email) == DEMO_EMAIL))
    return found is not None


def _refuse_real_people(session: Session, url: str) -> None:
    """People in `users` but no demo master: a real client database, never to be seeded."""
    if session.scalar(text("SELECT to_regclass('users') IS NULL")):
        return
    users = session.scalar(select(func.count()).select_from(LegacyUser)) or 0
    if users and not _has_demo_master(session):
        raise ConflictError(
            f"the database {url} already has {users} users and no demo master: "
            "demo data is seeded only into an empty database; nothing was changed"
        )


def _seed_people(session: Session) -> None:
    rng = random.Random(2026)
    applied_since = datetime.now(UTC)
    people = [*_MALE, *_FEMALE]
    rng.shuffle(people)
    for index, (last, first, middle) in enumerate(people[:USER_COUNT]):
        login = f"{first[0]}.{last}".lower().translate(_TRANSLIT)
        phone = f"+79{rng.randint(10, 99)}{rng.randint(1000000, 9999999)}"
        if index % 7 == 3:
            phone = "8" + phone[2:]  # as typed in the app: normalised when claimed
        user = LegacyUser(
            last_name=last,
            first_name=first,
            middle_name=middle if index % 5 else None,
            phone=phone,
            email=f"{login}{index}@example.ru" if index % 6 else None,
            # Applications arrived over the last few weeks.
            # (in order: a later user registered later, as ids and dates go in the app)
            created_at=applied_since
            - timedelta(hours=(USER_COUNT - index) * 17 - rng.randint(0, 12)),
        )
        session.add(user)
        session.flush()
        for kind, title in rng.sample(_DEVICES, k=rng.choice((0, 1, 1, 2, 3))):
            session.add(
                LegacyDevice(
                    user_id=user.id,
                    kind=kind,
                    title=title,
                    serial=f"SN{rng.randint(100000, 999999)}" if rng.random() < 0.6 else None,
                )
            )


def _seed_tariffs(session: Session) -> None:
    from privet_tui.services.steps import tariff as tariffs

    tariffs.ensure_default_tariffs(session)
