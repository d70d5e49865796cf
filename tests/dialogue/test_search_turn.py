from bot.dialogue.results import card_lines
from bot.dialogue.search_turn import criteria_from
from bot.finnish.phrases import in_municipality, search_sentence


def test_county_replaces_municipality() -> None:
    criteria, corrections = criteria_from({"municipality": "684", "county": None, "theme": "liikunta"},
                                          [{"entity": "county", "value": "06"}], "koko Satakunnassa")
    assert criteria.municipality is None and corrections == {"municipality": None}


def test_free_text_without_the_place_word() -> None:
    text = "Etsin salibandya Porissa"
    criteria, _ = criteria_from({"municipality": "609"},
                                [{"entity": "municipality", "value": "609", "start": 17, "end": 24}], text)
    assert criteria.q == "salibandya"


def test_no_free_text_when_theme_known() -> None:
    criteria, _ = criteria_from({"municipality": "609", "theme": "liikunta"}, [], "jotain muuta")
    assert criteria.q is None


def test_unknown_municipality_code_dropped() -> None:
    criteria, corrections = criteria_from({"municipality": "999"}, [], "")
    assert criteria.municipality is None and corrections["municipality"] is None


def test_sentences() -> None:
    assert search_sentence("liikunta", "ikaantyneet", in_municipality("684")) == (
        "Haetaan liikuntaa ikääntyneille Raumalla.")
    assert in_municipality("020") == "kunnassa Akaa"


def test_card_text() -> None:
    text = card_lines(2, {"name": "Uimahalli", "provider": "Porin kaupunki", "summary": "Uintia.",
                          "address": "Uimahallintie 1, 28100 Pori", "charge_type": "chargeable",
                          "scope": "local", "opening_hours": "ma–pe klo 6–21", "phone": "02 123 4567"})
    assert text.splitlines() == ["2. Uimahalli – Porin kaupunki", "   Uintia.",
                                 "   Uimahallintie 1, 28100 Pori · maksullinen · ma–pe klo 6–21 · puh. 02 123 4567"]
    online = card_lines(1, {"name": "Chat", "scope": "nationwide", "online": True})
    assert "verkossa tai puhelimitse · valtakunnallinen" in online


def test_words_beside_a_known_theme_reorder_results() -> None:
    text = "tarvitsen apua velkojen kanssa Porissa"
    criteria, _ = criteria_from({"municipality": "609", "theme": "toimeentulo"},
                                [{"entity": "municipality", "value": "609", "start": 31, "end": 38}], text)
    assert criteria.q is None
    assert criteria.boost == "velkojen"  # search words only, never the raw message


def test_filters_from_message_and_kept_while_refining() -> None:
    entities = [{"entity": "filter", "value": "free", "start": 5, "end": 13}]
    criteria, corrections = criteria_from({"municipality": "684", "theme": "liikunta"}, entities,
                                          "vain ilmaiset", "filter_results")
    assert criteria.filters == ("free",) and corrections["filters"] == ["free"]
    assert criteria.params(0)["free_only"] == "true"
    again, _ = criteria_from({"municipality": "609", "theme": "liikunta", "filters": ["free"]},
                             [{"entity": "municipality", "value": "609", "start": 5, "end": 12}],
                             "entä Porissa", "inform")
    assert again.filters == ("free",)
    fresh, _ = criteria_from({"municipality": "609", "theme": "liikunta", "filters": ["free"]},
                             [{"entity": "theme", "value": "kulttuuri", "start": 0, "end": 9}],
                             "kulttuuria", "search_services")
    assert fresh.filters == ()


def test_pick_result_by_ordinal() -> None:
    from bot.dialogue.details import details_text, pick

    ids = ["a", "b", "c"]
    assert pick(ids, "3") == "c" and pick(ids, "last") == "c" and pick(ids, "9") is None
    assert pick(ids, None) is None and pick(["only"], None) == "only"
    text = details_text({"name": "Uimahalli", "provider": "Porin kaupunki", "description": "Uintia.",
                         "address": "Uimahallintie 1", "opening_hours": "ma–pe klo 6–21",
                         "charge_type": "chargeable", "charge_info": "Kysy hintaa.",
                         "modified": "2026-10-01T08:00:00.000", "locations": []})
    assert "Hinta: maksullinen – Kysy hintaa." in text and "Tiedot päivitetty: 1.10.2026" in text


def test_an_unsure_need_gets_one_question_with_the_likeliest_themes() -> None:
    from bot.dialogue.search_turn import clarifying_question

    need = {"themes": [["osallisuus", 0.4], ["mielen_hyvinvointi", 0.35]],
            "ask_themes": [["osallisuus", 0.4], ["mielen_hyvinvointi", 0.35]]}
    question = clarifying_question(need, [])
    assert question is not None
    assert [b["payload"] for b in question["buttons"]] == ['/inform{"theme": "osallisuus"}',
                                                           '/inform{"theme": "mielen_hyvinvointi"}']
    assert clarifying_question(need, [{"entity": "theme", "value": "liikunta"}]) is None  # a theme was sure
    assert clarifying_question({"themes": need["themes"]}, []) is None  # nothing to ask
    assert clarifying_question(None, []) is None


def test_a_question_about_a_service_is_answered_from_its_record() -> None:
    from bot.dialogue.details import fact_answer

    record = {"name": "Kuntosaliryhmä", "opening_hours": "ti klo 10–11.30", "charge_type": "free", "address": "",
              "phone": "050 123 4567", "email": "", "web_page": "", "languages": ["fi", "sv"], "locations": [],
              "online": False, "referral_available": True}
    assert "ti klo 10–11.30" in fact_answer(record, "hours")["text"]
    assert "maksuton" in fact_answer(record, "price")["text"]
    missing = fact_answer(record, "address")["text"]
    assert "ei ole osoitetta" in missing and "050 123 4567" in missing  # says so and gives the contact
    assert "suomi, ruotsi" in fact_answer(record, "languages")["text"]
    assert fact_answer(record, "referral")["buttons"][0]["payload"] == "/start_referral"
    assert "ei ole esteettömyystietoja" in fact_answer(record, "accessibility")["text"]
