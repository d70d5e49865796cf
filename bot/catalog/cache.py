"""Search results cached in Redis, invalidated when the catalog changes.

Keys carry the catalog generation: ``hyte:search:<generation>:<hash of the query>``. An import or
sync bumps the generation (``hyte:catalog-generation``) and unlinks the old keys, so no answer
from an older catalog is served after a sync, even by another process. Without Redis (no URL,
or the server down) searches go to the database: the cache only ever makes them faster.

What comes back from Redis is only ever parsed as JSON (never unpickled) and checked: a value
that is not this code's own envelope (malformed, written by another version of the search, or by
something else sharing the server) is a cache miss and is overwritten, never an error. The key
also carries a fingerprint of the search code, so a deployment that changes the result shape
does not read the entries of the one before.

``REDIS_URL`` is read by redis-py: ``redis://:PASSWORD@host:6379/0``, with an ACL user
``redis://USER:PASSWORD@host:6379/0``, TLS ``rediss://...``; characters such as ``@ : /`` in
the password are percent-encoded (``%40 %3A %2F``).
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import logging
import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import redis

from bot.catalog import search as search_module
from bot.catalog.search import SearchQuery, SearchResult

log = logging.getLogger(__name__)

GENERATION_KEY = "hyte:catalog-generation"
PREFIX = "hyte:search:"
RETRY_AFTER_S = 30.0  # after a Redis failure, go straight to the database this long
MAX_VALUE_BYTES = 4 * 2**20  # a page of at most 100 results is far smaller
FORMAT = "hyte-search-1"
RESULT_FIELDS = frozenset(f.name for f in dataclasses.fields(SearchResult))
GENERATION = re.compile(rb"-?\d{1,20}")


def _code_fingerprint() -> str:
    """Changes whenever the search or this module changes: entries of other code are not read."""
    digest = hashlib.sha256(FORMAT.encode())
    for module_file in (search_module.__file__, __file__):
        with contextlib.suppress(OSError):
            digest.update(Path(module_file or "").read_bytes())
    return digest.hexdigest()[:12]


CODE = _code_fingerprint()


def encode(result: SearchResult) -> str:
    return json.dumps({"format": FORMAT, **dataclasses.asdict(result)}, ensure_ascii=False)


def decode(value: Any) -> SearchResult | None:
    """A cached value back as a result, or None (a miss) for anything that is not our envelope."""
    if not isinstance(value, bytes | str) or len(value) > MAX_VALUE_BYTES:
        return None
    try:
        data = json.loads(value)
    except (ValueError, RecursionError):  # JSONDecodeError, UnicodeDecodeError, absurd nesting
        return None
    if not isinstance(data, dict) or data.get("format") != FORMAT or set(data) != RESULT_FIELDS | {"format"}:
        return None
    items, total, matched = data["items"], data["total"], data["matched_text"]
    if not (isinstance(items, list) and all(isinstance(i, dict) and isinstance(i.get("id"), str) for i in items)
            and type(total) is int and total >= 0 and isinstance(matched, bool)):
        return None
    return SearchResult(items=items, total=total, matched_text=matched)


FOREIGN = b"\x00foreign"  # stands for a key holding another type (WRONGTYPE)


def _get(client: redis.Redis, key: str) -> Any:
    try:
        return client.get(key)
    except redis.ResponseError:  # e.g. WRONGTYPE: someone else's data at our key
        return FOREIGN


def _generation(raw: Any) -> str:
    if raw is None:
        return "0"
    if isinstance(raw, bytes) and GENERATION.fullmatch(raw):
        return raw.decode()
    # Not a counter of ours: still a stable key part, and invalidate() replaces it.
    return "x" + hashlib.sha256(raw if isinstance(raw, bytes) else str(raw).encode()).hexdigest()[:16]


class SearchCache:
    def __init__(self, url: str, ttl_s: int = 3600) -> None:
        self.ttl_s = ttl_s
        self._client: redis.Redis | None = None
        if url:
            try:  # a password in the URL is used by redis-py (AUTH, or HELLO with an ACL user)
                self._client = redis.Redis.from_url(url, socket_timeout=0.2, socket_connect_timeout=0.2)
            except ValueError as exc:  # the message names the problem, never the password
                log.error("REDIS_URL is not a Redis URL (%s): searching without a cache", exc)
        self._down_until = 0.0
        self.hits = self.misses = 0
        self.rejected = 0  # values found in Redis that were not ours: treated as misses

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
        return PREFIX + generation + ":" + hashlib.sha256((CODE + body).encode()).hexdigest()[:32]

    def search(self, query: SearchQuery, run: Callable[[SearchQuery], SearchResult]) -> SearchResult:
        client = self._available()
        if client is None:
            return run(query)
        try:
            key = self.key(_generation(_get(client, GENERATION_KEY)), query)
            cached = _get(client, key)
        except redis.RedisError as exc:
            self._failed(exc)
            return run(query)
        if cached is not None:
            found = decode(cached)
            if found is not None:
                self.hits += 1
                return found
            self.rejected += 1
            log.warning("Search cache held a value that is not a cached search at %s: treated as a miss", key)
        self.misses += 1
        result = run(query)
        try:
            client.set(key, encode(result), ex=self.ttl_s)  # SET replaces a foreign value of any type
        except redis.RedisError as exc:
            self._failed(exc)
        return result

    def invalidate(self) -> int:
        """A new catalog is in use: new generation, old entries removed. Returns how many."""
        client = self._client
        if client is None:
            return 0
        try:
            try:
                client.incr(GENERATION_KEY)
            except redis.ResponseError:  # not an integer, or not a string at all: start a new counter
                client.set(GENERATION_KEY, str(time.time_ns()))
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
