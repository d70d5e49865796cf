"""Masking personal data out of conversation events before they are stored.

Used by the Rasa tracker store: every message a resident types while the referral asks for their
name, contact details, contact time or message is replaced as a whole; phone numbers, email
addresses and henkilötunnus are masked wherever they appear; bot messages marked personal (the
read-back of a referral) are replaced too. Slot values never hold personal data in the first place.
"""

from __future__ import annotations

import copy
import re
from typing import Any

MASK = "[henkilötieto poistettu]"
STAGE_SLOT = "referral_stage"
PERSONAL_STAGES = frozenset({"name", "contact", "contact_time", "message"})
PERSONAL_MARK = "personal"

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_HETU = re.compile(r"\b\d{6}[-+A-FU-Y]\d{3}[0-9A-Y]\b", re.IGNORECASE)
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}|\d{1,2}\.\d{1,2}\.\d{4}")
_PHONE = re.compile(r"(?<![\w])(?:\+|00)?\d(?:[\s().-]?\d){7,14}(?![\w])")


def mask_text(text: str) -> str:
    text = _EMAIL.sub(MASK, text)
    text = _HETU.sub(MASK, text)
    return _PHONE.sub(lambda m: m.group(0) if _DATE.fullmatch(m.group(0)) else MASK, text)


def _mask_user(event: dict[str, Any], whole: bool) -> None:
    text = event.get("text") or ""
    masked = MASK if whole and text and not text.startswith("/") else mask_text(text)
    event["text"] = masked
    parse = event.get("parse_data")
    if isinstance(parse, dict):
        parse["text"] = masked
        if whole:
            parse["entities"] = []


def _is_personal_bot(event: dict[str, Any]) -> bool:
    data = event.get("data") or {}
    custom = data.get("custom") if isinstance(data, dict) else None
    return isinstance(custom, dict) and custom.get("type") == PERSONAL_MARK


def mask_events(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Masked copies of the events, in order."""
    stage: str | None = None
    out: list[dict[str, Any]] = []
    for original in events:
        event = copy.deepcopy(original)
        kind = event.get("event")
        if kind == "slot" and event.get("name") == STAGE_SLOT:
            stage = event.get("value")
        elif kind == "user":
            _mask_user(event, whole=stage in PERSONAL_STAGES)
        elif kind == "bot":
            if _is_personal_bot(event):
                event["text"] = MASK
                event["data"] = {}
            elif event.get("text"):
                event["text"] = mask_text(event["text"])
        elif kind == "restart" or kind == "session_started":
            stage = None
        out.append(event)
    return out
