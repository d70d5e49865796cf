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
    answer = client.post("/api/chat", json={"sender": "t", "message": "hei"}).json()
    assert "Yritä hetken päästä uudelleen" in answer[0]["text"]


def test_openapi_documents_the_search_with_examples(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    search = spec["paths"]["/api/services"]["get"]
    params = {p["name"]: p for p in search["parameters"]}
    assert params["theme"]["schema"].get("examples") == ["liikunta"] or params["theme"].get("examples")
    assert "municipality" in params and "free_only" in params and "accessible" in params
    assert spec["components"]["schemas"]["SearchResponse"].get("examples")
    assert "/api/professional/send" in spec["paths"] and "/api/partner/referrals" in spec["paths"]


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
