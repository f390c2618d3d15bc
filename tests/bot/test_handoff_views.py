"""What staff read (titles, summary, queue, stats), rating buttons, and the in-memory chat history."""

from __future__ import annotations

from bot import handoff_views as views
from bot.handoff import parse_rating, rating_data
from bot.handoff_texts import PERSON
from bot.history import ChatHistory
from bot.texts import LANGUAGES

HANDOFF = {"id": 12, "name": "María", "telegram_user_id": 700001, "language": "es", "reason": "dispute",
           "order_id": 45, "role": "buyer", "country": "AR", "queue_position": 2,
           "created_at": "2026-11-28T10:42:00+00:00", "thread_id": 7, "assignee_telegram_id": None,
           "assignee_name": None, "waiting_seconds": 754}


def test_topic_titles_name_person_language_reason_and_fit_telegram() -> None:
    assert views.topic_title(HANDOFF) == "#12 · María · es · dispute on order 45"
    assert views.topic_title({**HANDOFF, "reason": "fallback", "order_id": None}) == (
        "#12 · María · es · bot could not help")
    long = views.topic_title({**HANDOFF, "name": "M" * 300})
    assert len(long) <= 128 and "M" * 39 + "…" in long


def test_rating_buttons_carry_only_what_the_bot_made() -> None:
    assert parse_rating(rating_data(12, 5)) == (12, 5)
    for forged in ("h:12:6", "h:12:0", "h:x:5", "h:12:5:1", "h::5", "r:12:5", None, "h:1234567890123456:5"):
        assert parse_rating(forged) is None, forged
    assert len(rating_data(10**15 - 1, 5).encode()) <= 64


def test_summary_escapes_and_stays_within_a_telegram_message() -> None:
    history = [f"👤 {views.esc('<b>x</b> & ' * 40)}"] * 30
    orders = ["<b>Orders:</b>"] + ["#1 · shop · NOK 1.00 · <b>paid</b>"] * 200
    text = views.summary(HANDOFF, history, orders)
    assert len(text) <= 4096 and text.endswith("/done") and "…" in text
    assert "&lt;b&gt;x&lt;/b&gt; &amp;" in text and "<b>Who:</b> María (Telegram 700001) · buyer" in text


def test_queue_and_stats_read_well() -> None:
    queue = views.queue_text([HANDOFF, {**HANDOFF, "id": 13, "assignee_telegram_id": 600001,
                                        "assignee_name": "Sam", "waiting_seconds": 40}], -1009000000001)
    assert '<a href="https://t.me/c/9000000001/7">#12 · María · es · dispute on order 45</a>' in queue
    assert "waiting 12 min · <b>unassigned</b>" in queue and "waiting 40 s · Sam" in queue
    assert views.queue_text([], -1009000000001) == "The queue is empty."
    stats = views.stats_text({"days": 7, "handoffs": 3, "active_people": 40, "handoff_rate": 0.075,
                              "median_first_response_seconds": 330.0, "median_resolution_seconds": 7500.0,
                              "average_rating": "4.5", "ratings": 2, "open": 1, "claimed": 1, "closed": 1,
                              "by_reason": {"talk_to_human": 1, "fallback": 0, "dispute": 2, "escalation": 0}})
    assert "Handoffs: 3 for 40 active people · handoff rate 7.5%" in stats
    assert "Median first response: 5 min · median resolution: 2 h 05 min" in stats
    assert "Average rating: 4.5★ (2 ratings)" in stats and "By reason: asked for a human 1, dispute 2" in stats


def test_every_person_facing_text_exists_in_all_eight_languages() -> None:
    for key, variants in PERSON.items():
        assert set(variants) == set(LANGUAGES), key


def test_history_keeps_the_last_ten_messages_of_each_chat() -> None:
    history = ChatHistory(size=10, chats=2)
    for n in range(15):
        history.add(1, "person", f"m{n}")
    history.add(1, "bot", "  ")
    assert [line.text for line in history.last(1)] == [f"m{n}" for n in range(5, 15)]
    history.add(2, "person", "hola")
    history.add(3, "person", "hei")  # the least recently active chat is dropped
    assert history.last(1) == [] and [line.text for line in history.last(3)] == ["hei"]
    history.forget(3)
    assert history.last(3) == []
