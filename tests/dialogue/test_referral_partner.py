"""The chat's referral keeps the partner the consent names and sends it only there; a partner limited
to target groups is not offered when the resident's group is unknown. The referral API is faked."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from bot.dialogue import referral
from bot.referrals import client


class FakeReferralApi:
    def __init__(self, offer: dict[str, Any]) -> None:
        self.offer_answer = offer
        self.drafts: dict[str, dict[str, str]] = {}
        self.submitted: list[tuple[str, str]] = []
        self.refuse: str | None = None

    async def offer(self, service_id: str, target_group: str | None) -> dict[str, Any]:
        return self.offer_answer

    async def save_field(self, draft_id: str | None, field: str, value: str) -> tuple[str, str]:
        draft_id = draft_id or f"d{len(self.drafts) + 1}"
        self.drafts.setdefault(draft_id, {})[field] = value
        return draft_id, value

    async def prefill(self, draft_id: str, sender_id: str) -> list[str]:
        return []

    async def read_draft(self, draft_id: str) -> dict[str, str]:
        return self.drafts.get(draft_id, {})

    async def delete_draft(self, draft_id: str) -> None:
        self.drafts.pop(draft_id, None)

    async def submit(self, draft_id: str, service_id: str, slots: dict[str, Any]) -> dict[str, Any]:
        if self.refuse:
            raise client.ReferralRefused(self.refuse)
        self.submitted.append((draft_id, service_id))
        return {"reference": "HL-ABCDEF", "partner_name": "Kumppani A"}


OFFER_A = {"available": True, "reason": "", "partner_id": "kumppani-a", "partner_name": "Kumppani A",
           "service_name": "Kuntosali", "service_phone": "02 123 4567", "target_groups": []}


@pytest.fixture()
def api(monkeypatch: pytest.MonkeyPatch) -> FakeReferralApi:
    fake = FakeReferralApi(dict(OFFER_A))
    for name in ("offer", "save_field", "prefill", "read_draft", "delete_draft", "submit"):
        monkeypatch.setattr(client, name, getattr(fake, name))
    return fake


def _step(slots: dict[str, Any], text: str) -> referral.Reply:
    return asyncio.run(referral.referral_step(slots, text, "", [], "keskustelu-1"))


def _through(slots: dict[str, Any], *answers: str) -> tuple[dict[str, Any], referral.Reply]:
    reply = None
    for text in answers:
        reply = _step(slots, text)
        slots = {**slots, **reply.slots}
    assert reply is not None
    return slots, reply


def test_consent_keeps_the_named_partner_and_the_referral_names_only_that_service(api: FakeReferralApi) -> None:
    started = asyncio.run(referral.start_referral({"focused_service": "palvelu-1", "result_ids": ["palvelu-1"]},
                                                  None))
    assert "Kumppani A" in started.messages[0]["text"]
    slots = {**referral.END_SLOTS, **started.slots}
    assert referral.service_and_partner(slots) == ("palvelu-1", "kumppani-a")
    api.offer_answer = {**OFFER_A, "partner_id": "kumppani-b", "partner_name": "Kumppani B"}  # B free now
    slots, done = _through(slots, "kyllä", "Maija Meikäläinen", "040 123 4567", "Milloin tahansa", "ohita",
                           "lähetä")
    (draft,) = api.drafts.values()
    assert draft["partner_id"] == "kumppani-a"  # stored at the consent step, whatever is offered later
    assert draft["consent_text"] == started.slots["referral_consent_text"]
    assert api.submitted == [(next(iter(api.drafts)), "palvelu-1")]
    assert "HL-ABCDEF" in done.messages[0]["text"]


def test_a_refused_partner_ends_the_referral_with_the_reason(api: FakeReferralApi) -> None:
    started = asyncio.run(referral.start_referral({"focused_service": "palvelu-1"}, None))
    slots, _ = _through({**referral.END_SLOTS, **started.slots}, "kyllä", "Maija Meikäläinen", "040 123 4567",
                        "Milloin tahansa", "ohita")
    api.refuse = "Palveluntarjoajan Kumppani A lähetepaikat ovat tältä kuukaudelta täynnä."
    _, reply = _through(slots, "lähetä")
    text = reply.messages[0]["text"]
    assert "Kumppani A lähetepaikat" in text and "ei voitu tehdä" in text
    assert reply.slots["referral_stage"] is None and api.drafts == {}


def test_a_referral_begun_without_a_kept_partner_starts_over(api: FakeReferralApi) -> None:
    slots = {**referral.END_SLOTS, "referral_stage": "consent", "referral_service": "palvelu-1",
             "referral_consent_text": "..."}
    reply = _step(slots, "kyllä")
    assert "Aloita uudelleen" in reply.messages[0]["text"] and api.drafts == {}


def test_a_group_limited_partner_with_an_unknown_group(api: FakeReferralApi) -> None:
    api.offer_answer = {**OFFER_A, "available": False, "reason": "target_group",
                        "target_groups": ["ikaantyneet", "omaishoitajat"]}
    reply = asyncio.run(referral.start_referral({"focused_service": "palvelu-1"}, None))
    text = reply.messages[0]["text"]
    assert "vain tietyille kohderyhmille (ikääntyneet, omaishoitajat)" in text and "02 123 4567" in text
    assert reply.slots == {}  # no consent asked
    known = asyncio.run(referral.start_referral({"focused_service": "palvelu-1", "target_group": "nuoret"}, None))
    assert "sinun kohderyhmällesi" in known.messages[0]["text"]


def test_consent_text_states_the_configured_retention(monkeypatch: pytest.MonkeyPatch) -> None:
    from bot.settings import get_settings

    monkeypatch.setenv("RETENTION_DAYS", "30")
    get_settings.cache_clear()
    try:
        text = referral.consent_text("Kumppani ry", "Kävelyryhmä", get_settings().retention_days)
        assert "poistetaan 30 päivän kuluttua" in text and "90 päivän" not in text
    finally:
        get_settings.cache_clear()
