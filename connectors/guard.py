"""The checks every Rasa input channel makes before a message reaches NLU: conversation ids that a
client may not claim, message and metadata size, and messages a minute (see ``bot.security``)."""

from functools import cache
from typing import Any, Tuple

from sanic import response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.security.conversation_ids import open_channel_refusal
from bot.security.limits import EntryGuard
from bot.settings import get_settings


@cache
def entry_guard() -> EntryGuard:
    return EntryGuard.from_settings(get_settings())


def refusal(text: Any, metadata: Any, sender: str | None, address: str | None) -> Tuple[int, str] | None:
    return entry_guard().refusal(text, metadata, sender, address)


def open_webhook_refusal(request: Request) -> HTTPResponse | None:
    """For REST-shaped webhooks whose body names the conversation (``sender``): None to go on."""
    body = request.json if isinstance(request.json, dict) else None
    if body is None:
        return response.json({"error": "Pyynnön runko ei ole JSON-olio."}, status=400)
    sender = body.get("sender")
    why = open_channel_refusal(get_settings().channel_secret, sender)
    if why:
        return response.json({"error": why}, status=403)
    refused = refusal(body.get("message"), body.get("metadata"), str(sender), None)
    if refused:
        return response.json({"error": refused[1]}, status=refused[0])
    return None
