"""Henkilötunnus (Finnish personal identity code): validation and finding it in free text.

DDMMYY, a century sign, a three-digit individual number and a check character: the remainder of
the nine digits DDMMYYNNN divided by 31, picked from ``CHECK_CHARACTERS``. Century signs: ``+``
1800s; ``-`` and ``Y X W V U`` 1900s; ``A B C D E F`` 2000s (the extra signs since 2023).

In text a code is masked when it has a separator and a date that exists (a mistyped check
character is still somebody's code), or, written without the separator (``131052308T``), when
also the check character is right, so that an ordinary ten-digit number is not taken for one.
"""

from __future__ import annotations

import datetime as dt
import re

CHECK_CHARACTERS = "0123456789ABCDEFHJKLMNPRSTUVWXY"
CENTURIES = {"+": 1800, "-": 1900, "Y": 1900, "X": 1900, "W": 1900, "V": 1900, "U": 1900,
             "A": 2000, "B": 2000, "C": 2000, "D": 2000, "E": 2000, "F": 2000}

_SIGNS = re.escape("".join(CENTURIES))
_WITH_SIGN = re.compile(rf"(?<![\w+-])(\d{{6}})([{_SIGNS}])(\d{{3}})([0-9A-Y])(?!\w)", re.IGNORECASE)
_WITHOUT_SIGN = re.compile(r"(?<![\w+-])(\d{6})\s?(\d{3})([0-9A-Y])(?!\w)", re.IGNORECASE)


def check_character(digits: str) -> str:
    """The check character of DDMMYYNNN."""
    return CHECK_CHARACTERS[int(digits) % 31]


def _date_exists(ddmmyy: str, centuries: list[int]) -> bool:
    day, month, year = int(ddmmyy[:2]), int(ddmmyy[2:4]), int(ddmmyy[4:])
    for century in centuries:
        try:
            dt.date(century + year, month, day)
        except ValueError:
            continue
        return True
    return False


def is_valid(code: str) -> bool:
    """A well-formed henkilötunnus with a right check character and a date that exists."""
    match = _WITH_SIGN.fullmatch(code.strip())
    if not match:
        return False
    ddmmyy, sign, number, check = match.groups()
    return (_date_exists(ddmmyy, [CENTURIES[sign.upper()]])
            and check_character(ddmmyy + number) == check.upper())


def spans(text: str) -> list[tuple[int, int]]:
    """Where henkilötunnus-looking codes are in ``text`` (see the module docstring for the rule)."""
    found = [m.span() for m in _WITH_SIGN.finditer(text)
             if _date_exists(m.group(1), [CENTURIES[m.group(2).upper()]])]
    for m in _WITHOUT_SIGN.finditer(text):
        ddmmyy, number, check = m.groups()
        if check_character(ddmmyy + number) == check.upper() and _date_exists(ddmmyy, [1800, 1900, 2000]):
            found.append(m.span())
    return sorted(found)
