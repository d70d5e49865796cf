"""The search cache on a real Redis, with the catalog on both stores."""

from __future__ import annotations

import dataclasses
import json
import os
import pickle
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import redis
from fastapi.testclient import TestClient

from bot.catalog.api import create_app
from bot.catalog.cache import (
    FORMAT,
    GENERATION,
    GENERATION_KEY,
    MAX_VALUE_BYTES,
    PREFIX,
    SearchCache,
    decode,
    encode,
    invalidate,
)
from bot.catalog.importer import import_catalog
from bot.catalog.search import SearchQuery, SearchResult
from bot.settings import Settings
from bot.testing.servers import free_port

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


class _Exploit:
    """Would run a command if anything unpickled what the cache reads."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[Any, ...]:
        return (os.system, (f"touch {self.marker}",))


def _only_cached_key(client: redis.Redis) -> bytes:
    keys = list(client.scan_iter(match=PREFIX + "*"))
    assert len(keys) == 1
    return keys[0]


def test_malformed_or_foreign_values_are_misses_not_errors(cached_client: TestClient, redis_url: str,
                                                          tmp_path: Path) -> None:
    cache: SearchCache = cached_client.app.state.search_cache  # type: ignore[attr-defined]
    first = _names(cached_client)
    client = redis.Redis.from_url(redis_url)
    key = _only_cached_key(client)
    marker = tmp_path / "unpickled"
    old_shape = json.dumps(dataclasses.asdict(SearchResult(items=[{"id": "x"}], total=1)))  # no envelope
    foreign = [
        b"\x80\x81\xfe not UTF-8",
        b"{not json",
        pickle.dumps(_Exploit(marker)),
        pickle.dumps(SearchResult(items=[{"id": "x"}], total=1)),
        b"[" * 100_000 + b"]" * 100_000,
        old_shape.encode(),
        json.dumps({"format": FORMAT, "items": "x", "total": 1, "matched_text": True}).encode(),
        json.dumps({"format": FORMAT, "items": [{"name": "no id"}], "total": 1, "matched_text": True}).encode(),
        json.dumps({"format": FORMAT, "items": [], "total": -1, "matched_text": True}).encode(),
        json.dumps({"format": FORMAT, "items": [], "total": 0, "matched_text": True, "extra": 1}).encode(),
        b"",
    ]
    for number, value in enumerate(foreign, 1):
        client.set(key, value)
        assert _names(cached_client) == first, value[:40]
        assert cache.rejected == number
        assert decode(client.get(key)) is not None  # replaced by a good entry at once
    client.delete(key)
    client.rpush(key, "a list, not a string")  # WRONGTYPE for GET
    assert _names(cached_client) == first
    hits = cache.hits
    assert _names(cached_client) == first and cache.hits == hits + 1  # the entry works again
    assert not marker.exists()


def test_a_foreign_generation_value_is_survived_and_replaced(cached_client: TestClient, redis_url: str) -> None:
    client = redis.Redis.from_url(redis_url)
    first = _names(cached_client)
    for value in (b"\xff\xfe", b"not a number"):
        client.set(GENERATION_KEY, value)
        assert _names(cached_client) == first
        assert invalidate(redis_url) >= 1  # INCR fails on it: a new counter is started
        assert GENERATION.fullmatch(client.get(GENERATION_KEY) or b"")
    client.delete(GENERATION_KEY)
    client.hset(GENERATION_KEY, "a", "hash")  # another type altogether
    assert _names(cached_client) == first
    invalidate(redis_url)
    assert GENERATION.fullmatch(client.get(GENERATION_KEY) or b"")
    assert _names(cached_client) == first


def _search_twice(cache: SearchCache) -> list[int]:
    calls: list[int] = []

    def run(query: SearchQuery) -> SearchResult:
        calls.append(1)
        return SearchResult(items=[{"id": "x"}], total=1)

    for _ in range(2):
        assert cache.search(SearchQuery(q="uinti"), run).items == [{"id": "x"}]
    return calls


def test_a_password_in_redis_url_is_used(redis_url: str) -> None:
    """An ACL user (redis://USER:PASSWORD@host/db), the password percent-encoded."""
    admin = redis.Redis.from_url(redis_url)
    admin.execute_command("ACL", "SETUSER", "hyte-cache", "on", ">s3cr@t:/pw", "~hyte:*", "+@all")
    try:
        with_password = redis_url.replace("redis://", "redis://hyte-cache:s3cr%40t%3A%2Fpw@")
        cache = SearchCache(with_password)
        cache.invalidate()
        assert len(_search_twice(cache)) == 1 and cache.hits == 1
        assert invalidate(with_password) >= 1
        wrong = SearchCache(redis_url.replace("redis://", "redis://hyte-cache:wrong@"))
        assert len(_search_twice(wrong)) == 2 and wrong.hits == 0  # no cache, no error
    finally:
        admin.execute_command("ACL", "DELUSER", "hyte-cache")


def test_a_server_with_requirepass(tmp_path: Path) -> None:
    """The default user's password (redis://:PASSWORD@host/db), on a server of its own."""
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("redis-server is not installed")
    port = free_port()
    server = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--dir", str(tmp_path),
                               "--save", "", "--appendonly", "no", "--requirepass", "pass word"],
                              stdout=subprocess.DEVNULL)
    try:
        url = f"redis://:pass%20word@127.0.0.1:{port}/0"
        deadline = time.monotonic() + 15
        while True:
            try:
                redis.Redis.from_url(url).ping()
                break
            except redis.ConnectionError:
                assert time.monotonic() < deadline and server.poll() is None, "redis-server did not start"
                time.sleep(0.05)
        cache = SearchCache(url)
        assert len(_search_twice(cache)) == 1 and cache.hits == 1
        no_password = SearchCache(f"redis://127.0.0.1:{port}/0")
        assert len(_search_twice(no_password)) == 2 and no_password.hits == 0
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_decode_accepts_only_its_own_envelope() -> None:
    result = SearchResult(items=[{"id": "a", "name": "Uimahalli"}], total=3, matched_text=False)
    assert decode(encode(result)) == result
    assert decode(encode(result).encode()) == result
    for value in (None, 42, b"null", b"{}", b'"text"', b"x" * (MAX_VALUE_BYTES + 1)):
        assert decode(value) is None


def test_an_invalid_redis_url_means_no_cache() -> None:
    assert not SearchCache("http://127.0.0.1:6379/0").enabled
