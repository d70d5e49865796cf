"""Bounded input at every entry: message length, metadata size, and messages a minute.

The limits are checked before a message reaches NLU: one 100 kB message used to keep the Rasa
server busy for tens of seconds and every other conversation waited behind it.
"""

from __future__ import annotations

import json
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

TOO_LONG = "Viesti on liian pitkä. Kirjoita enintään {limit} merkkiä kerrallaan."
METADATA_TOO_LARGE = "Viestin lisätiedot ovat liian suuret."
TOO_MANY = "Viestejä tulee nyt liian tiheään. Odota hetki ja yritä sitten uudelleen."


def message_refusal(text: object, metadata: object, max_chars: int, max_metadata_bytes: int) -> str | None:
    """A Finnish reason to refuse the message, or None when it is within bounds."""
    if isinstance(text, str) and len(text) > max_chars:
        return TOO_LONG.format(limit=max_chars)
    if metadata is not None:
        try:
            size = len(json.dumps(metadata, ensure_ascii=False).encode())
        except (TypeError, ValueError):
            return METADATA_TOO_LARGE
        if size > max_metadata_bytes:
            return METADATA_TOO_LARGE
    return None


@dataclass
class _Bucket:
    tokens: float
    updated: float


class RateLimiter:
    """Token buckets per key (conversation id, client address): ``per_minute`` messages a minute,
    bursts up to the same number. In-process: each replica limits what it receives."""

    def __init__(self, per_minute: int, max_keys: int = 100_000) -> None:
        self.per_minute = per_minute
        self.max_keys = max_keys
        self._buckets: OrderedDict[str, _Bucket] = OrderedDict()
        self._lock = threading.Lock()

    def allow(self, key: str, now: float | None = None) -> bool:
        if self.per_minute <= 0:
            return True
        now = time.monotonic() if now is None else now
        rate = self.per_minute / 60.0
        with self._lock:
            bucket = self._buckets.pop(key, None) or _Bucket(float(self.per_minute), now)
            bucket.tokens = min(float(self.per_minute), bucket.tokens + (now - bucket.updated) * rate)
            bucket.updated = now
            allowed = bucket.tokens >= 1.0
            if allowed:
                bucket.tokens -= 1.0
            self._buckets[key] = bucket
            while len(self._buckets) > self.max_keys:
                self._buckets.popitem(last=False)
            return allowed


class EntryGuard:
    """The checks one entry makes for each message: size, then rate per conversation and address."""

    def __init__(self, max_chars: int, max_metadata_bytes: int, per_conversation: int, per_address: int) -> None:
        self.max_chars = max_chars
        self.max_metadata_bytes = max_metadata_bytes
        self.conversations = RateLimiter(per_conversation)
        self.addresses = RateLimiter(per_address)

    @classmethod
    def from_settings(cls, settings: Any) -> EntryGuard:
        return cls(settings.max_message_chars, settings.max_metadata_bytes, settings.rate_per_conversation,
                   settings.rate_per_address)

    def refusal(self, text: object, metadata: object, conversation: str | None,
                address: str | None) -> tuple[int, str] | None:
        """(HTTP status, Finnish reason) when the message must be refused, else None."""
        reason = message_refusal(text, metadata, self.max_chars, self.max_metadata_bytes)
        if reason:
            return 413, reason
        if conversation and not self.conversations.allow(conversation):
            return 429, TOO_MANY
        if address and not self.addresses.allow(address):
            return 429, TOO_MANY
        return None
