"""Rasa's socket.io channel for the web widget, with three fixes to Rasa 3.6 on python-socketio 5:
the session room is joined with ``await`` (Rasa forgets it, so answers never arrived), custom
payloads (result cards) are sent as ``{"custom": ...}`` like the REST channel does (Rasa passes
them to ``sio.emit`` as keyword arguments, which fails), and incoming messages are checked.

Conversation ids are issued by the server (``bot.security.conversation_ids``): a session request
with an id that the server did not sign gets a new id, so nobody can join another resident's
room, and a message is taken only for the conversation whose room this socket joined.
"""

from typing import Any, Awaitable, Callable, Dict

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.socketio import SocketIOInput, SocketIOOutput
from sanic import Blueprint

from bot.security.conversation_ids import is_valid_web_id, issue_web_id
from bot.settings import get_settings
from connectors.guard import refusal


class WidgetSocketOutput(SocketIOOutput):
    async def send_custom_json(self, recipient_id: str, json_message: Dict[str, Any], **kwargs: Any) -> None:
        await self._send_message(recipient_id, {"custom": json_message})


def _address(environ: Dict[str, Any]) -> str | None:
    return environ.get("REMOTE_ADDR") if isinstance(environ, dict) else None


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
        namespace = self.namespace or "/"
        sessions: Dict[str, str] = {}  # socket id -> the conversation it joined
        addresses: Dict[str, str | None] = {}

        @sio.on("connect", namespace=self.namespace)  # replaces Rasa's handler
        async def connect(sid: str, environ: Dict[str, Any], auth: Dict[str, Any] | None = None) -> bool:
            addresses[sid] = _address(environ)
            return True

        @sio.on("disconnect", namespace=self.namespace)  # replaces Rasa's handler
        async def disconnect(sid: str) -> None:
            sessions.pop(sid, None)
            addresses.pop(sid, None)

        @sio.on("session_request", namespace=self.namespace)  # replaces Rasa's handler
        async def session_request(sid: str, data: Any) -> None:
            secret = get_settings().channel_secret
            requested = data.get("session_id") if isinstance(data, dict) else None
            session_id = requested if is_valid_web_id(secret, requested) else issue_web_id(secret)
            previous = sessions.get(sid)
            if previous and previous != session_id:
                await sio.leave_room(sid, previous, namespace=namespace)
            # python-socketio 5's enter_room is a coroutine; Rasa 3.6 does not await it, so the
            # answers sent to the session's room never arrived.
            await sio.enter_room(sid, session_id, namespace=namespace)
            sessions[sid] = session_id
            await sio.emit("session_confirm", session_id, room=sid, namespace=namespace)

        @sio.on(self.user_message_evt, namespace=self.namespace)  # replaces Rasa's handler
        async def handle_message(sid: str, data: Any) -> None:
            session_id = sessions.get(sid)
            if not isinstance(data, dict) or session_id is None or data.get("session_id") != session_id:
                return  # only the conversation this socket was given
            text = data.get("message")
            metadata = data.get(self.metadata_key)
            refused = refusal(text, metadata, session_id, addresses.get(sid))
            if refused:
                await sio.emit(self.bot_message_evt, {"text": refused[1], "error": refused[0]}, room=sid,
                               namespace=namespace)
                return
            await on_new_message(UserMessage(
                text if isinstance(text, str) else "", WidgetSocketOutput(sio, self.bot_message_evt),
                session_id, input_channel=self.name(),
                metadata=metadata if isinstance(metadata, dict) else {}))

        return blueprint
