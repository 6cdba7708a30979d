"""The support bridge on real PostgreSQL: one open ticket per client even under a race,
messages with payloads, NOTIFY, the conversation with client replies, and the client's view."""

from __future__ import annotations

import threading
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from privet_tui.db.engine import Database
from privet_tui.db.models.clients import MasterClient
from privet_tui.db.models.support import MasterSupportMessage, SupportMessage, SupportTicket
from privet_tui.errors import NotFoundError, ValidationError
from privet_tui.services import support
from privet_tui.services.channels import TICKETS_CHANNEL
from privet_tui.services.client_view import render_client_view
from privet_tui.services.live import LiveFeed, Notice

MOSCOW = ZoneInfo("Europe/Moscow")


def claimed(db: Database, user_id: int, master_id: int) -> int:
    with db.transaction() as s:
        client = MasterClient(user_id=user_id, status="in_progress", assigned_master_id=master_id)
        s.add(client)
        s.flush()
        return client.id


def test_open_ticket_finds_or_creates(db, user_id):
    with db.transaction() as s:
        first = support.open_ticket(s, user_id)
    with db.transaction() as s:
        assert support.open_ticket(s, user_id) == first
        s.get_one(SupportTicket, first).status = "closed"
    with db.transaction() as s:
        reopened = support.open_ticket(s, user_id)
        ticket = s.get_one(SupportTicket, reopened)
        assert (ticket.channel, ticket.status) == ("master", "open")
    assert reopened != first


def test_concurrent_open_ticket_creates_one(db, user_id):
    barrier = threading.Barrier(8)
    found: list[int] = []
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            with db.transaction() as s:
                barrier.wait(timeout=10)
                found.append(support.open_ticket(s, user_id))
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not errors
    assert len(set(found)) == 1
    with db.reading() as s:
        assert s.scalar(select(func.count()).select_from(SupportTicket)) == 1


def test_post_message_notifies_and_touches_ticket(db, db_url, user_id):
    with db.transaction() as s:
        ticket_id = support.open_ticket(s, user_id)
        created = s.get_one(SupportTicket, ticket_id).created_at
    feed = LiveFeed(db, lambda notice: None, lambda connected: None)
    feed.poll()  # starts at the feed's end
    with db.transaction() as s:
        message_id = support.post_message(
            s, user_id, "Оплата получена", {"type": "payment_received", "amount": "10.00"}
        )
    notices: list[Notice] = []
    feed.on_notice = notices.append
    feed.poll()
    assert notices == [
        Notice(
            TICKETS_CHANNEL, {"ticket_id": ticket_id, "user_id": user_id, "message_id": message_id}
        )
    ]
    with db.reading() as s:
        message = s.get_one(SupportMessage, message_id)
        assert (message.author, message.payload) == (
            "system",
            {"type": "payment_received", "amount": "10.00"},
        )
        assert s.get_one(SupportTicket, ticket_id).updated_at >= created
    with db.transaction() as s:
        with pytest.raises(ValueError, match="author"):
            support.post_message(s, user_id, "x", None, author="client")
        with pytest.raises(ValueError, match="payload"):
            support.post_message(s, user_id, "x", {"type": "sms"})


def test_conversation_includes_client_replies_and_masks_codes(db, user_id):
    with db.transaction() as s:
        otp_id = support.post_message(
            s,
            user_id,
            "Код для подписания: 012345",
            {"type": "contract_otp", "code": "012345", "amount": "1.00"},
        )
        ticket_id = support.open_ticket(s, user_id)
        s.add(SupportMessage(ticket_id=ticket_id, author="client", body="Спасибо, получил"))
    with db.reading() as s:
        chat = support.conversation(s, user_id)
        later = support.conversation(s, user_id, after_id=otp_id)
        view = render_client_view(s, user_id, MOSCOW)
    assert [(m.author, m.payload_type) for m in chat] == [
        ("system", "contract_otp"),
        ("client", None),
    ]
    assert "012345" not in chat[0].body
    assert support.CODE_MASK in chat[0].body
    assert [m.body for m in later] == ["Спасибо, получил"]
    assert "012345" in view  # the client does see their code
    assert "Вы:" in view
    assert "Система:" in view


def test_support_reply_is_audited(db, master, user_id):
    with db.transaction() as s, pytest.raises(NotFoundError):
        support.post_support_reply(s, master, user_id, "Здравствуйте")
    client_id = claimed(db, user_id, master.id)
    with db.transaction() as s, pytest.raises(ValidationError):
        support.post_support_reply(s, master, user_id, "   \n ")
    with db.transaction() as s, pytest.raises(ValidationError):
        support.post_support_reply(s, master, user_id, "bad\x1b[31m")
    with db.transaction() as s:
        message_id = support.post_support_reply(
            s, master, user_id, "Здравствуйте!\nМастер будет в 15:00."
        )
    with db.reading() as s:
        message = s.get_one(SupportMessage, message_id)
        assert (message.author, message.body) == ("support", "Здравствуйте!\nМастер будет в 15:00.")
        event = s.scalar(
            select(MasterSupportMessage).where(MasterSupportMessage.action == "support.reply")
        )
        assert event is not None
        assert event.master_id == master.id
        assert event.payload == {"message_id": message_id}
        assert event.thread_id is not None
        view = render_client_view(s, user_id, MOSCOW)
    assert "Поддержка:" in view
    assert "    Мастер будет в 15:00." in view
    with db.reading() as s:
        assert s.get_one(MasterClient, client_id).status == "in_progress"


def test_client_view_without_tickets(db, user_id):
    with db.reading() as s:
        assert "Обращений в поддержку нет" in render_client_view(s, user_id, MOSCOW)
        with pytest.raises(NotFoundError):
            render_client_view(s, user_id + 1000, MOSCOW)


def test_support_reply_must_be_printable(db, master, user_id):
    """The reply reaches the client's chat: the document font's set of characters, checked
    as for every free text; the refusal names the character and nothing is posted."""
    claimed(db, user_id, master.id)
    pasted = "Адрес: г. \U0001d40c\U0001d428\U0001d42c\U0001d41c\U0001d428\U0001d430"  # 𝐌𝐨𝐬𝐜𝐨𝐰
    with db.transaction() as s, pytest.raises(ValidationError) as caught:
        support.post_support_reply(s, master, user_id, pasted)
    assert caught.value.field == "body"
    assert "«𝐌» (U+1D40C, особое начертание «M»)" in caught.value.message
    with db.transaction() as s, pytest.raises(ValidationError, match=r"U\+1F44D"):
        support.post_support_reply(s, master, user_id, "Спасибо \N{THUMBS UP SIGN}")
    with db.reading() as s:
        assert s.scalar(select(func.count()).select_from(SupportMessage)) == 0
    with db.transaction() as s:
        message_id = support.post_support_reply(
            s, master, user_id, "Мастер будет в 10:00 — ждите.\n\tДо встречи! № 5, 1 290 ₽"
        )
    with db.reading() as s:
        body = s.get_one(SupportMessage, message_id).body
    assert body == "Мастер будет в 10:00 — ждите.\n    До встречи! № 5, 1 290 ₽"
