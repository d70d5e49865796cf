from __future__ import annotations

import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, update

from bot.catalog.api import PRIVATE, PUBLIC, create_app
from bot.personal.store import PartnerRow
from bot.referrals.partners import token_hash
from bot.settings import Settings

INTERNAL = {"X-Internal-Token": "test-internal"}
ADMIN = {"Authorization": "Bearer test-admin"}
PRO = {"X-Api-Key": "test-pro"}


@pytest.fixture()
def client(demo_engine: Engine, demo_dir: Path, tmp_path: Path) -> Iterator[TestClient]:
    base = Settings.from_env()
    settings = Settings(**{**base.__dict__, "catalog_database_url": str(demo_engine.url),
                           "rasa_url": "http://127.0.0.1:9", "action_server_url": "http://127.0.0.1:9",
                           "personal_database_url": f"sqlite:///{tmp_path / 'personal.sqlite'}",
                           "partners_file": demo_dir / "partners.yml", "internal_token": "test-internal",
                           "admin_token": "test-admin", "professional_api_keys": ("test-pro",),
                           "outbox_interval": 0})
    with TestClient(create_app(settings, surfaces=(PUBLIC, PRIVATE))) as test_client:
        yield test_client


def partner_service(client: TestClient, partner_id: str = "porin-liikuntapalvelut") -> str:
    partners = client.get("/api/admin/partners", headers=ADMIN).json()
    return str(next(p for p in partners if p["id"] == partner_id)["service_ids"][0])


def inbox_headers(client: TestClient, partner_id: str) -> dict[str, str]:
    """A fresh inbox token for a partner (the demo file keeps only hashes of tokens printed once)."""
    token = secrets.token_urlsafe(16)
    with client.app.state.personal_engine.begin() as conn:  # type: ignore[attr-defined]
        conn.execute(update(PartnerRow).where(PartnerRow.id == partner_id)
                     .values(inbox_token_sha256=token_hash(token)))
    return {"Authorization": f"Bearer {token}"}


def make_draft(client: TestClient, **fields: str) -> str:
    """A referral draft filled field by field, as the chat fills it; its id."""
    draft_id = None
    for field, value in fields.items():
        response = client.post("/api/referrals/drafts", headers=INTERNAL,
                               json={"draft_id": draft_id, "field": field, "value": value})
        assert response.status_code == 200, response.text
        draft_id = response.json()["draft_id"]
    assert draft_id
    return draft_id
