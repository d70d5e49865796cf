"""Rasa input channel for the portal that embeds the chat (Omaolo-style).

``POST /webhooks/portal/webhook`` with ``Authorization: Bearer <JWT>`` and ``{"message": ...}``.
The token is verified (signature, expiry, audience, issuer; see ``bot.portal_token``); an invalid
or expired one gets 401 with a Finnish error and never reaches the bot. The conversation id comes
from the token's subject, and the verified municipality, language and role travel to the action
server with an HMAC proof, so the user is not asked again what the portal already knows.
Contact details in the token are not passed on: they never enter the conversation log.
"""

from typing import Any, Awaitable, Callable, Dict

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.access import claims_proof, role_metadata
from bot.portal_token import PortalConfig, TokenRejected, verify
from bot.settings import get_settings
from connectors.guard import refusal


class PortalInput(InputChannel):
    @classmethod
    def name(cls) -> str:
        return "portal"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        portal = Blueprint("portal_webhook", __name__)

        @portal.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @portal.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            token = (request.headers.get("authorization") or "").removeprefix("Bearer ").strip()
            try:
                user = verify(token, PortalConfig.from_settings(get_settings()))
            except TokenRejected as exc:
                return response.json({"error": str(exc), "reason": exc.reason}, status=401)
            body = request.json if isinstance(request.json, dict) else {}
            text = body.get("message")
            if not isinstance(text, str):
                return response.json({"error": "Viesti puuttuu."}, status=400)
            secret = get_settings().channel_secret
            sender = user.conversation_id(secret)
            refused = refusal(text, None, sender, request.remote_addr or request.ip)
            if refused:
                return response.json({"error": refused[1]}, status=refused[0])
            claims = {"role": user.role, "municipality": user.municipality, "language": user.language}
            metadata: Dict[str, Any] = {**role_metadata(secret, sender, user.role), "portal": claims,
                                        "portal_proof": claims_proof(secret, sender, claims)}
            collector = CollectingOutputChannel()
            await on_new_message(UserMessage(text, collector, sender, input_channel=self.name(),
                                             metadata=metadata))
            return response.json(collector.messages)

        return portal

    def get_metadata(self, request: Request) -> Dict[str, Any] | None:
        return None
