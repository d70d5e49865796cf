"""The formats corpus (personal_data_formats.yml) in both directions, and the henkilötunnus check."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.personal import hetu
from bot.personal.masking import MASK, mask_text

CORPUS = yaml.safe_load((Path(__file__).with_name("personal_data_formats.yml")).read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", CORPUS["masked"], ids=lambda c: c["text"])
def test_personal_data_is_masked(case: dict[str, Any]) -> None:
    masked = mask_text(case["text"])
    assert MASK in masked
    for part in case["personal"]:
        assert part not in masked.replace(MASK, " "), masked
    for part in case.get("kept", []):
        assert part in masked, masked


@pytest.mark.parametrize("text", CORPUS["kept"])
def test_ordinary_text_survives(text: str) -> None:
    assert mask_text(text) == text


def test_corpus_cases_are_not_listed_twice() -> None:
    texts = [c["text"] for c in CORPUS["masked"]] + CORPUS["kept"]
    assert len(texts) == len(set(texts))


@pytest.mark.parametrize(("code", "valid"), [
    ("131052-308T", True), ("010190-123M", True), ("290200A789S", True), ("010150Y002D", True),
    ("131052-308t", True), ("010190-123A", False), ("310290-123M", False), ("131052308T", False),
    ("131052G308T", False), ("", False),
])
def test_hetu_validation(code: str, valid: bool) -> None:
    assert hetu.is_valid(code) is valid


def test_ten_digit_numbers_need_the_check_character_to_count_as_hetu() -> None:
    assert hetu.spans("tilaus 1203249875") == []  # the check character of 120324987 is 6
    assert hetu.spans("tilaus 1203249876") == [(7, 17)]
    assert hetu.spans("3112999050") == []  # 31.12.99 exists, but the check character is D
    assert hetu.spans("3102999050") == []  # 31.2. does not exist
    assert hetu.spans("koodi 120324-9876") == [(6, 17)]  # with a separator the shape is enough


@pytest.mark.parametrize("text", ["a" * 5000, "a." * 2500, "1" * 5000, "0a" * 2500, "1-" * 2500, "1." * 2500,
                                  "a@" + "b." * 2500, "a at " + "b dot " * 800, "12.3.2024 " * 500])
def test_long_messages_are_masked_in_linear_time(text: str) -> None:
    start = time.perf_counter()
    mask_text(text)
    assert time.perf_counter() - start < 1.5  # each takes well under 0.3 s; a quadratic pattern took 2 s
