"""Signed tokens from the portal that embeds the chat (Omaolo-style): who the user is, where they
live, their language and role, and, for prefill only, their contact details.

Verified with PyJWT: signature (HS256 with a shared secret or RS256 with the portal's public key),
expiry, audience and issuer are all required. Errors carry a Finnish message for the user.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jwt

from bot.finnish.places import municipalities
from bot.security.conversation_ids import portal_id
from bot.settings import Settings

LANGUAGES = ("fi", "sv", "en")
ROLES = ("resident", "professional")


class TokenRejected(ValueError):
    """The token cannot be used; ``str(exc)`` is a Finnish message, ``reason`` a stable code."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


@dataclass(frozen=True)
class PortalConfig:
    audience: str
    issuer: str
    hs256_secret: str = ""
    rs256_public_key: str = ""

    @classmethod
    def from_settings(cls, settings: Settings) -> PortalConfig:
        key_file = settings.portal_jwt_public_key_file
        return cls(audience=settings.portal_jwt_audience, issuer=settings.portal_jwt_issuer,
                   hs256_secret=settings.portal_jwt_secret,
                   rs256_public_key=Path(key_file).read_text(encoding="utf-8") if key_file else "")


@dataclass(frozen=True)
class PortalUser:
    subject: str
    role: str = "resident"
    municipality: str | None = None
    language: str = "fi"
    prefill: dict[str, str] = field(default_factory=dict)

    def conversation_id(self, secret: str) -> str:
        """The user's conversation: a keyed hash of the portal's user id, so knowing ``sub`` is not
        enough to reach it, and the id does not reveal ``sub``."""
        return portal_id(secret, self.subject)


def verify(token: str, config: PortalConfig) -> PortalUser:
    if not token:
        raise TokenRejected("missing", "Kirjautumistunniste puuttuu.")
    keys: list[tuple[str, str]] = []
    if config.rs256_public_key:
        keys.append(("RS256", config.rs256_public_key))
    if config.hs256_secret:
        keys.append(("HS256", config.hs256_secret))
    if not keys:
        raise TokenRejected("not_configured", "Portaalikirjautumista ei ole otettu käyttöön.")
    try:
        algorithm = jwt.get_unverified_header(token).get("alg")
    except jwt.InvalidTokenError as exc:
        raise TokenRejected("malformed", "Kirjautumistunniste ei ole kelvollinen.") from exc
    key = next((k for alg, k in keys if alg == algorithm), None)
    if key is None:
        raise TokenRejected("algorithm", "Kirjautumistunnisteen allekirjoitustapaa ei hyväksytä.")
    try:
        claims: dict[str, Any] = jwt.decode(token, key, algorithms=[str(algorithm)], audience=config.audience,
                                            issuer=config.issuer, options={"require": ["exp", "sub", "aud", "iss"]})
    except jwt.ExpiredSignatureError as exc:
        raise TokenRejected("expired", "Kirjautuminen on vanhentunut. Päivitä sivu ja kirjaudu uudelleen.") from exc
    except jwt.InvalidAudienceError as exc:
        raise TokenRejected("audience", "Kirjautumistunniste on tarkoitettu toiselle palvelulle.") from exc
    except jwt.InvalidIssuerError as exc:
        raise TokenRejected("issuer", "Kirjautumistunnisteen myöntäjää ei tunneta.") from exc
    except jwt.InvalidSignatureError as exc:
        raise TokenRejected("signature", "Kirjautumistunnisteen allekirjoitus ei kelpaa.") from exc
    except jwt.InvalidTokenError as exc:
        raise TokenRejected("invalid", "Kirjautumistunniste ei ole kelvollinen.") from exc
    municipality = str(claims.get("municipality") or "") or None
    if municipality and municipality not in municipalities():
        municipality = None
    role = claims.get("role") if claims.get("role") in ROLES else "resident"
    language = claims.get("language") if claims.get("language") in LANGUAGES else "fi"
    prefill = {k: str(claims[k])[:254] for k in ("name", "phone", "email") if claims.get(k)}
    return PortalUser(str(claims["sub"]), str(role), municipality, str(language), prefill)
