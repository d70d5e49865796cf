from bot.personal.masking import MASK, mask_events, mask_text


def test_contact_details_and_hetu_are_masked_anywhere() -> None:
    text = "soita 040 123 4567 tai +358 50 765 4321, maija.m@esimerkki.fi, hetu 010190-123A"
    masked = mask_text(text)
    for secret in ("040 123 4567", "765 4321", "maija.m@", "010190-123A"):
        assert secret not in masked
    assert mask_text("postinumero 28100 ja kunta 684, klo 10–11.30, 2026-11-22") == \
        "postinumero 28100 ja kunta 684, klo 10–11.30, 2026-11-22"


def test_answers_to_personal_questions_are_masked_whole() -> None:
    events = [
        {"event": "user", "text": "tee lähete", "parse_data": {"text": "tee lähete", "entities": []}},
        {"event": "slot", "name": "referral_stage", "value": "name"},
        {"event": "bot", "text": "Mikä on nimesi?"},
        {"event": "user", "text": "Maija Meikäläinen", "parse_data": {"text": "Maija Meikäläinen",
                                                                      "entities": [{"entity": "x"}]}},
        {"event": "slot", "name": "referral_stage", "value": "confirm"},
        {"event": "bot", "text": "Nimi: Maija Meikäläinen", "data": {"custom": {"type": "personal"}}},
        {"event": "user", "text": "kyllä", "parse_data": {"text": "kyllä"}},
    ]
    masked = mask_events(events)
    assert masked[0]["text"] == "tee lähete"
    assert masked[3]["text"] == MASK and masked[3]["parse_data"] == {"text": MASK, "entities": []}
    assert masked[5]["text"] == MASK and masked[5]["data"] == {}
    assert masked[6]["text"] == "kyllä"
    assert "Maija" not in str(masked) and events[3]["text"] == "Maija Meikäläinen"  # originals untouched
