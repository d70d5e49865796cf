"""Details of one listed service: "kerro lisää kolmannesta"."""

from __future__ import annotations

from typing import Any

from bot.catalog.client import CatalogUnavailable, service_details
from bot.catalog.describe import details_text
from bot.dialogue.search_turn import UNAVAILABLE, Reply


def pick(result_ids: list[str], ordinal: str | None) -> str | None:
    if not result_ids:
        return None
    if ordinal in (None, "last"):
        return result_ids[-1] if ordinal == "last" else (result_ids[0] if len(result_ids) == 1 else None)
    index = int(ordinal) - 1 if ordinal.isdigit() else -1
    return result_ids[index] if 0 <= index < len(result_ids) else None


async def details_turn(slots: dict[str, Any], ordinal: str | None) -> Reply:
    ids = list(slots.get("result_ids") or [])
    if not ids:
        return Reply([{"text": "Hae ensin palveluja, niin voin kertoa niistä tarkemmin."}], {})
    service_id = pick(ids, ordinal)
    if not service_id and len(ids) == 1:
        return Reply([{"text": "Listalla on vain yksi palvelu. Kirjoita 1, niin kerron siitä."}], {})
    if not service_id:
        return Reply([{"text": f"Minkä palvelun tiedot haluat? Kirjoita numero 1–{len(ids)}."}], {})
    try:
        data = await service_details(service_id)
    except CatalogUnavailable:
        return Reply([{"text": UNAVAILABLE}], {})
    message: dict[str, Any] = {"text": details_text(data)}
    if data.get("referral_available"):
        message["buttons"] = [{"title": "Tee hyvinvointilähete", "payload": "/start_referral"}]
    return Reply([message], {"focused_service": service_id})
