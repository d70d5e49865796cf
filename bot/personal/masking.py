"""Masking personal data out of conversation events before they are stored or streamed.

Used by the Rasa tracker store (``bot/rasa/masking_tracker_store.py``) for the conversation log
and the event broker. What may stay is listed in ``masking_policy.yml`` beside this file; the
rule is that everything else is masked:

- Phone numbers (``bot.personal.phones``), e-mail addresses (also written ``maija(at)example.fi``
  or ``maija at example dot fi``) and henkilötunnus (``bot.personal.hetu``) are replaced with
  ``MASK`` wherever they appear: user and bot messages, slot values, button data, metadata.
- While a referral is open (any ``referral_stage``, from the consent question to the final
  "Lähetä"), every message the resident types is replaced whole, except the short answers and
  button texts listed in the policy. A referral whose conversation session expired is still
  open for the resident: the first message after the new session start is masked the same way.
- Bot messages marked personal (the read-back of a referral) lose their text; their buttons stay.
- Slot values: code slots (theme, municipality, ids, the referral stage, ...) are kept when their
  values have the listed shape and masked whole otherwise; every other slot has its text values,
  also inside lists and dicts, masked as above.
- User message metadata keeps only the listed keys (role, portal claims, their proofs);
  extracted entities only the listed entity types with code-shaped values; intent names only
  the listed intents.
- A message that is exactly a button payload (``/intent`` or ``/intent{"entity": "value"}`` with
  a known intent and code entities) is kept; other text starting with "/" is typed text.
- Whatever the resident answered to a referral question is also masked where it turns up later
  in the same session (a name repeated in a search, a bot message or a slot).
"""

from __future__ import annotations

import copy
import json
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml  # type: ignore[import-untyped]

from bot.personal import hetu, phones

MASK = "[henkilötieto poistettu]"
STAGE_SLOT = "referral_stage"
NAME_STAGE = "name"
# The stages bot/dialogue/referral.py uses; any other non-empty stage is treated the same way.
REFERRAL_STAGES = frozenset({"consent", "name", "contact", "contact_time", "message", "confirm"})
PERSONAL_MARK = "personal"
POLICY_FILE = Path(__file__).with_name("masking_policy.yml")

_ID = r"[0-9a-fA-F]{8}(?:-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}|[a-z]{1,8}-[0-9a-f]{8,64}"
SHAPES = {
    "word": re.compile(r"[a-z][a-z_]{0,39}"),
    "municipality_code": re.compile(r"\d{3}"),
    "county_code": re.compile(r"\d{1,2}"),
    "language": re.compile(r"fi|sv|en"),
    "ordinal": re.compile(r"\d{1,2}|[a-z]{1,10}"),
    "id": re.compile(_ID),
    # referral_service: "<service id> <partner id>" (bot/dialogue/referral.py); partner ids are
    # chosen by the county's admins (at most 64 characters), never typed by a resident.
    "service_and_partner": re.compile(rf"(?:{_ID})(?: [A-Za-z0-9][A-Za-z0-9_.:-]{{0,63}})?"),
    "proof": re.compile(r"[0-9a-f]{64}"),
}
NUMBER_SHAPE = "number"
_CHANNEL = re.compile(r"[a-z][a-z0-9_.-]{0,39}")
_HEX_ID = re.compile(r"[0-9a-f]{8,64}")

_LOCAL = r"(?<![\w.+-])[\w.+-]*\w"  # starts where a word starts: no quadratic backtracking
_AT = r"(?:\s*@\s*|\s*[(\[{<]\s*(?:at|ät|a)\s*[)\]}>]\s*|\s+(?:at|ät)\s+)"
_DOT = r"(?:\.|\s*[(\[{<]\s*(?:dot|piste)\s*[)\]}>]\s*|\s+(?:dot|piste)\s+)"
_EMAIL = re.compile(rf"{_LOCAL}{_AT}\w[\w-]*(?:{_DOT}\w[\w-]*)*{_DOT}[^\W\d_]{{2,24}}(?![\w@])", re.IGNORECASE)
_PAYLOAD = re.compile(r"/(?P<intent>[A-Za-z_][\w-]*)(?P<entities>\{.*\})?", re.DOTALL)


@dataclass(frozen=True)
class Policy:
    code_slots: dict[str, str]
    metadata_slots: frozenset[str]
    metadata: dict[str, Any]
    entities: dict[str, str]
    intents: frozenset[str]
    referral_replies: frozenset[str]


