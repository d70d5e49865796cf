from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from bot.catalog.api import create_app
from bot.settings import Settings


@pytest.fixture()
def client(demo_engine: Engine, tmp_path) -> Iterator[TestClient]:  # type: ignore[no-untyped-def]
    settings = Settings.from_env()
    settings = Settings(**{**settings.__dict__,
                           "catalog_database_url": str(demo_engine.url),
                           "rasa_url": "http://127.0.0.1:9", "action_server_url": "http://127.0.0.1:9",
                           "personal_database_url": f"sqlite:///{tmp_path / 'personal.sqlite'}",
                           "outbox_interval": 0})
    with TestClient(create_app(settings)) as test_client:
        yield test_client


def test_search_endpoint_contract(client: TestClient) -> None:
    response = client.get("/api/services", params={"theme": "liikunta", "municipality": "684",
                                                   "target_group": "ikaantyneet", "limit": 5})
    assert response.status_code == 200
    body = response.json()
    assert 0 < len(body["items"]) <= 5
    for item in body["items"]:
        for key in ("id", "name", "summary", "provider", "address", "phone", "email", "web_page",
                    "opening_hours", "charge_type", "languages"):
            assert key in item
        assert "esimerkkiaineisto" in item["summary"].lower()


def test_bad_parameters_get_clear_errors(client: TestClient) -> None:
    assert client.get("/api/services", params={"municipality": "999"}).status_code == 422
    assert client.get("/api/services", params={"theme": "golf"}).status_code == 422
    assert client.get("/api/services", params={"limit": 0}).status_code == 422


def test_details_and_404(client: TestClient) -> None:
    item = client.get("/api/services", params={"municipality": "609", "limit": 1}).json()["items"][0]
    details = client.get(f"/api/services/{item['id']}").json()
    assert details["name"] == item["name"] and "description" in details
    assert client.get("/api/services/does-not-exist").status_code == 404


def test_health_reports_missing_rasa(client: TestClient) -> None:
    response = client.get("/health")
    assert response.status_code == 503
    assert response.json()["catalog_services"] > 1000


def test_openapi_and_website(client: TestClient) -> None:
    assert "/api/services" in client.get("/openapi.json").json()["paths"]
    page = client.get("/")
    assert page.status_code == 200 and 'lang="fi"' in page.text and "widget.js" in page.text
    assert client.get("/widget/widget.js").status_code == 200


def test_chat_relay_answers_in_finnish_when_rasa_is_down(client: TestClient) -> None:
    response = client.post("/api/chat", json={"message": "hei"})
    assert "Yritä hetken päästä uudelleen" in response.json()[0]["text"]
    assert response.headers["X-Conversation-Id"].startswith("web-")


def test_openapi_documents_the_search_with_examples(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    search = spec["paths"]["/api/services"]["get"]
    params = {p["name"]: p for p in search["parameters"]}
    assert params["theme"]["schema"].get("examples") == ["liikunta"] or params["theme"].get("examples")
    assert "municipality" in params and "free_only" in params and "accessible" in params
    assert spec["components"]["schemas"]["SearchResponse"].get("examples")
    assert "/api/professional/send" in spec["paths"]
    # the private listener's routes are neither served nor documented on the public one
    assert not [path for path in spec["paths"] if path.startswith(("/api/partner", "/api/admin", "/api/referrals"))]
    assert client.get("/api/admin/partners").status_code == 404
    assert client.post("/api/referrals/drafts", json={}).status_code == 404


def test_public_pages_carry_security_headers(client: TestClient) -> None:
    assert client.get("/").headers["Content-Security-Policy"] == "frame-ancestors 'self'"
    # the static file behind /embed/ too, not only the /embed route
    embed = client.get("/embed/index.html")
    assert embed.status_code == 200 and "frame-ancestors http" in embed.headers["Content-Security-Policy"]
    assert client.get("/embed").headers["Content-Security-Policy"].startswith("frame-ancestors http")


def test_demo_portal_exists_only_with_the_demo_flag(client: TestClient) -> None:
    assert client.get("/portaali").status_code == 404  # the fixture's settings have no demo flag
    assert client.post("/demo/portal-token", json={}).status_code in (404, 405)


def test_chat_relay_refuses_conversation_ids_it_did_not_issue(client: TestClient) -> None:
    for sender in ("t", "web-" + "a" * 32 + "." + "b" * 32, "portal-0123"):
        response = client.post("/api/chat", json={"sender": sender, "message": "hei"})
        assert response.status_code == 403 and "Aloita uusi keskustelu" in response.json()["error"]
    issued = client.post("/api/chat/session").json()["sender"]
    assert client.post("/api/chat", json={"sender": issued, "message": "hei"}).status_code == 200


def test_chat_relay_refuses_long_messages_before_rasa(client: TestClient) -> None:
    response = client.post("/api/chat", json={"message": "a" * 5000})
    assert response.status_code == 413 and "liian pitkä" in response.json()["error"]


def test_position_by_postal_code_sets_municipality_and_distance(client: TestClient) -> None:
    body = client.get("/api/services", params={"theme": "liikunta", "postal_code": "26100", "limit": 20}).json()
    local = [i for i in body["items"] if i["scope"] == "local"]
    assert local and all(i["municipality"] == "Rauma" for i in local)
    distances = [i["distance_km"] for i in local]
    assert None not in distances and distances == sorted(distances)


@pytest.mark.parametrize("params, words", [
    ({"lat": "61.1"}, "sekä leveysaste"),
    ({"lat": "161.1", "lon": "21.5"}, "ei ole kelvollinen"),
    ({"postal_code": "00999"}, "Postinumeroa 00999 ei tunneta"),
])
def test_bad_position_gets_a_finnish_error(client: TestClient, params: dict[str, str], words: str) -> None:
    response = client.get("/api/services", params={"theme": "liikunta", **params})
    assert response.status_code == 422
    assert words in response.json()["detail"]


def test_oversized_requests_are_refused_before_parsing(client: TestClient) -> None:
    response = client.post("/api/chat", content=b'{"message": "' + b"a" * 300_000 + b'"}',
                           headers={"content-type": "application/json"})
    assert response.status_code == 413 and "liian suuri" in response.json()["error"]


def test_the_retention_job_deletes_old_conversations(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import sqlite3
    import time

    from bot.catalog.api import _forget_old_conversations

    db = tmp_path / "trackers.sqlite"
    with sqlite3.connect(db) as conn:
        conn.execute("create table events (id integer primary key, sender_id text, type_name text, timestamp real, "
                     "intent_name text, action_name text, data text)")
        conn.executemany("insert into events (sender_id, type_name, timestamp, data) values (?, 'user', ?, '{}')",
                         [("old", time.time() - 40 * 86400), ("new", time.time() - 3600)])
    settings = Settings(**{**Settings.from_env().__dict__, "tracker_db_url": f"sqlite:///{db}",
                           "conversation_retention_days": 30})
    _forget_old_conversations(settings)
    with sqlite3.connect(db) as conn:
        assert [r[0] for r in conn.execute("select sender_id from events")] == ["new"]
