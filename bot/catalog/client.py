"""Async client of the catalog API, used by the action server."""

from __future__ import annotations

from typing import Any

import httpx

from bot.settings import get_settings


class CatalogUnavailable(RuntimeError):
    """The catalog service did not answer."""


async def search_services(params: dict[str, Any], *, client: httpx.AsyncClient | None = None
                          ) -> dict[str, Any]:
    settings = get_settings()
    query = {k: v for k, v in params.items() if v not in (None, "")}
    owns = client is None
    http = client or httpx.AsyncClient(timeout=settings.http_timeout)
    try:
        response = await http.get(f"{settings.catalog_url}/api/services", params=query)
        response.raise_for_status()
        data: dict[str, Any] = response.json()
        return data
    except (httpx.HTTPError, ValueError) as exc:
        raise CatalogUnavailable(str(exc)) from exc
    finally:
        if owns:
            await http.aclose()


async def service_details(service_id: str) -> dict[str, Any]:
    settings = get_settings()
    async with httpx.AsyncClient(timeout=settings.http_timeout) as http:
        try:
            response = await http.get(f"{settings.catalog_url}/api/services/{service_id}")
            response.raise_for_status()
            data: dict[str, Any] = response.json()
            return data
        except (httpx.HTTPError, ValueError) as exc:
            raise CatalogUnavailable(str(exc)) from exc
