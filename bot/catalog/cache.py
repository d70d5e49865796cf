"""Search results cached in Redis, invalidated when the catalog changes.

Keys carry the catalog generation: ``hyte:search:<generation>:<hash of the query>``. An import or
sync bumps the generation (``hyte:catalog-generation``) and unlinks the old keys, so no answer
from an older catalog is served after a sync, even by another process. Without Redis (no URL,
or the server down) searches go to the database: the cache only ever makes them faster.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import time
from collections.abc import Callable
from typing import Any

import redis

from bot.catalog.search import SearchQuery, SearchResult

log = logging.getLogger(__name__)

GENERATION_KEY = "hyte:catalog-generation"
PREFIX = "hyte:search:"
RETRY_AFTER_S = 30.0  # after a Redis failure, go straight to the database this long


class SearchCache:
    def __init__(self, url: str, ttl_s: int = 3600) -> None:
        self.ttl_s = ttl_s
        self._client: redis.Redis | None = (
            redis.Redis.from_url(url, socket_timeout=0.2, socket_connect_timeout=0.2) if url else None)
        self._down_until = 0.0
        self.hits = self.misses = 0

    @property
    def enabled(self) -> bool:
        return self._client is not None

    def _available(self) -> redis.Redis | None:
        if self._client is None or time.monotonic() < self._down_until:
            return None
        return self._client

    def _failed(self, exc: Exception) -> None:
        if time.monotonic() >= self._down_until:
            log.warning("Search cache unavailable (%s): searching without it for %.0f s", exc, RETRY_AFTER_S)
        self._down_until = time.monotonic() + RETRY_AFTER_S

    @staticmethod
    def key(generation: str, query: SearchQuery) -> str:
        body = json.dumps(dataclasses.asdict(query), sort_keys=True, ensure_ascii=False, default=str)
        return PREFIX + generation + ":" + hashlib.sha256(body.encode()).hexdigest()[:32]

    def search(self, query: SearchQuery, run: Callable[[SearchQuery], SearchResult]) -> SearchResult:
        client = self._available()
        if client is None:
            return run(query)
        try:
            raw = client.get(GENERATION_KEY)
            generation = raw.decode() if isinstance(raw, bytes) else str(raw or "0")
            key = self.key(generation, query)
            cached = client.get(key)
        except redis.RedisError as exc:
            self._failed(exc)
            return run(query)
        if cached is not None:
            self.hits += 1
            data: dict[str, Any] = json.loads(cached)
            return SearchResult(**data)
        self.misses += 1
        result = run(query)
        try:
            client.set(key, json.dumps(dataclasses.asdict(result), ensure_ascii=False), ex=self.ttl_s)
        except redis.RedisError as exc:
            self._failed(exc)
        return result

    def invalidate(self) -> int:
        """A new catalog is in use: new generation, old entries removed. Returns how many."""
        client = self._client
        if client is None:
            return 0
        try:
            client.incr(GENERATION_KEY)
            removed = 0
            batch: list[bytes] = []
            for key in client.scan_iter(match=PREFIX + "*", count=1000):
                batch.append(key)
                if len(batch) >= 1000:
                    removed += int(client.unlink(*batch))
                    batch.clear()
            if batch:
                removed += int(client.unlink(*batch))
            return removed
        except redis.RedisError as exc:
            # The generation may not have moved: entries then expire with their TTL.
            log.warning("Could not invalidate the search cache: %s", exc)
            return 0


def invalidate(url: str) -> int:
    """For processes that changed the catalog (import, `make sync`)."""
    return SearchCache(url).invalidate() if url else 0
