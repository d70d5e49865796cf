"""The search cache on a real Redis, with the catalog on both stores."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from bot.catalog.api import create_app
from bot.catalog.cache import SearchCache, invalidate
from bot.catalog.importer import import_catalog
from bot.catalog.search import SearchQuery, SearchResult
from bot.settings import Settings

QUERY = {"q": "uimahalli", "municipality": "905"}


def _renamed_copy(ptv_real_dir: Path, target: Path) -> Path:
    """The real records, with the swimming hall renamed, as the next PTV sync would bring it."""
    shutil.copytree(ptv_real_dir, target)
    path = next(p for p in (target / "services").glob("*.json")
                if '"Uimahalli"' in p.read_text(encoding="utf-8"))
    record = json.loads(path.read_text(encoding="utf-8"))
    for name in record["serviceNames"]:
        if name["value"] == "Uimahalli":
            name["value"] = "Kaupungin uimahalli"
    path.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    return target


@pytest.fixture()
def cached_client(catalog_url: str, redis_url: str, ptv_real_dir: Path, tmp_path: Path) -> Iterator[TestClient]:
    import_catalog(catalog_url, ptv_real_dir)
    invalidate(redis_url)  # nothing left from other tests
    base = Settings.from_env()
    settings = Settings(**{**base.__dict__, "catalog_database_url": catalog_url, "redis_url": redis_url,
                           "rasa_url": "http://127.0.0.1:9", "action_server_url": "http://127.0.0.1:9",
                           "personal_database_url": f"sqlite:///{tmp_path / 'personal.sqlite'}",
                           "outbox_interval": 0})
    with TestClient(create_app(settings)) as client:
        yield client


def _names(client: TestClient) -> list[str]:
    response = client.get("/api/services", params=QUERY)
    assert response.status_code == 200
    return [item["name"] for item in response.json()["items"]]


def test_repeated_search_is_served_from_the_cache(cached_client: TestClient) -> None:
    cache: SearchCache = cached_client.app.state.search_cache  # type: ignore[attr-defined]
    first = _names(cached_client)
    assert "Uimahalli" in first
    assert (cache.hits, cache.misses) == (0, 1)
    assert _names(cached_client) == first
    assert (cache.hits, cache.misses) == (1, 1)


def test_import_with_invalidation_is_seen_at_once(cached_client: TestClient, catalog_url: str, redis_url: str,
                                                   ptv_real_dir: Path, tmp_path: Path) -> None:
    assert "Uimahalli" in _names(cached_client)
    import_catalog(catalog_url, _renamed_copy(ptv_real_dir, tmp_path / "next"))
    invalidate(redis_url)  # what `python -m bot.catalog import|sync` does after a new catalog
    names = _names(cached_client)
    assert "Kaupungin uimahalli" in names and "Uimahalli" not in names


def test_without_invalidation_the_cache_answers(cached_client: TestClient, catalog_url: str,
                                                ptv_real_dir: Path, tmp_path: Path) -> None:
    """On PostgreSQL the cache is what answers until it is invalidated; on SQLite the service
    notices the swapped-in file by itself and empties the cache."""
    assert "Uimahalli" in _names(cached_client)
    import_catalog(catalog_url, _renamed_copy(ptv_real_dir, tmp_path / "next"))
    names = _names(cached_client)
    if catalog_url.startswith("sqlite"):
        assert "Kaupungin uimahalli" in names and "Uimahalli" not in names
    else:
        assert "Uimahalli" in names


def test_redis_down_means_no_cache_not_an_error() -> None:
    cache = SearchCache("redis://127.0.0.1:9/0")
    calls: list[SearchQuery] = []

    def run(query: SearchQuery) -> SearchResult:
        calls.append(query)
        return SearchResult(items=[{"id": "x"}], total=1)

    for _ in range(3):
        assert cache.search(SearchQuery(q="uinti"), run).total == 1
    assert len(calls) == 3 and cache.hits == 0
    assert cache.invalidate() == 0


def test_no_url_no_cache() -> None:
    assert not SearchCache("").enabled
    assert invalidate("") == 0
