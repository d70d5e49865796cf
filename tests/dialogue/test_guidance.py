from typing import Any

from bot.dialogue.guidance import guidance_contacts, human_help, misunderstood_turns, not_understood


def user(intent: str) -> dict[str, Any]:
    return {"event": "user", "parse_data": {"intent": {"name": intent}}}


def test_every_commissioning_county_has_a_guidance_contact() -> None:
    contacts = guidance_contacts()
    assert set(contacts) >= {"06", "15", "19"}
    assert all(c.phone and c.hours and "esimerkkiaineisto" in c.name for c in contacts.values())


def test_first_miss_asks_with_theme_buttons_second_offers_a_person() -> None:
    first = not_understood({}, [user("greet"), {"event": "bot"}, user("nlu_fallback")])
    assert first.messages[0]["buttons"] and "toisin sanoin" in first.messages[0]["text"]
    second = not_understood({"municipality": "684"},
                            [user("nlu_fallback"), {"event": "bot"}, user("nlu_fallback")])
    text = second.messages[0]["text"]
    assert "Satakunnan" in text and "02 123 4500" in text and "klo" in text
    assert "buttons" not in second.messages[0]


def test_misses_are_counted_in_a_row_only() -> None:
    assert misunderstood_turns([user("nlu_fallback"), user("inform"), user("nlu_fallback")]) == 1
    assert misunderstood_turns([user("inform"), user("nlu_fallback"), user("nlu_fallback")]) == 2
    assert misunderstood_turns([]) == 0


def test_human_help_without_a_known_county_lists_all() -> None:
    text = human_help({}, "Ihminen auttaa.").messages[0]["text"]
    assert "Keski-Suomen" in text and "Pohjois-Pohjanmaan" in text and "kuntasi" in text
    assert "Keski-Suomen" in human_help({"county": "15"}, "x").messages[0]["text"]


def test_gibberish_classified_as_something_counts_as_a_miss() -> None:
    gibberish = {"event": "user", "text": "qwpoe asdlkj", "parse_data": {"intent": {"name": "inform"}, "entities": []}}
    assert misunderstood_turns([user("nlu_fallback"), gibberish]) == 2
