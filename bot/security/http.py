"""HTTP boundaries of the catalog service: which routes live on which listener, response headers,
and access logs without query strings (search words and ids never reach a log)."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

from fastapi import APIRouter, FastAPI, Request, Response
from fastapi.responses import JSONResponse
from starlette.routing import BaseRoute

# Served on the private listener only: the action server's internal calls, partners' inbox, admin.
PRIVATE_PREFIXES = ("/api/referrals", "/api/partner/", "/api/admin/")
MAX_BODY_BYTES = 256 * 1024  # no request of this service needs more


def routes_under(router: APIRouter, prefixes: Iterable[str]) -> list[BaseRoute]:
    wanted = tuple(prefixes)
    return [r for r in router.routes if str(getattr(r, "path", "")).startswith(wanted)]


def add_security_headers(app: FastAPI) -> None:
    """Framing only by the configured portals (``/embed``) or the site itself; no MIME sniffing."""

    @app.middleware("http")
    async def headers(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        declared = request.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > MAX_BODY_BYTES:
            response: Response = JSONResponse({"error": "Pyyntö on liian suuri."}, status_code=413)
        else:
            response = await call_next(request)
        if request.url.path.startswith("/embed"):
            ancestors = " ".join(request.app.state.settings.portal_origins) or "'none'"
        else:
            ancestors = "'self'"
        response.headers.setdefault("Content-Security-Policy", f"frame-ancestors {ancestors}")
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        return response


class DropQueryStrings(logging.Filter):
    """uvicorn's access log line without the query string: ``GET /api/services`` only."""

    def filter(self, record: logging.LogRecord) -> bool:
        args: Any = record.args
        if isinstance(args, tuple) and len(args) >= 3 and isinstance(args[2], str):
            record.args = (*args[:2], args[2].split("?", 1)[0], *args[3:])
        return True


def quiet_logs() -> None:
    """No request URLs with search words in any log: httpx logs every URL at INFO."""
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)
    logging.getLogger("uvicorn.access").addFilter(DropQueryStrings())
