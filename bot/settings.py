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


def _env(name: str, default: str) -> str:
    value = os.environ.get(name, "").strip()
    return value or default


@dataclass(frozen=True)
class Settings:
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
    mail_from: str
    sms_gateway_url: str
    outbox_interval: float
    partners_file: Path
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

    @classmethod
    def from_env(cls) -> Settings:
        data_dir = Path(_env("HYTE_DATA_DIR", str(PROJECT_DIR / "var")))
        return cls(
            data_dir=data_dir,
            catalog_database_url=_env("CATALOG_DATABASE_URL", f"sqlite:///{data_dir / 'catalog.sqlite'}"),
            demo_catalog_dir=Path(_env("DEMO_CATALOG_DIR", str(data_dir / "demo-catalog"))),
            rasa_url=_env("RASA_URL", "http://localhost:5005").rstrip("/"),
            action_server_url=_env("ACTION_SERVER_URL", "http://localhost:5055").rstrip("/"),
            catalog_url=_env("CATALOG_URL", "http://localhost:8000").rstrip("/"),
            public_url=_env("PUBLIC_URL", _env("CATALOG_URL", "http://localhost:8000")).rstrip("/"),
            rasa_public_url=os.environ.get("RASA_PUBLIC_URL", _env("RASA_URL", "http://localhost:5005")).rstrip("/"),
            rasa_auth_token=_env("RASA_AUTH_TOKEN", "dev-token-change-me"),
            spacy_model=_env("SPACY_MODEL", "spacy_fi_experimental_web_md"),
            http_timeout=float(_env("HTTP_TIMEOUT", "10")),
            service_guidance_file=Path(_env("SERVICE_GUIDANCE_FILE",
                                            str(PROJECT_DIR / "bot" / "data" / "service_guidance.csv"))),
            channel_secret=_env("HYTE_CHANNEL_SECRET", "dev-channel-secret-change-me"),
            professional_api_keys=tuple(k for k in _env("PROFESSIONAL_API_KEYS", "dev-professional-key")
                                        .split(",") if k.strip()),
            personal_database_url=_env("PERSONAL_DATABASE_URL", f"sqlite:///{data_dir / 'personal.sqlite'}"),
            data_key=_env("HYTE_DATA_KEY", ""),
            smtp_host=_env("SMTP_HOST", "localhost"),
            smtp_port=int(_env("SMTP_PORT", "25")),
            mail_from=_env("MAIL_FROM", "hyvinvointinavigaattori@esimerkki.example.org"),
            sms_gateway_url=_env("SMS_GATEWAY_URL", ""),
            outbox_interval=float(_env("OUTBOX_INTERVAL", "5")),
            partners_file=Path(_env("PARTNERS_FILE", str(Path(_env("DEMO_CATALOG_DIR", str(data_dir / "demo-catalog")))
                                                          / "partners.yml"))),
            admin_token=_env("ADMIN_TOKEN", "dev-admin-token-change-me"),
            internal_token=_env("INTERNAL_API_TOKEN", "dev-internal-token-change-me"),
            retention_days=int(_env("RETENTION_DAYS", "90")),
            portal_jwt_secret=_env("PORTAL_JWT_SECRET", DEV_PORTAL_SECRET),
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
        )


@cache
def get_settings() -> Settings:
    return Settings.from_env()
