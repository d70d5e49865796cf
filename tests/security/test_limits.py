from __future__ import annotations

from bot.security.limits import EntryGuard, RateLimiter, message_refusal


def test_long_messages_and_large_metadata_are_refused_in_finnish() -> None:
    assert message_refusal("a" * 1000, None, 1000, 100) is None
    assert "enintään 1000 merkkiä" in (message_refusal("a" * 1001, None, 1000, 100) or "")
    assert message_refusal("hei", {"x": "y" * 200}, 1000, 100)
    assert message_refusal("hei", {"x": "y"}, 1000, 100) is None


def test_rate_limit_refills_over_time() -> None:
    limiter = RateLimiter(per_minute=3)
    assert [limiter.allow("a", now=0.0) for _ in range(4)] == [True, True, True, False]
    assert limiter.allow("b", now=0.0)  # other keys are not affected
    assert limiter.allow("a", now=20.0)  # one more after a third of a minute
    assert not limiter.allow("a", now=20.0)


def test_guard_checks_size_before_rate() -> None:
    guard = EntryGuard(10, 100, per_conversation=1, per_address=100)
    assert guard.refusal("x" * 11, None, "c", "1.2.3.4") == (413, guard.refusal("x" * 11, None, "c", None)[1])  # type: ignore[index]
    assert guard.refusal("hei", None, "c", "1.2.3.4") is None
    status, _ = guard.refusal("hei", None, "c", "1.2.3.4") or (0, "")
    assert status == 429
