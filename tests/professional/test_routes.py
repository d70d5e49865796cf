"""Professional API through the real FastAPI app: send a service to a client, print view."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from bot.catalog.api import create_app
from bot.outbox import deliver_due
from bot.outbox.senders import SmtpSender
from bot.personal.store import AuditRow, OutboxRow
from bot.settings import Settings
from tests.conftest import MailBox

KEY = "test-professional-key"


@pytest.fixture()
def client(demo_engine: Engine, tmp_path: Path) -> Iterator[TestClient]:
    base = Settings.from_env()
    settings = Settings(**{**base.__dict__, "catalog_database_url": str(demo_engine.url),
                           "rasa_url": "http://127.0.0.1:9", "action_server_url": "http://127.0.0.1:9",
                           "personal_database_url": f"sqlite:///{tmp_path / 'personal.sqlite'}",
                           "professional_api_keys": (KEY,), "outbox_interval": 0})
    with TestClient(create_app(settings)) as test_client:
        yield test_client


def _service_id(client: TestClient) -> str:
    items = client.get("/api/services", params={"theme": "liikunta", "municipality": "684"}).json()["items"]
    return str(items[0]["id"])


def test_send_by_email_is_queued_encrypted_and_delivered(client: TestClient,
                                                         smtp_server: tuple[int, MailBox]) -> None:
    service_id = _service_id(client)
    response = client.post("/api/professional/send", headers={"X-Api-Key": KEY, "Idempotency-Key": "s-1"},
                           json={"service_id": service_id, "channel": "email", "to": "asiakas@esimerkki.fi",
                                 "note": "Ryhmä alkaa tiistaina."})
    assert response.status_code == 202, response.text
    assert response.json()["duplicate"] is False
    again = client.post("/api/professional/send", headers={"X-Api-Key": KEY, "Idempotency-Key": "s-1"},
                        json={"service_id": service_id, "channel": "email", "to": "asiakas@esimerkki.fi"})
    assert again.json() == {**response.json(), "duplicate": True, "status": "queued earlier"}
    engine = client.app.state.personal_engine  # type: ignore[attr-defined]
    port, box = smtp_server
    assert deliver_due(engine, {"email": SmtpSender("127.0.0.1", port, "bot@esimerkki.fi", tls="off")}).sent == 1
    (mail,) = box.messages
    body = mail.get_content()
    assert mail["To"] == "asiakas@esimerkki.fi" and "Ryhmä alkaa tiistaina." in body
    assert "Esimerkkiaineisto" in body and "Puhelin:" in body
    status = client.get(f"/api/professional/outbox/{response.json()['id']}", headers={"X-Api-Key": KEY}).json()
    assert status["status"] == "sent"
    with engine.connect() as conn:
        assert "asiakas" not in conn.execute(select(OutboxRow.recipient_enc)).scalar_one()
        assert conn.execute(select(AuditRow.actor)).scalars().first().startswith("professional:")


def test_sms_number_is_validated(client: TestClient) -> None:
    service_id = _service_id(client)
    bad = client.post("/api/professional/send", headers={"X-Api-Key": KEY},
                      json={"service_id": service_id, "channel": "sms", "to": "040 12"})
    assert bad.status_code == 422 and "Puhelinnumero" in bad.json()["detail"]
    ok = client.post("/api/professional/send", headers={"X-Api-Key": KEY},
                     json={"service_id": service_id, "channel": "sms", "to": "040 123 4567"})
    assert ok.status_code == 202


@pytest.mark.parametrize("headers", [{}, {"X-Api-Key": "wrong"}, {"X-Api-Key": ""}])
def test_wrong_key_is_refused_and_nothing_is_stored(client: TestClient, headers: dict[str, str]) -> None:
    response = client.post("/api/professional/send", headers=headers,
                           json={"service_id": "x", "channel": "sms", "to": "0401234567"})
    assert response.status_code == 401 and "API-avain" in response.json()["detail"]
    with client.app.state.personal_engine.connect() as conn:  # type: ignore[attr-defined]
        assert conn.execute(select(OutboxRow.id)).first() is None


def test_unknown_service(client: TestClient) -> None:
    response = client.post("/api/professional/send", headers={"X-Api-Key": KEY},
                           json={"service_id": "ei-ole", "channel": "email", "to": "a@esimerkki.fi"})
    assert response.status_code == 404


def test_print_view_is_one_clean_page(client: TestClient) -> None:
    items = client.get("/api/services", params={"theme": "kulttuuri", "municipality": "609", "limit": 3}).json()
    ids = [i["id"] for i in items["items"]]
    page = client.get("/print", params={"ids": ",".join([*ids, "poistettu-palvelu"])})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    html = page.text
    assert '<html lang="fi">' in html and "@media print" in html and "Esimerkkiaineisto" in html
    assert all(item["name"].replace("&", "&amp;") in html for item in items["items"])
    assert html.count("<section>") == len(ids) and "1 palvelua ei löytynyt" in html
    assert client.get("/print", params={"ids": " , "}).status_code == 422


def test_print_view_escapes_html(client: TestClient) -> None:
    from bot.catalog.print_view import render

    html = render([{"name": "<script>alert(1)</script>", "provider": "A & B", "summary": ""}])
    assert "<script>alert" not in html and "&lt;script&gt;" in html and "A &amp; B" in html
