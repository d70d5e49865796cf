"""Phone numbers in free text, found with libphonenumber (the ``phonenumbers`` port).

The matcher runs with region FI at its most lenient level (``Leniency.POSSIBLE``), so that it
also finds numbers written in unusual ways (``040/1234567``, ``(040) 123 4567``,
``+358 (0)40 123 4567``, ``0 4 0 1 2 3 4 5 6 7``). That level also takes dates, times and
amounts for numbers, so a candidate is kept as it is when it is written as one of them:

- a date, a time or a range of them: ``12.3.2024``, ``2026-11-22``, ``1.3.-15.3.2024``,
  ``10-11.30``, ``9.00-10.30``, ``2024-2025``, ``12.3.2024 10.00``
- a postal code: five digits (``26100``)
- an amount with thousands separated by spaces, not starting with 0: ``20 000``, ``1 000 000``
- years in a row: ``2020 2021 2022``

A candidate is judged together with the digits and date punctuation glued to it, since the
matcher may cut a date range (``2.3.2024-15.3.2024``) into pieces that look like numbers.

Anything else is a phone number when libphonenumber says it is a valid one or it has at least
``MIN_DIGITS`` digits (a mistyped or partly typed number is still somebody's number), which
leaves service numbers such as 112 or 116117 and reference numbers like HL-123456 alone.
Identifiers that merely contain digits (UUIDs, hex digests) are never taken for numbers.
"""

from __future__ import annotations

import re

import phonenumbers
from phonenumbers import Leniency, PhoneNumberMatcher

REGION = "FI"
MIN_DIGITS = 7

_DASH = r"\s*[-\u2010-\u2015\u2212]\s*"  # -, ‐, ‑, ‒, –, —, ―, −
_DATE_TOKEN = r"\d{1,2}\.(?:\d{1,2}\.(?:\d{4}|\d{2})?)?|\d{4}-\d{1,2}-\d{1,2}"
_TIME_TOKEN = r"\d{1,2}[.:]\d{2}"
_SIDE = rf"(?:(?:{_DATE_TOKEN}|{_TIME_TOKEN})(?:\s+(?:{_DATE_TOKEN}|{_TIME_TOKEN}))*|\d{{1,4}})"
_DATE_OR_TIME = re.compile(rf"{_SIDE}(?:{_DASH}{_SIDE})?")
_YEARS = re.compile(r"(?:1[89]|20)\d{2}(?:\s+(?:1[89]|20)\d{2})+")
_AMOUNT = re.compile(r"[1-9]\d{0,2}(?:[ \u00a0\u202f]\d{3})+")
_POSTAL_CODE = re.compile(r"\d{5}")
# Identifiers with digits in them: UUIDs and long hex strings (ids, digests).
_IDENTIFIER = re.compile(r"(?<![\w-])(?:[0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12}"
                         r"|(?=[0-9a-f]*[a-f])(?=[0-9a-f]*\d)[0-9a-f]{16,})(?![\w-])", re.IGNORECASE)
# Characters that glue a candidate to its neighbours in a date or a time range.
_GLUE = frozenset("0123456789.:/-\u2010\u2011\u2012\u2013\u2014\u2015\u2212")
# A net under the matcher: a long run of digits with single separators between them.
_DIGIT_RUN = re.compile(r"(?<![\w+])(?:\+|00)?\d(?:[ ./()\-]?\d){7,15}(?!\w)")


def _digits(text: str) -> int:
    return sum(ch.isdigit() for ch in text)


def _token(text: str, start: int, end: int) -> str:
    """The candidate with the digits and date punctuation glued to it: the matcher may cut a date
    range such as 2.3.2024-15.3.2024 into '2024-15' and '3.2024'."""
    while start > 0 and text[start - 1] in _GLUE:
        start -= 1
    while end < len(text) and text[end] in _GLUE:
        end += 1
    return text[start:end]


def _is_phone(raw: str, valid: bool, token: str | None = None) -> bool:
    candidate = raw.strip().rstrip(".")
    whole = (token if token is not None else raw).strip().rstrip(".")
    if (_DATE_OR_TIME.fullmatch(whole) or _DATE_OR_TIME.fullmatch(whole + ".")
            or _YEARS.fullmatch(candidate) or _AMOUNT.fullmatch(candidate) or _POSTAL_CODE.fullmatch(candidate)):
        return False
    return valid or _digits(candidate) >= MIN_DIGITS


def _inside(span: tuple[int, int], protected: list[tuple[int, int]]) -> bool:
    return any(start < span[1] and span[0] < end for start, end in protected)


def spans(text: str) -> list[tuple[int, int]]:
    """Where phone numbers are in ``text``, as (start, end), in order and not overlapping."""
    if _digits(text) < 3:
        return []
    protected = [m.span() for m in _IDENTIFIER.finditer(text)]
    found: list[tuple[int, int]] = []
    for match in PhoneNumberMatcher(text, REGION, leniency=Leniency.POSSIBLE):
        span = (match.start, match.end)
        if not _inside(span, protected) and _is_phone(match.raw_string, phonenumbers.is_valid_number(match.number),
                                                      _token(text, *span)):
            found.append(span)
    for m in _DIGIT_RUN.finditer(text):
        if (not _inside(m.span(), protected) and not _inside(m.span(), found)
                and _is_phone(m.group(0), False, _token(text, *m.span()))):
            found.append(m.span())
    return sorted(found)