def _normal(text: str) -> str:
    """Casefolded, without diacritics and punctuation: 'Kyllä!' -> 'kylla'."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(re.sub(r"[^\w\s-]", " ", plain).split())


@lru_cache(maxsize=1)
def policy() -> Policy:
    data = yaml.safe_load(POLICY_FILE.read_text(encoding="utf-8"))
    shapes = set(SHAPES) | {NUMBER_SHAPE}

    def check(spec: Any, where: str) -> None:
        if isinstance(spec, dict):
            for key, inner in spec.items():
                check(inner, f"{where}.{key}")
        elif spec not in shapes:
            raise ValueError(f"{POLICY_FILE.name}: unknown shape {spec!r} for {where}")

    for section in ("code_slots", "metadata", "entities"):
        check(data[section], section)
    return Policy(code_slots=dict(data["code_slots"]), metadata_slots=frozenset(data["metadata_slots"]),
                  metadata=dict(data["metadata"]), entities=dict(data["entities"]),
                  intents=frozenset(data["intents"]),
                  referral_replies=frozenset(
                      [_normal(str(r)) for r in data["referral_replies"]]
                      + [_normal(f"{verb} {field}") for verb in data["referral_corrections"]["verbs"]
                         for field in data["referral_corrections"]["fields"]]))


def fits(shape: str, value: Any) -> bool:
    """Whether a single value has the shape (see ``masking_policy.yml``)."""
    if shape == NUMBER_SHAPE:
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    return isinstance(value, str) and bool(SHAPES[shape].fullmatch(value))


def _replace(text: str, spans: list[tuple[int, int]]) -> str:
    for start, end in sorted(spans, reverse=True):
        text = text[:start] + MASK + text[end:]
    return text


def mask_text(text: str) -> str:
    """The text with e-mail addresses, henkilötunnus and phone numbers replaced by ``MASK``."""
    text = _EMAIL.sub(MASK, text)
    text = _replace(text, hetu.spans(text))
    return _replace(text, phones.spans(text))


def is_button_payload(text: str) -> bool:
    """Exactly '/intent' or '/intent{json}' with a known intent and code-shaped entities."""
    match = _PAYLOAD.fullmatch(text.strip())
    if not match or match.group("intent") not in policy().intents:
        return False
    if not match.group("entities"):
        return True
    try:
        entities = json.loads(match.group("entities"))
    except ValueError:
        return False
    return isinstance(entities, dict) and all(_entity_fits(str(k), v) for k, v in entities.items())


def _entity_fits(entity: str, value: Any) -> bool:
    shape = policy().entities.get(entity)
    if shape is None:
        return False
    if isinstance(value, list):
        return all(fits(shape, v) for v in value)
    return fits(shape, value)


def is_referral_reply(text: str) -> bool:
    """A short answer or a button text the referral understands, which holds nothing personal."""
    return _normal(text) in policy().referral_replies


def filter_metadata(metadata: Any, spec: dict[str, Any] | None = None) -> dict[str, Any]:
    """The listed keys of message metadata whose values have their shapes; nothing else."""
    spec = policy().metadata if spec is None else spec
    if not isinstance(metadata, dict):
        return {}
    kept: dict[str, Any] = {}
    for key, shape in spec.items():
        if key not in metadata:
            continue
        value = metadata[key]
        if isinstance(shape, dict):
            if isinstance(value, dict):
                kept[key] = filter_metadata(value, shape)
        elif value is None or fits(shape, value):
            kept[key] = value
    return kept


class _Secrets:
    """What the resident answered to referral questions, masked also where it turns up later."""

    def __init__(self) -> None:
        self.patterns: list[re.Pattern[str]] = []

    def add(self, answer: str, stage: str) -> None:
        answer = answer.strip()
        parts = [answer] if len(answer) >= 3 else []
        if stage == NAME_STAGE:  # names: each part alone too ("Kiitos, Maija")
            parts += [w for w in re.findall(r"[^\W\d_][\w'-]*", answer) if len(w) >= 3]
        for part in parts:
            pattern = re.compile(rf"(?<!\w){re.escape(part)}(?!\w)", re.IGNORECASE)
            if pattern not in self.patterns:
                self.patterns.append(pattern)

    def mask(self, text: str) -> str:
        for pattern in self.patterns:
            text = pattern.sub(MASK, text)
        return text


def _deep(value: Any, secrets: _Secrets) -> Any:
    """Every text inside ``value`` (lists, dicts and their keys too) masked; long numbers as well."""
    if isinstance(value, str):
        return secrets.mask(mask_text(value))
    if isinstance(value, list):
        return [_deep(v, secrets) for v in value]
    if isinstance(value, tuple):
        return tuple(_deep(v, secrets) for v in value)
    if isinstance(value, dict):
        return {(_deep(k, secrets) if isinstance(k, str) else k): _deep(v, secrets) for k, v in value.items()}
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10 ** (phones.MIN_DIGITS - 1):
        return MASK  # a phone number stored as a number
    return value


def _mask_slot(event: dict[str, Any], secrets: _Secrets) -> None:
    name, value = event.get("name"), event.get("value")
    rules = policy()
    if name in rules.metadata_slots:
        event["value"] = filter_metadata(value) if isinstance(value, dict) else None
    elif name in rules.code_slots:
        shape = rules.code_slots[name]
        if isinstance(value, list):
            event["value"] = [v if fits(shape, v) else MASK for v in value]
        elif value is not None and not fits(shape, value):
            event["value"] = MASK
    else:
        event["value"] = _deep(value, secrets)


def _intent(intent: Any) -> Any:
    if isinstance(intent, dict) and intent.get("name") is not None and intent.get("name") not in policy().intents:
        return {**intent, "name": MASK}
    return intent


def _entities(entities: Any, secrets: _Secrets) -> list[Any]:
    if not isinstance(entities, list):
        return []
    kept = [e for e in entities if isinstance(e, dict) and _entity_fits(str(e.get("entity")), e.get("value"))]
    return [{k: (v if k in ("entity", "value") else _deep(v, secrets)) for k, v in e.items()} for e in kept]


def _is_personal_answer(text: Any, stage: str | None) -> bool:
    return bool(stage) and isinstance(text, str) and bool(text) and not is_button_payload(text) \
        and not is_referral_reply(text)


def _mask_user(event: dict[str, Any], stage: str | None, secrets: _Secrets) -> None:
    text = event.get("text")
    whole = _is_personal_answer(text, stage)
    if whole:
        event["text"] = MASK
    elif isinstance(text, str) and text and not is_button_payload(text):
        event["text"] = secrets.mask(mask_text(text))
    if "metadata" in event:
        event["metadata"] = filter_metadata(event["metadata"])
    channel = event.get("input_channel")
    if channel is not None and not (isinstance(channel, str) and _CHANNEL.fullmatch(channel)):
        event["input_channel"] = MASK
    message_id = event.get("message_id")
    if message_id is not None and not (isinstance(message_id, str) and _HEX_ID.fullmatch(message_id)):
        event["message_id"] = MASK
    parse = event.get("parse_data")
    if isinstance(parse, dict):
        for key, value in list(parse.items()):
            if key == "text":
                parse[key] = event.get("text")
            elif key == "entities":
                parse[key] = [] if whole else _entities(value, secrets)
            elif key == "intent":
                parse[key] = _intent(value)
            elif key == "intent_ranking":
                parse[key] = [_intent(i) for i in value] if isinstance(value, list) else []
            elif key == "metadata":
                parse[key] = filter_metadata(value)
            elif key == "message_id":
                parse[key] = event.get("message_id")
            else:
                parse[key] = _deep(value, secrets)


def _is_personal_bot(event: dict[str, Any]) -> bool:
    data = event.get("data") or {}
    custom = data.get("custom") if isinstance(data, dict) else None
    return isinstance(custom, dict) and custom.get("type") == PERSONAL_MARK


def _mask_bot(event: dict[str, Any], secrets: _Secrets) -> None:
    if _is_personal_bot(event):
        event["text"] = MASK
        buttons = (event.get("data") or {}).get("buttons")
        event["data"] = {"buttons": _deep(buttons, secrets)} if buttons else {}
    else:
        if isinstance(event.get("text"), str):
            event["text"] = secrets.mask(mask_text(event["text"]))
        if "data" in event:
            event["data"] = _deep(event["data"], secrets)
    if "metadata" in event:
        event["metadata"] = _deep(event["metadata"], secrets)


def mask_events(events: list[dict[str, Any]], start: int = 0) -> list[dict[str, Any]]:
    """Masked copies of ``events[start:]`` (dicts as in the tracker's JSON), in order; the originals
    stay as they are.

    ``events`` should begin at the start of the conversation session (or earlier): the events
    before ``start`` are read for the referral stage and the resident's answers, not masked.
    """
    stage: str | None = None
    carried: str | None = None  # the stage of a referral left open when the session expired
    secrets = _Secrets()
    out: list[dict[str, Any]] = []
    for index, original in enumerate(events):
        kind = original.get("event")
        if kind == "user" and _is_personal_answer(original.get("text"), stage or carried):
            secrets.add(str(original["text"]), str(stage or carried))
        if index >= start:
            event = copy.deepcopy(original)
            if kind == "slot":
                _mask_slot(event, secrets)
                if "metadata" in event:
                    event["metadata"] = _deep(event["metadata"], secrets)
            elif kind == "user":
                _mask_user(event, stage or carried, secrets)
            elif kind == "bot":
                _mask_bot(event, secrets)
            else:
                event = {k: (v if k in ("event", "timestamp") else _deep(v, secrets)) for k, v in event.items()}
            out.append(event)
        # what this event tells about the following ones
        if kind == "slot" and original.get("name") == STAGE_SLOT:
            value = original.get("value")
            stage, carried = (value if isinstance(value, str) and value else None), None
        elif kind == "user":
            carried = None
        elif kind == "session_started":  # Rasa resets the slots, but the resident may go on answering
            carried, stage = stage or carried, None
        elif kind == "restart":
            carried = stage = None
    return out
