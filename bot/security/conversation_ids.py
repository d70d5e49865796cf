"""Conversation ids: issued and signed by the server, never chosen by a browser.

A web conversation id is ``web-<random>.<signature>``: 128 random bits and an HMAC over them with
``HYTE_CHANNEL_SECRET``, so an id can be checked without storing it and cannot be guessed or made
up. A portal conversation id is an HMAC of the portal's user id (``sub``), so knowing a user's
``sub`` does not give their conversation. The prefixes are reserved: an entry that accepts
client-chosen ids (Rasa's ``rest`` channel, the professional channel) refuses them unless the id
carries its signature.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets

WEB_PREFIX = "web-"
PORTAL_PREFIX = "portal-"
RESERVED_PREFIXES = (WEB_PREFIX, PORTAL_PREFIX)
_WEB_ID = re.compile(r"^web-([0-9a-f]{32})\.([0-9a-f]{32})$")
MAX_SENDER_CHARS = 128


def _sign(secret: str, purpose: str, value: str) -> str:
    return hmac.new(secret.encode(), f"{purpose}\x1f{value}".encode(), hashlib.sha256).hexdigest()[:32]


def issue_web_id(secret: str) -> str:
    nonce = secrets.token_hex(16)
    return f"{WEB_PREFIX}{nonce}.{_sign(secret, 'web', nonce)}"


def is_valid_web_id(secret: str, sender_id: object) -> bool:
    if not isinstance(sender_id, str):
        return False
    match = _WEB_ID.match(sender_id)
    if match is None:
        return False
    return hmac.compare_digest(match.group(2), _sign(secret, "web", match.group(1)))


def portal_id(secret: str, subject: str) -> str:
    return PORTAL_PREFIX + _sign(secret, "portal", subject)


def open_channel_refusal(secret: str, sender_id: object) -> str | None:
    """Why an entry that takes client-chosen ids must refuse this one (a Finnish message), or None."""
    if not isinstance(sender_id, str) or not sender_id.strip():
        return "Keskustelun tunniste (sender) puuttuu."
    if len(sender_id) > MAX_SENDER_CHARS:
        return f"Keskustelun tunniste on liian pitkä (enintään {MAX_SENDER_CHARS} merkkiä)."
    if sender_id.startswith(WEB_PREFIX) and is_valid_web_id(secret, sender_id):
        return None
    if sender_id.startswith(RESERVED_PREFIXES):
        return "Tämä keskustelun tunniste on varattu; aloita uusi keskustelu."
    return None
