"""Rasa input channel for professionals: the REST webhook behind an API key.

``POST /webhooks/professional/webhook`` with header ``X-Api-Key`` (or ``Authorization: Bearer``)
and the body of the REST channel (``{"sender": ..., "message": ...}``). Every message that comes
through it carries the professional role with an HMAC proof (see ``bot.access``); a wrong or
missing key gets 401 with a Finnish error and never reaches the bot.
"""

from typing import Any, Awaitable, Callable, Dict

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.access import PROFESSIONAL, api_key_is_valid, role_metadata
from bot.settings import get_settings
from connectors.guard import open_webhook_refusal


def _presented_key(request: Request) -> str:
    key = request.headers.get("x-api-key") or ""
    auth = request.headers.get("authorization") or ""
    if not key and auth.lower().startswith("bearer "):
        key = auth[7:]
    return key.strip()


class ProfessionalInput(RestInput):
    @classmethod
    def name(cls) -> str:
        return "professional"

    def get_metadata(self, request: Request) -> Dict[str, Any] | None:
        sender = str((request.json or {}).get("sender") or "default")
        return role_metadata(get_settings().channel_secret, sender, PROFESSIONAL)

    def _extract_input_channel(self, req: Request) -> str:
        return self.name()  # never what the client claims

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        blueprint = super().blueprint(on_new_message)

        @blueprint.middleware("request")  # type: ignore[misc]
        async def require_key(request: Request) -> HTTPResponse | None:
            if request.method == "POST" and not api_key_is_valid(_presented_key(request),
                                                             get_settings().professional_api_keys):
                return response.json({"error": "Virheellinen tai puuttuva API-avain."}, status=401)
            if request.method == "POST":
                return open_webhook_refusal(request)  # reserved ids, size and rate
            return None

        return blueprint
