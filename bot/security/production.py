"""Production mode: refuse to start with a published or weak secret; warn at every development start.

Every process calls ``enforce(settings, name)`` first. In production (``HYTE_ENV=production``) a
problem stops the process with a list of what to fix; in development the same list is logged as a
loud warning, so nobody mistakes a laptop set-up for a deployable one.
"""

from __future__ import annotations

import logging
import os
from urllib.parse import urlsplit

from bot.settings import DEV_PORTAL_SECRET, DEV_SECRETS, Settings

log = logging.getLogger(__name__)
MIN_SECRET_CHARS = 32


class UnsafeConfiguration(SystemExit):
    """Production start refused; the message lists every problem."""


def _weak(value: str) -> str | None:
    if not value:
        return "puuttuu"
    if value in DEV_SECRETS.values() or value == DEV_PORTAL_SECRET:
        return "on julkinen kehitysarvo"
    if len(value) < MIN_SECRET_CHARS:
        return f"on lyhyempi kuin {MIN_SECRET_CHARS} merkkiä"
    return None


def problems(settings: Settings) -> list[str]:
    """What makes this configuration unfit for production (empty when fit)."""
    found: list[str] = []
    secrets = {"RASA_AUTH_TOKEN": settings.rasa_auth_token, "HYTE_CHANNEL_SECRET": settings.channel_secret,
               "ADMIN_TOKEN": settings.admin_token, "INTERNAL_API_TOKEN": settings.internal_token,
               "ACTION_SERVER_TOKEN": settings.action_server_token}
    for name, value in secrets.items():
        if (why := _weak(value)) is not None:
            found.append(f"{name} {why}")
    if not settings.professional_api_keys:
        found.append("PROFESSIONAL_API_KEYS puuttuu")
    for index, key in enumerate(settings.professional_api_keys, 1):
        if (why := _weak(key)) is not None:
            found.append(f"PROFESSIONAL_API_KEYS: avain {index} {why}")
    if os.environ.get("PORTAL_JWT_SECRET", "").strip() and (why := _weak(settings.portal_jwt_secret)):
        found.append(f"PORTAL_JWT_SECRET {why} (jätä tyhjäksi, jos portaali käyttää RS256:ta)")
    if not settings.data_key:
        found.append("HYTE_DATA_KEY puuttuu (henkilötietojen salausavain ei saa olla datan vieressä)")
    if settings.demo:
        found.append("HYTE_DEMO on päällä (esimerkkikumppanit ja demoportaali)")
    if settings.smtp_tls == "off" and settings.smtp_host not in ("localhost", "127.0.0.1", "::1"):
        found.append("SMTP_TLS=off toiselle palvelimelle (sähköposti kulkisi salaamattomana)")
    if settings.redis_url:
        parts = urlsplit(settings.redis_url)
        if parts.scheme in ("redis", "rediss") and not parts.password:
            found.append("REDIS_URL ilman salasanaa (redis://:SALASANA@palvelin:6379/0)")
    return found


def enforce(settings: Settings, process: str) -> None:
    """Stop a production start with weak settings; warn loudly in development."""
    found = problems(settings)
    if not found:
        return
    listing = "\n".join(f"  - {p}" for p in found)
    if settings.production:
        raise UnsafeConfiguration(f"{process}: tuotantotilassa (HYTE_ENV=production) ei voi käynnistyä:\n"
                                  f"{listing}\nKatso README: 'Deploying for a county'.")
    log.warning("%s runs in DEVELOPMENT mode with settings that must never reach production:\n%s",
                process, listing)
