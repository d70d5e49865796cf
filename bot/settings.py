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
    rasa_auth_token: str
    spacy_model: str
    http_timeout: float

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
            rasa_auth_token=_env("RASA_AUTH_TOKEN", "dev-token-change-me"),
            spacy_model=_env("SPACY_MODEL", "spacy_fi_experimental_web_md"),
            http_timeout=float(_env("HTTP_TIMEOUT", "10")),
        )


@cache
def get_settings() -> Settings:
    return Settings.from_env()
