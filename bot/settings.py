"""One settings object for every process, read from the environment with working defaults.

Plain dataclass on purpose: the same module is imported by the Rasa environment (pydantic 1)
and by the services environment (pydantic 2).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent


DEV_PORTAL_SECRET = "dev-portal-secret-change-me"  # with it, the demo portal may mint tokens
DEVELOPMENT = "development"
PRODUCTION = "production"
# Development defaults: published on purpose so that `make run` works at once on a laptop, and
# refused in production (bot/security/production.py).
DEV_SECRETS = {
    "RASA_AUTH_TOKEN": "dev-token-change-me",
    "HYTE_CHANNEL_SECRET": "dev-channel-secret-change-me",
    "PROFESSIONAL_API_KEYS": "dev-professional-key",
    "ADMIN_TOKEN": "dev-admin-token-change-me",
    "INTERNAL_API_TOKEN": "dev-internal-token-change-me",
    "ACTION_SERVER_TOKEN": "dev-action-token-change-me",
}


def _env(name: str, default: str) -> str:
    value = os.environ.get(name, "").strip()
    return value or default


def _flag(name: str, default: bool) -> bool:
    value = os.environ.get(name, "").strip().lower()
    if not value:
        return default
    return value in ("1", "true", "yes", "on")


def _secret(name: str, production: bool) -> str:
    """A secret from the environment; its published development default only outside production."""
    return _env(name, "" if production else DEV_SECRETS[name])


@dataclass(frozen=True)
class Settings:
    environment: str  # HYTE_ENV: 'development' (default) or 'production' (refuses weak secrets)
    demo: bool  # HYTE_DEMO: demo partners, the demo portal and its token route exist only with it
    data_dir: Path
    catalog_database_url: str
    demo_catalog_dir: Path
    rasa_url: str
    action_server_url: str
    catalog_url: str
    public_url: str  # where residents' browsers reach the catalog service (links in answers)
    rasa_public_url: str  # where browsers reach Rasa's socket.io channel ('' = REST relay only)
    rasa_auth_token: str
    spacy_model: str
    http_timeout: float
    service_guidance_file: Path
    # Shared by the input channels and the action server: proves a message came through an
    # authenticated channel (professional role), so a resident cannot claim it by typing.
    channel_secret: str
    professional_api_keys: tuple[str, ...]
    personal_database_url: str  # referrals, outbox, audit log: the only home of personal data
    data_key: str  # Fernet key that encrypts personal data at rest
    smtp_host: str
    smtp_port: int
    smtp_tls: str  # SMTP_TLS: 'on' (STARTTLS, or implicit TLS on 465) or 'off' for a local development relay
    mail_from: str
    sms_gateway_url: str
    outbox_interval: float
    partners_file: Path | None  # referral partners managed from a file (None: only the admin API)
    admin_token: str
    internal_token: str  # action server -> catalog service calls that touch personal data
    retention_days: int
    portal_jwt_secret: str  # HS256 key shared with the portal ('' = HS256 off)
    portal_jwt_public_key_file: str  # the portal's RS256 public key (PEM)
    portal_jwt_audience: str
    portal_jwt_issuer: str
    portal_origins: tuple[str, ...]  # host pages allowed to embed the chat and talk to it by postMessage
    ptv_api_url: str
    ptv_area: str  # "WellbeingServiceCounty:06,15,19" or "Municipality:684,609"
    ptv_snapshot_dir: Path
    sync_interval_hours: float  # periodic sync inside the catalog service; 0 = off
    redis_url: str  # search cache; '' = no cache
    search_cache_ttl_s: int
    private_url: str  # the private listener: internal, admin and partner APIs
    action_server_token: str  # Rasa -> action server calls carry it (header X-Action-Token)
    max_message_chars: int  # every entry refuses longer messages before NLU
    max_metadata_bytes: int
    rate_per_conversation: int  # messages a minute, per conversation
    rate_per_address: int  # messages a minute, per client address (public entries)
    conversation_retention_days: int
    tracker_db_url: str  # the conversation store, for the retention job

    @property
    def production(self) -> bool:
        return self.environment == PRODUCTION

    @classmethod
    def from_env(cls) -> Settings:
        data_dir = Path(_env("HYTE_DATA_DIR", str(PROJECT_DIR / "var")))
        environment = _env("HYTE_ENV", DEVELOPMENT).lower()
        production = environment != DEVELOPMENT  # anything but an explicit 'development' is strict
        demo = _flag("HYTE_DEMO", False)
        demo_dir = Path(_env("DEMO_CATALOG_DIR", str(data_dir / "demo-catalog")))
        portal_secret = os.environ.get("PORTAL_JWT_SECRET")
        return cls(
            environment=PRODUCTION if production else DEVELOPMENT,
            demo=demo,
            data_dir=data_dir,
            catalog_database_url=_env("CATALOG_DATABASE_URL", f"sqlite:///{data_dir / 'catalog.sqlite'}"),
            demo_catalog_dir=demo_dir,
            rasa_url=_env("RASA_URL", "http://localhost:5005").rstrip("/"),
            action_server_url=_env("ACTION_SERVER_URL", "http://localhost:5055").rstrip("/"),
            catalog_url=_env("CATALOG_URL", "http://localhost:8000").rstrip("/"),
            public_url=_env("PUBLIC_URL", _env("CATALOG_URL", "http://localhost:8000")).rstrip("/"),
            rasa_public_url=os.environ.get("RASA_PUBLIC_URL", _env("RASA_URL", "http://localhost:5005")).rstrip("/"),
            rasa_auth_token=_secret("RASA_AUTH_TOKEN", production),
            spacy_model=_env("SPACY_MODEL", "spacy_fi_experimental_web_md"),
            http_timeout=float(_env("HTTP_TIMEOUT", "10")),
            service_guidance_file=Path(_env("SERVICE_GUIDANCE_FILE",
                                            str(PROJECT_DIR / "bot" / "data" / "service_guidance.csv"))),
            channel_secret=_secret("HYTE_CHANNEL_SECRET", production),
            professional_api_keys=tuple(k.strip() for k in _secret("PROFESSIONAL_API_KEYS", production)
                                        .split(",") if k.strip()),
            personal_database_url=_env("PERSONAL_DATABASE_URL", f"sqlite:///{data_dir / 'personal.sqlite'}"),
            data_key=_env("HYTE_DATA_KEY", ""),
            smtp_host=_env("SMTP_HOST", "localhost"),
            smtp_port=int(_env("SMTP_PORT", "25")),
            smtp_tls=_env("SMTP_TLS", "on").lower(),
            mail_from=_env("MAIL_FROM", "hyvinvointinavigaattori@esimerkki.example.org"),
            sms_gateway_url=_env("SMS_GATEWAY_URL", ""),
            outbox_interval=float(_env("OUTBOX_INTERVAL", "5")),
            # without PARTNERS_FILE: the demo partners with the demo flag, otherwise none from a file
            partners_file=(Path(_env("PARTNERS_FILE", str(demo_dir / "partners.yml")))
                           if demo or os.environ.get("PARTNERS_FILE", "").strip() else None),
            admin_token=_secret("ADMIN_TOKEN", production),
            internal_token=_secret("INTERNAL_API_TOKEN", production),
            retention_days=int(_env("RETENTION_DAYS", "90")),
            # unset: HS256 off, except for the demo portal; set but empty: off
            portal_jwt_secret=(portal_secret.strip() if portal_secret is not None
                               else (DEV_PORTAL_SECRET if demo and not production else "")),
            portal_jwt_public_key_file=_env("PORTAL_JWT_PUBLIC_KEY_FILE", ""),
            portal_jwt_audience=_env("PORTAL_JWT_AUDIENCE", "hyte-navigaattori"),
            portal_jwt_issuer=_env("PORTAL_JWT_ISSUER", "esimerkki-portaali"),
            ptv_api_url=_env("PTV_API_URL", "https://api.palvelutietovaranto.suomi.fi/api/v11"),
            ptv_area=_env("PTV_AREA", "WellbeingServiceCounty:06,15,19"),
            ptv_snapshot_dir=Path(_env("PTV_SNAPSHOT_DIR", str(data_dir / "ptv"))),
            sync_interval_hours=float(_env("SYNC_INTERVAL_HOURS", "0")),
            redis_url=os.environ.get("REDIS_URL", "").strip(),
            search_cache_ttl_s=int(_env("SEARCH_CACHE_TTL", "3600")),
            portal_origins=tuple(o.strip().rstrip("/") for o in _env(
                "PORTAL_ORIGINS", "http://localhost:8000,http://127.0.0.1:8000").split(",") if o.strip()),
            private_url=_env("PRIVATE_URL", "http://127.0.0.1:8001").rstrip("/"),
            action_server_token=_secret("ACTION_SERVER_TOKEN", production),
            max_message_chars=int(_env("MAX_MESSAGE_CHARS", "1000")),
            max_metadata_bytes=int(_env("MAX_METADATA_BYTES", "2048")),
            rate_per_conversation=int(_env("RATE_PER_CONVERSATION", "20")),
            rate_per_address=int(_env("RATE_PER_ADDRESS", "120")),
            conversation_retention_days=max(1, int(_env("CONVERSATION_RETENTION_DAYS", "30"))),
            tracker_db_url=_env("TRACKER_DB_URL", f"sqlite:///{_env('TRACKER_DB', str(data_dir / 'trackers.sqlite'))}"),
        )


@cache
def get_settings() -> Settings:
    return Settings.from_env()
