"""The partner registry: what a reload of the partner file manages, secrets, demo inbox tokens."""

from __future__ import annotations

import hashlib
import io
import json
from pathlib import Path
from typing import Any

import pytest
import yaml  # type: ignore[import-untyped]
from sqlalchemy import Engine, select

from bot.demo.partners import partner_file
from bot.personal.crypto import decrypt
from bot.personal.store import PartnerRow, personal_engine
from bot.referrals.partners import (
    Partner,
    PartnerFileError,
    active_partners,
    load_partner_file,
    partner_by_token,
    save_partner,
    token_hash,
    upsert,
)


@pytest.fixture()
def engine(tmp_path: Path) -> Engine:
    return personal_engine(f"sqlite:///{tmp_path / 'personal.sqlite'}")


def _entry(partner_id: str, **changes: Any) -> dict[str, Any]:
    return {"id": partner_id, "organization_id": "org-1", "name": f"Kumppani {partner_id}", "service_ids": ["s1"],
            "capacity_per_month": 5, **changes}


def _write(path: Path, *entries: dict[str, Any]) -> Path:
    path.write_text(yaml.safe_dump({"partners": list(entries)}, allow_unicode=True), encoding="utf-8")
    return path


def _ids(engine: Engine) -> set[str]:
    return {p.id for p in active_partners(engine)}


def test_file_reload_manages_only_the_partners_of_the_file(engine: Engine, tmp_path: Path) -> None:
    path = _write(tmp_path / "partners.yml", _entry("a"), _entry("b"))
    assert load_partner_file(engine, path) == 2
    save_partner(engine, _entry("admin-made"))
    assert load_partner_file(engine, path) == 2  # a restart
    assert _ids(engine) == {"a", "b", "admin-made"}
    _write(path, _entry("a"))
    load_partner_file(engine, path)
    assert _ids(engine) == {"a", "admin-made"}  # b left the file; the admin's partner stays
    _write(path, _entry("a"), _entry("b"))
    load_partner_file(engine, path)
    assert _ids(engine) == {"a", "b", "admin-made"}  # listed again: active again


def test_partners_from_before_the_file_was_tracked_are_not_deactivated(engine: Engine, tmp_path: Path) -> None:
    upsert(engine, [{"id": "vanha", "organization_id": "o", "name": "Vanha", "service_ids": "[]",
                     "target_groups": "[]", "capacity_per_month": 1, "delivery_method": "inbox",
                     "delivery_address": "", "contact_person": "", "active": True}])
    load_partner_file(engine, _write(tmp_path / "partners.yml", _entry("a")))
    assert _ids(engine) == {"vanha", "a"}


def test_no_file_is_no_change(engine: Engine, tmp_path: Path) -> None:
    save_partner(engine, _entry("admin-made"))
    assert load_partner_file(engine, None) == 0
    assert load_partner_file(engine, tmp_path / "ei-ole.yml") == 0
    assert _ids(engine) == {"admin-made"}


def test_the_file_is_authoritative_for_its_own_tokens(engine: Engine, tmp_path: Path) -> None:
    path = _write(tmp_path / "partners.yml", _entry("a", inbox_token="tiedoston-tunniste-123"))
    load_partner_file(engine, path)
    assert partner_by_token(engine, "tiedoston-tunniste-123") is not None
    _write(path, _entry("a", inbox_token_sha256=token_hash("toinen-tunniste-456")))
    load_partner_file(engine, path)
    assert partner_by_token(engine, "tiedoston-tunniste-123") is None
    assert partner_by_token(engine, "toinen-tunniste-456") is not None
    _write(path, _entry("a"))
    load_partner_file(engine, path)  # removed from the file: revoked
    assert partner_by_token(engine, "toinen-tunniste-456") is None


@pytest.mark.parametrize(("delivery", "message"), [
    ({"method": "webhook", "address": "https://k.example.org/in"}, "delivery.secret puuttuu"),
    ({"method": "webhook", "address": "http://k.example.org/in", "secret": "s" * 20}, "https://"),
])
def test_file_webhooks_need_their_own_secret_and_https(engine: Engine, tmp_path: Path, delivery: dict[str, str],
                                                       message: str) -> None:
    with pytest.raises(PartnerFileError, match=message):
        load_partner_file(engine, _write(tmp_path / "partners.yml", _entry("w", delivery=delivery)))


