"""Details of one listed service: "kerro lisää kolmannesta"."""

from __future__ import annotations

from typing import Any

from bot.catalog.client import CatalogUnavailable, service_details
from bot.catalog.describe import details_text
from bot.catalog.describe import facts as describe_facts
from bot.dialogue.search_turn import UNAVAILABLE, Reply


def pick(result_ids: list[str], ordinal: str | None) -> str | None:
    if not result_ids:
        return None
    if ordinal in (None, "last"):
        return result_ids[-1] if ordinal == "last" else (result_ids[0] if len(result_ids) == 1 else None)
    index = int(ordinal) - 1 if ordinal.isdigit() else -1
    return result_ids[index] if 0 <= index < len(result_ids) else None


LANGUAGE_NAMES = {"fi": "suomi", "sv": "ruotsi", "en": "englanti", "se": "saame", "ru": "venäjä",
                  "ar": "arabia", "so": "somali", "et": "viro", "fa": "persia", "uk": "ukraina"}


def _contact(d: dict[str, Any]) -> str:
    ways = [x for x in (d.get("phone") and f"puh. {d['phone']}", d.get("email"), d.get("web_page")) if x]
    return f" Kysy palvelusta: {', '.join(ways)}." if ways else ""


def fact_answer(d: dict[str, Any], fact: str) -> dict[str, Any]:
    """The answer to one question about a service, from its catalog record; where the record does not
    have the fact, says so and gives the contact."""
    name = d["name"]
    facts = dict(describe_facts(d))
    text = ""
    if fact == "hours":
        text = (f"{name}: aukioloajat {facts['Aukioloajat']}." if facts.get("Aukioloajat")
                else f"Palvelun {name} tiedoissa ei ole aukioloaikoja.{_contact(d)}")
    elif fact == "price":
        text = (f"{name}: {facts['Hinta']}." if facts.get("Hinta")
                else f"Palvelun {name} tiedoissa ei kerrota hintaa.{_contact(d)}")
    elif fact == "address":
        if d.get("address"):
            place = f"{d['location_name']}, " if d.get("location_name") else ""
            text = f"{name}: {place}{d['address']}."
        elif d.get("online"):
            text = f"{name} toimii verkossa tai puhelimitse.{_contact(d)}"
        else:
            text = f"Palvelun {name} tiedoissa ei ole osoitetta.{_contact(d)}"
    elif fact == "contact":
        ways = [f"{label.lower()} {facts[label]}" for label in ("Puhelin", "Sähköposti", "Verkkosivu")
                if facts.get(label)]
        text = (f"{name}: {', '.join(ways)}." if ways
                else f"Palvelun {name} tiedoissa ei ole yhteystietoja. Katso palvelun tarjoaja: "
                     f"{d.get('provider') or 'tuntematon'}.")
    elif fact == "accessibility":
        text = (f"{name}: {facts['Esteettömyys']}" if facts.get("Esteettömyys")
                else f"Palvelun {name} tiedoissa ei ole esteettömyystietoja.{_contact(d)}")
    elif fact == "languages":
        names = [LANGUAGE_NAMES.get(code, code) for code in d.get("languages") or []]
        text = (f"{name}: palvelua saa kielillä {', '.join(names)}." if names
                else f"Palvelun {name} tiedoissa ei kerrota palvelukieliä.{_contact(d)}")
    elif fact == "referral":
        if d.get("referral_available"):
            return {"text": f"Palveluun {name} voi tehdä hyvinvointilähetteen: palveluntarjoaja ottaa "
                            "sinuun yhteyttä.",
                    "buttons": [{"title": "Tee hyvinvointilähete", "payload": "/start_referral"}]}
        text = f"Palveluun {name} ei voi tehdä hyvinvointilähetettä tämän palvelun kautta.{_contact(d)}"
    return {"text": text or details_text(d)}


async def details_turn(slots: dict[str, Any], ordinal: str | None, fact: str | None = None) -> Reply:
    ids = list(slots.get("result_ids") or [])
    if not ids:
        return Reply([{"text": "Hae ensin palveluja, niin voin kertoa niistä tarkemmin."}], {})
    service_id = pick(ids, ordinal)
    if not service_id and ordinal is None and slots.get("focused_service") in ids:
        service_id = slots["focused_service"]  # "se", "sinne": the service talked about
    if not service_id and len(ids) == 1:
        return Reply([{"text": "Listalla on vain yksi palvelu. Kirjoita 1, niin kerron siitä."}], {})
    if not service_id:
        return Reply([{"text": f"Minkä palvelun tiedot haluat? Kirjoita numero 1–{len(ids)}."}], {})
    try:
        data = await service_details(service_id)
    except CatalogUnavailable:
        return Reply([{"text": UNAVAILABLE}], {})
    if fact:
        return Reply([fact_answer(data, fact)], {"focused_service": service_id})
    message: dict[str, Any] = {"text": details_text(data)}
    if data.get("referral_available"):
        message["buttons"] = [{"title": "Tee hyvinvointilähete", "payload": "/start_referral"}]
    return Reply([message], {"focused_service": service_id})
