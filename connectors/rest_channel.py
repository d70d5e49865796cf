"""Rasa's REST channel (``POST /webhooks/rest/webhook``, fixed by the contract) with the entry checks.

It takes a client-chosen ``sender``, so it serves operators and checks on the same machine (Rasa is
bound to 127.0.0.1 and the proxy does not forward ``/webhooks/rest``). It refuses the reserved id
prefixes of server-issued conversations (a web id only with its signature: the website's relay
forwards those), messages over the length limit, oversized metadata and floods.
"""

from typing import Any, Awaitable, Callable

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint
from sanic.request import Request
from sanic.response import HTTPResponse

from connectors.guard import open_webhook_refusal


class GuardedRestInput(RestInput):
    @classmethod
    def name(cls) -> str:
        return "rest"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        blueprint = super().blueprint(on_new_message)

        @blueprint.middleware("request")  # type: ignore[misc]
        async def check_entry(request: Request) -> HTTPResponse | None:
            if request.method == "POST" and request.path.endswith("/webhook"):
                return open_webhook_refusal(request)
            return None

        return blueprint
