"""Rasa's socket.io channel for the web widget, with three fixes to Rasa 3.6 on python-socketio 5:
the session room is joined with ``await`` (Rasa forgets it, so answers never arrived), custom
payloads (result cards) are sent as ``{"custom": ...}`` like the REST channel does (Rasa passes
them to ``sio.emit`` as keyword arguments, which fails), and incoming messages are checked and
capped."""

import uuid
from typing import Any, Awaitable, Callable, Dict

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.socketio import SocketIOInput, SocketIOOutput
from sanic import Blueprint

MAX_MESSAGE = 5000


class WidgetSocketOutput(SocketIOOutput):
    async def send_custom_json(self, recipient_id: str, json_message: Dict[str, Any], **kwargs: Any) -> None:
        await self._send_message(recipient_id, {"custom": json_message})


class WidgetSocketIOInput(SocketIOInput):
    @classmethod
    def name(cls) -> str:
        return "socketio"

    def get_output_channel(self) -> SocketIOOutput | None:
        return WidgetSocketOutput(self.sio, self.bot_message_evt) if self.sio else None

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        blueprint = super().blueprint(on_new_message)
        sio = self.sio
        assert sio is not None

        @sio.on("session_request", namespace=self.namespace)  # replaces Rasa's handler
        async def session_request(sid: str, data: Any) -> None:
            # python-socketio 5's enter_room is a coroutine; Rasa 3.6 does not await it, so the
            # answers sent to the session's room never arrived.
            requested = data.get("session_id") if isinstance(data, dict) else None
            session_id = requested[:128] if isinstance(requested, str) and requested else uuid.uuid4().hex
            await sio.enter_room(sid, session_id, namespace=self.namespace or "/")
            await sio.emit("session_confirm", session_id, room=sid, namespace=self.namespace or "/")

        @sio.on(self.user_message_evt, namespace=self.namespace)  # replaces Rasa's handler
        async def handle_message(sid: str, data: Any) -> None:
            if not isinstance(data, dict) or not isinstance(data.get("session_id"), str):
                return  # the widget always asks for its session first
            text = data.get("message")
            metadata = data.get(self.metadata_key)
            await on_new_message(UserMessage(
                text[:MAX_MESSAGE] if isinstance(text, str) else "", WidgetSocketOutput(sio, self.bot_message_evt),
                data["session_id"][:128], input_channel=self.name(),
                metadata=metadata if isinstance(metadata, dict) else {}))

        return blueprint