def test_file_webhook_with_its_secret(engine: Engine, tmp_path: Path) -> None:
    load_partner_file(engine, _write(tmp_path / "partners.yml", _entry(
        "w", delivery={"method": "webhook", "address": "https://k.example.org/in", "secret": "kumppanin-oma"})))
    (partner,) = active_partners(engine)
    assert decrypt(partner.webhook_secret_enc) == "kumppanin-oma" and partner.can_deliver()


@pytest.mark.parametrize(("field", "value"), [("id", "x" * 65), ("id", "Porin liikunta"), ("id", "pää"),
                                              ("name", "n" * 201), ("capacity_per_month", -1),
                                              ("capacity_per_month", True), ("service_ids", "s1")])
def test_malformed_entries_are_named(engine: Engine, tmp_path: Path, field: str, value: Any) -> None:
    with pytest.raises(PartnerFileError, match=field):
        load_partner_file(engine, _write(tmp_path / "partners.yml", _entry("a", **{field: value})))


def test_admin_save_keeps_and_generates_secrets(engine: Engine) -> None:
    webhook = {"method": "webhook", "address": "https://k.example.org/in"}
    created, generated = save_partner(engine, _entry("w", delivery=webhook))
    assert created and set(generated) == {"webhook_secret"}
    created, again = save_partner(engine, _entry("w", delivery=webhook, capacity_per_month=9))
    assert not created and again == {}
    (partner,) = active_partners(engine)
    assert decrypt(partner.webhook_secret_enc) == generated["webhook_secret"] and partner.capacity_per_month == 9
    with engine.connect() as conn:  # a webhook partner never has an empty secret after an admin save
        assert conn.execute(select(PartnerRow.webhook_secret_enc)).scalar_one()


def test_target_group_limits() -> None:
    limited = Partner("p", "o", "P", ("s1",), ("ikaantyneet",), 5, "inbox", "", "", "")
    open_to_all = Partner("q", "o", "Q", ("s1",), (), 5, "inbox", "", "", "")
    assert limited.accepts("s1", "o", "ikaantyneet")
    assert not limited.accepts("s1", "o", "nuoret")
    assert not limited.accepts("s1", "o", None)  # an unknown group is not one of the partner's
    assert open_to_all.accepts("s1", "o", None) and open_to_all.accepts("s1", "o", "nuoret")


def test_demo_inbox_tokens_are_random_and_printed_once(demo_dir: Path) -> None:
    text = (demo_dir / "partners.yml").read_text(encoding="utf-8")
    assert "demo-" not in text and "inbox_token:" not in text
    services = [s for p in sorted((demo_dir / "services").glob("*.json")) for s in json.loads(p.read_text("utf-8"))]
    organizations = {o["id"]: o for p in sorted((demo_dir / "organizations").glob("*.json"))
                     for o in json.loads(p.read_text("utf-8"))}
    out = io.StringIO()
    first = yaml.safe_load(partner_file(services, organizations, out))
    printed = dict(line.strip().split(": ", 1) for line in out.getvalue().splitlines() if line.startswith("  "))
    assert set(printed) == {p["id"] for p in first["partners"]} and len(printed) >= 5
    for entry in first["partners"]:
        token = printed[entry["id"]]
        assert len(token) >= 32 and entry["inbox_token_sha256"] == hashlib.sha256(token.encode()).hexdigest()
        assert token not in yaml.safe_dump(first)
    second = yaml.safe_load(partner_file(services, organizations, io.StringIO()))
    assert {p["inbox_token_sha256"] for p in second["partners"]}.isdisjoint(
        {p["inbox_token_sha256"] for p in first["partners"]})  # never the same twice


def test_demo_partners_load_without_predictable_tokens(engine: Engine, demo_dir: Path) -> None:
    assert load_partner_file(engine, demo_dir / "partners.yml") >= 5
    for partner in active_partners(engine):
        assert partner_by_token(engine, f"demo-{partner.id}") is None
