"""The action server's calls to the referral API (internal token; personal data only in bodies)."""

from __future__ import annotations

from typing import Any

import httpx

from bot.catalog.client import CatalogUnavailable
from bot.settings import get_settings


class FieldRejected(ValueError):
    """The catalog refused a typed value; the message is Finnish and can be shown as is."""


class ReferralRefused(RuntimeError):
    """No referral can be made (no agreement or no capacity); the message is Finnish."""


async def _call(method: str, path: str, **kwargs: Any) -> httpx.Response:
    settings = get_settings()
    headers = {"X-Internal-Token": settings.internal_token}
    try:
        async with httpx.AsyncClient(timeout=settings.http_timeout) as http:
            return await http.request(method, f"{settings.private_url}{path}", headers=headers, **kwargs)
    except httpx.HTTPError as exc:
        raise CatalogUnavailable(str(exc)) from exc


def _json(response: httpx.Response) -> dict[str, Any]:
    if response.status_code >= 500 or response.status_code == 401:
        raise CatalogUnavailable(f"referral API answered {response.status_code}")
    data: dict[str, Any] = response.json()
    return data


async def offer(service_id: str, target_group: str | None) -> dict[str, Any]:
    params = {"service_id": service_id, **({"target_group": target_group} if target_group else {})}
    response = await _call("GET", "/api/referrals/offer", params=params)
    if response.status_code == 404:
        return {"available": False, "reason": "no_service"}
    return _json(response)


async def save_field(draft_id: str | None, field: str, value: str) -> tuple[str, str]:
    response = await _call("POST", "/api/referrals/drafts", json={"draft_id": draft_id, "field": field,
                                                                   "value": value[:5000]})
    data = _json(response)
    if response.status_code == 422:
        detail = data.get("detail")
        raise FieldRejected(detail if isinstance(detail, str) else "Tarkista vastaus.")
    return str(data["draft_id"]), str(data["value"])


async def read_draft(draft_id: str) -> dict[str, str]:
    return {k: str(v) for k, v in _json(await _call("GET", f"/api/referrals/drafts/{draft_id}")).items()}


async def delete_draft(draft_id: str) -> None:
    await _call("DELETE", f"/api/referrals/drafts/{draft_id}")


async def submit(draft_id: str, service_id: str, slots: dict[str, Any]) -> dict[str, Any]:
    body = {"draft_id": draft_id, "service_id": service_id, "target_group": slots.get("target_group"),
            "theme": slots.get("theme"), "municipality": slots.get("municipality")}
    response = await _call("POST", "/api/referrals", json=body)
    data = _json(response)
    if response.status_code in (409, 422, 404):
        detail = data.get("detail")
        raise ReferralRefused(detail if isinstance(detail, str) else "Lähetettä ei voitu tehdä.")
    return data


async def prefill(draft_id: str, sender_id: str) -> list[str]:
    data = _json(await _call("POST", f"/api/referrals/drafts/{draft_id}/prefill", json={"sender_id": sender_id}))
    return [str(f) for f in data.get("filled") or []]
