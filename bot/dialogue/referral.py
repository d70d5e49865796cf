"""The wellbeing referral (hyvinvointilähete) in the chat, one step per message.

The resident's answers go straight to an encrypted draft in the personal store; the slots only
hold the stage, the service and the draft id, so nothing personal stays in the conversation log.
Stages: consent -> name -> contact -> contact_time -> message -> confirm. "Peruuta" cancels at any
point, "korjaa nimi" (or puhelinnumero, aika, viesti) goes back to one field.

The partner named in the consent text is the one the referral goes to: its id travels with the
service in ``referral_service`` ("<service id> <partner id>"; the domain has no slot of its own for
it), is stored in the draft when the resident consents, and the referral API sends to that partner
or refuses; it never picks another one.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from typing import Any

from bot.catalog.client import CatalogUnavailable
from bot.dialogue.buttons import choose
from bot.dialogue.details import pick
from bot.dialogue.search_turn import UNAVAILABLE, Reply
from bot.finnish.morphology import fold_diacritics
from bot.finnish.vocabulary import TARGET_GROUP_LABELS
from bot.personal.masking import PERSONAL_MARK
from bot.personal.validation import phone_for_reading
from bot.referrals import client
from bot.settings import get_settings

FIELDS = ("name", "contact", "contact_time", "message")
QUESTIONS = {
    "name": "Mikä on nimesi?",
    "contact": "Millä puhelinnumerolla tai sähköpostiosoitteella sinut tavoittaa?",
    "contact_time": "Milloin sinuun saa ottaa yhteyttä?",
    "message": "Haluatko kertoa jotain lyhyesti, esimerkiksi mitä toivot? Voit myös ohittaa tämän.",
}
BUTTONS = {
    "contact_time": ["Arkisin aamupäivällä", "Arkisin iltapäivällä", "Milloin tahansa"],
    "message": ["Ohita"],
}
LABELS = {"name": "Nimi", "contact": "Yhteystieto", "contact_time": "Yhteydenottoaika", "message": "Viesti"}
CORRECTIONS = {"nimi": "name", "nimea": "name", "nimen": "name", "puhelinnumero": "contact", "numero": "contact",
               "numeroa": "contact", "puhelinnumeroa": "contact", "yhteystieto": "contact",
               "yhteystietoa": "contact", "sahkoposti": "contact", "sahkopostia": "contact", "aika": "contact_time",
               "aikaa": "contact_time", "yhteydenottoaika": "contact_time", "viesti": "message",
               "viestia": "message"}
YES = {"kylla", "joo", "juu", "jep", "ok", "okei", "sopii", "kay", "annan", "lahetä", "laheta", "kyl", "totta kai",
       "annan luvan", "kylla kiitos", "laheta lahete", "saa"}
NO = {"ei", "en", "ala", "ei kiitos", "en anna", "en halua", "ei kay", "ei sovi"}
CANCEL = ("peruuta", "peru ", "keskeyta", "lopeta", "en halua lahetetta", "en halua sittenkaan", "unohda")
SKIP = {"ohita", "ei", "ei mitaan", "en", "ei kiitos", "-", "ei ole"}
END_SLOTS = {"referral_stage": None, "referral_service": None, "referral_draft": None, "referral_filled": None,
             "referral_consent_text": None}


def _norm(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s-]", " ", fold_diacritics(text.casefold())).split())


def service_slot(service_id: str, partner_id: str) -> str:
    """``referral_service``: the service and the partner the consent names (PTV ids have no spaces)."""
    return f"{service_id} {partner_id}"


def service_and_partner(slots: dict[str, Any]) -> tuple[str, str]:
    """(service id, partner id) of the referral in progress; the partner is '' for one begun before
    the partner was kept."""
    service_id, _, partner_id = str(slots.get("referral_service") or "").partition(" ")
    return service_id, partner_id


def consent_text(partner: str, service: str, retention_days: int) -> str:
    """What the resident consents to; the retention is the store's own (RETENTION_DAYS)."""
    return (f"Hyvinvointilähetteellä palveluntarjoaja {partner} ottaa sinuun yhteyttä ja kertoo palvelusta "
            f"{service}. Jos annat luvan, lähetämme sille nimesi, yhteystietosi, toivomasi yhteydenottoajan ja "
            "halutessasi lyhyen viestin. Tietoja käytetään vain yhteydenottoon, ja ne poistetaan "
            f"{retention_days} päivän kuluttua. Voit perua lähetteen ennen lähettämistä kirjoittamalla ”peruuta”. "
            "Annatko luvan?")


def _ask(field: str, prefix: str = "") -> dict[str, Any]:
    message: dict[str, Any] = {"text": (prefix + " " if prefix else "") + QUESTIONS[field]}
    if field in BUTTONS:
        message["buttons"] = [{"title": t, "payload": t} for t in BUTTONS[field]]
    return message


