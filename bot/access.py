"""Who is speaking: resident or professional, as proven by the channel, never by the text.

An authenticated input channel (a professional API key, later a portal token) attaches the role
and an HMAC proof bound to the conversation id to each message's metadata. The action server
checks the proof with the shared ``HYTE_CHANNEL_SECRET``; metadata a browser makes up carries no
valid proof, so a resident cannot switch the professional mode on.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any

RESIDENT = "resident"
PROFESSIONAL = "professional"
ROLES = (RESIDENT, PROFESSIONAL)


def role_proof(secret: str, sender_id: str, role: str) -> str:
    message = f"{sender_id}\x1f{role}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def role_metadata(secret: str, sender_id: str, role: str) -> dict[str, str]:
    return {"role": role, "role_proof": role_proof(secret, sender_id, role)}


def verified_role(metadata: dict[str, Any] | None, sender_id: str, secret: str) -> str:
    """The role a message's metadata proves; anything unproven is a resident."""
    if not isinstance(metadata, dict):
        return RESIDENT
    role, proof = metadata.get("role"), metadata.get("role_proof")
    if role not in ROLES or not isinstance(proof, str):
        return RESIDENT
    if hmac.compare_digest(proof, role_proof(secret, sender_id, str(role))):
        return str(role)
    return RESIDENT


def latest_user_metadata(events: list[dict[str, Any]]) -> dict[str, Any] | None:
    for event in reversed(events):
        if event.get("event") == "user":
            metadata = event.get("metadata")
            return metadata if isinstance(metadata, dict) else None
    return None


def api_key_is_valid(key: str, valid_keys: tuple[str, ...]) -> bool:
    """Constant-time check of a presented API key against the configured ones."""
    return bool(key) and any(hmac.compare_digest(key.encode(), valid.encode()) for valid in valid_keys)


def key_id(key: str) -> str:
    """A short, non-secret name of an API key for the audit log."""
    return hashlib.sha256(key.encode()).hexdigest()[:10]


def claims_proof(secret: str, sender_id: str, claims: dict[str, Any]) -> str:
    """HMAC over verified portal claims (municipality, language, role), bound to the conversation."""
    message = sender_id + "\x1f" + json.dumps(claims, sort_keys=True, ensure_ascii=False)
    return hmac.new(secret.encode(), message.encode(), hashlib.sha256).hexdigest()


def verified_claims(metadata: dict[str, Any] | None, sender_id: str, secret: str) -> dict[str, Any]:
    """The portal claims a message's metadata proves, or {}."""
    if not isinstance(metadata, dict) or not isinstance(metadata.get("portal"), dict):
        return {}
    proof = metadata.get("portal_proof")
    if isinstance(proof, str) and hmac.compare_digest(proof, claims_proof(secret, sender_id, metadata["portal"])):
        return dict(metadata["portal"])
    return {}
