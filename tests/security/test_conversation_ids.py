from __future__ import annotations

from bot.security.conversation_ids import is_valid_web_id, issue_web_id, open_channel_refusal, portal_id


def test_issued_web_ids_are_valid_only_with_their_signature() -> None:
    sender = issue_web_id("secret")
    assert is_valid_web_id("secret", sender)
    assert not is_valid_web_id("other secret", sender)
    nonce, _signature = sender.split(".")
    assert not is_valid_web_id("secret", f"{nonce}.{'0' * 32}")
    assert not is_valid_web_id("secret", "web-" + "a" * 32)
    assert issue_web_id("secret") != sender


def test_portal_ids_need_the_secret() -> None:
    assert portal_id("secret", "user-1") == portal_id("secret", "user-1")
    assert portal_id("secret", "user-1") != portal_id("other", "user-1")
    assert "user-1" not in portal_id("secret", "user-1")


def test_open_channels_refuse_reserved_ids_unless_signed() -> None:
    assert open_channel_refusal("s", "acceptance-check-1") is None
    assert open_channel_refusal("s", issue_web_id("s")) is None
    assert open_channel_refusal("s", portal_id("s", "maija"))
    assert open_channel_refusal("s", "web-made-up")
    assert open_channel_refusal("s", "")
    assert open_channel_refusal("s", None)
    assert open_channel_refusal("s", "x" * 500)