async def start_referral(slots: dict[str, Any], ordinal: str | None) -> Reply:
    ids = list(slots.get("result_ids") or [])
    service_id = pick(ids, ordinal) if ordinal else (slots.get("focused_service") or pick(ids, None))
    if not service_id:
        if not ids:
            return Reply([{"text": "Etsitään ensin sinulle sopiva palvelu. Kerro, mitä etsit ja mistä kunnasta."}],
                         {})
        return Reply([{"text": f"Mihin palveluun haluat lähetteen? Kirjoita palvelun numero 1–{len(ids)}, "
                               "esimerkiksi ”lähete palveluun 2”."}], {})
    try:
        offer = await client.offer(service_id, slots.get("target_group"))
    except CatalogUnavailable:
        return Reply([{"text": UNAVAILABLE}], {})
    if not offer.get("available"):
        reason = offer.get("reason")
        phone = f" puhelimitse {offer['service_phone']}" if offer.get("service_phone") else " sen yhteystiedoilla"
        if reason == "full":
            text = (f"Palveluntarjoajan {offer.get('partner_name')} lähetepaikat ovat tältä kuukaudelta täynnä. "
                    f"Voit ottaa yhteyttä palveluun suoraan{phone}.")
        elif reason == "target_group" and not slots.get("target_group"):  # a partner limited to some groups
            groups = ", ".join(TARGET_GROUP_LABELS.get(g, g) for g in offer.get("target_groups") or [])
            text = ("Tähän palveluun voi tehdä hyvinvointilähetteen vain tietyille kohderyhmille"
                    + (f" ({groups})" if groups else "") + f". Voit kysyä palvelusta suoraan{phone}.")
        elif reason == "target_group":
            text = f"Tähän palveluun ei voi tehdä lähetettä sinun kohderyhmällesi. Voit kysyä palvelusta{phone}."
        else:
            text = (f"Palveluun {offer.get('service_name') or ''} ei voi tehdä hyvinvointilähetettä tässä chatissa. "
                    f"Voit ottaa yhteyttä palveluun suoraan{phone}.").replace("  ", " ")
        return Reply([{"text": text}], {})
    if not offer.get("partner_id"):
        return Reply([{"text": UNAVAILABLE}], {})
    consent = consent_text(str(offer["partner_name"]), str(offer["service_name"]),
                           get_settings().retention_days)
    return Reply([{"text": consent, "buttons": [{"title": "Kyllä, annan luvan", "payload": "Kyllä, annan luvan"},
                                                {"title": "Ei", "payload": "Ei"}]}],
                 {**END_SLOTS, "referral_stage": "consent",
                  "referral_service": service_slot(service_id, str(offer["partner_id"])),
                  "referral_consent_text": consent, "referral_filled": []})


async def _cancel(slots: dict[str, Any], text: str) -> Reply:
    if slots.get("referral_draft"):
        with contextlib.suppress(CatalogUnavailable):  # else the draft expires by itself within a day
            await client.delete_draft(str(slots["referral_draft"]))
    return Reply([{"text": text}], dict(END_SLOTS))


def _next_field(filled: list[str]) -> str | None:
    return next((f for f in FIELDS if f not in filled), None)


def readable(field: str, value: str) -> str:
    """'+358401234567' reads back as '040 1234567', the way the resident typed it."""
    if field == "contact" and value.startswith("+"):
        return phone_for_reading(value)
    return value


async def _readback(draft_id: str, service: str) -> dict[str, Any]:
    draft = await client.read_draft(draft_id)
    lines = ["Tarkista vielä tiedot:", f"Palvelu: {service}"]
    lines += [f"{LABELS[f]}: {readable(f, draft.get(f) or '') or '–'}" for f in FIELDS]
    lines.append("Lähetetäänkö lähete?")
    titles = ["Lähetä", "Korjaa nimi", "Korjaa yhteystieto", "Korjaa aika", "Korjaa viesti", "Peruuta"]
    return {"text": "\n".join(lines), "buttons": [{"title": t, "payload": t} for t in titles],
            "json_message": {"type": PERSONAL_MARK}}


async def referral_step(slots: dict[str, Any], text: str, intent: str, events: list[dict[str, Any]],
                        sender_id: str = "") -> Reply:
    stage = slots.get("referral_stage")
    choice = choose(events, text)
    if choice:  # "2" typed for the second button
        text = choice.title
    said = _norm(text)
    if any(said == c.strip() or said.startswith(c) for c in CANCEL):
        return await _cancel(slots, "Lähete peruttiin, eikä tietojasi tallennettu. Voinko auttaa muuten?")
    try:
        if stage == "consent":
            return await _consent(slots, said, intent, sender_id)
        correction = _correction(said)
        if correction and stage != "consent":
            filled = [f for f in slots.get("referral_filled") or [] if f != correction]
            return Reply([_ask(correction)], {"referral_stage": correction, "referral_filled": filled})
        if stage in FIELDS:
            return await _field(slots, str(stage), text, said)
        if stage == "confirm":
            return await _confirm(slots, said, intent)
    except CatalogUnavailable:
        return Reply([{"text": UNAVAILABLE + " Tietosi ovat tallessa, voit jatkaa hetken kuluttua."}], {})
    return Reply([{"text": "Lähete jäi kesken. Aloita uudelleen kirjoittamalla ”tee lähete”."}], dict(END_SLOTS))


def _correction(said: str) -> str | None:
    words = said.split()
    if words and words[0] in ("korjaa", "muuta", "vaihda") and len(words) > 1:
        return CORRECTIONS.get(words[1])
    return None


async def _consent(slots: dict[str, Any], said: str, intent: str, sender_id: str = "") -> Reply:
    if said in YES or said.startswith("kylla") or intent == "affirm":
        _service, partner_id = service_and_partner(slots)
        if not partner_id:  # begun before the consented partner was kept: ask the consent again
            return Reply([{"text": "Lähete jäi kesken. Aloita uudelleen kirjoittamalla ”tee lähete”."}],
                         dict(END_SLOTS))
        now = dt.datetime.now(dt.UTC).replace(tzinfo=None).isoformat(timespec="seconds")
        draft_id, _ = await client.save_field(None, "consent_text", str(slots.get("referral_consent_text") or ""))
        await client.save_field(draft_id, "consent_at", now)
        await client.save_field(draft_id, "partner_id", partner_id)  # the partner the consent names
        filled = [f for f in await client.prefill(draft_id, sender_id) if f in FIELDS] if sender_id else []
        following = _next_field(filled) or "contact_time"
        intro = ("Kiitos. Käytän portaalista saatuja tietojasi (" + ", ".join(LABELS[f].lower() for f in filled)
                 + "); voit tarkistaa ne lopuksi.") if filled else "Kiitos."
        return Reply([_ask(following, intro)], {"referral_stage": following, "referral_draft": draft_id,
                                                 "referral_filled": filled})
    if said in NO or said.startswith("ei ") or intent == "deny":
        return await _cancel(slots, "Selvä, lähetettä ei tehdä eikä tietojasi tallennettu. Voinko auttaa muuten?")
    return Reply([{"text": "Vastaa ”kyllä”, jos annat luvan, tai ”ei”, jos et halua lähetettä.",
                   "buttons": [{"title": "Kyllä, annan luvan", "payload": "Kyllä, annan luvan"},
                               {"title": "Ei", "payload": "Ei"}]}], {})


async def _field(slots: dict[str, Any], field: str, text: str, said: str) -> Reply:
    value = "" if field == "message" and said in SKIP else text
    try:
        draft_id, _ = await client.save_field(slots.get("referral_draft"), field, value)
    except client.FieldRejected as exc:
        return Reply([_ask(field, str(exc))], {})
    filled = [*[f for f in slots.get("referral_filled") or [] if f != field], field]
    following = _next_field(filled)
    updates = {"referral_draft": draft_id, "referral_filled": filled}
    if following:
        return Reply([_ask(following)], {**updates, "referral_stage": following})
    service = await client.offer(service_and_partner(slots)[0], None)
    return Reply([await _readback(draft_id, str(service.get("service_name") or ""))],
                 {**updates, "referral_stage": "confirm"})


async def _confirm(slots: dict[str, Any], said: str, intent: str) -> Reply:
    if said in YES or said.startswith("laheta") or intent == "affirm":
        try:
            done = await client.submit(str(slots.get("referral_draft")), service_and_partner(slots)[0], slots)
        except client.ReferralRefused as exc:
            return await _cancel(slots, f"Lähetettä ei voitu tehdä: {exc} Tietojasi ei tallennettu.")
        return Reply([{"text": f"Lähete on lähetetty. Viitenumero on {done['reference']}. "
                               f"{done['partner_name']} ottaa sinuun yhteyttä toivomanasi aikana. "
                               "Voit pyytää tietojesi poistamista viitenumerolla.",
                       "json_message": {"type": "referral_sent", "reference": done["reference"]}}],
                     dict(END_SLOTS))
    if said in NO or intent == "deny":
        return Reply([{"text": "Haluatko korjata jotain? Kirjoita esimerkiksi ”korjaa nimi”, tai ”peruuta”.",
                       "buttons": [{"title": t, "payload": t} for t in
                                   ("Korjaa nimi", "Korjaa yhteystieto", "Korjaa aika", "Korjaa viesti",
                                    "Peruuta")]}], {})
    return Reply([{"text": "Kirjoita ”lähetä”, ”korjaa nimi” (tai yhteystieto, aika, viesti) tai ”peruuta”."}], {})
