"""The personal store on PostgreSQL: the same referral behaviour, capacity under concurrency."""

from __future__ import annotations

import datetime as dt
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import Engine, select, text

from bot.outbox import deliver_due
from bot.personal.store import CapacityRow, OutboxRow, ReferralRow, personal_engine
from bot.referrals import service as referrals
from bot.referrals.partners import active_partners, upsert


@pytest.fixture()
def engine(postgres_url: str) -> Engine:
    engine = personal_engine(postgres_url)
    with engine.begin() as conn:
        for table in ("referrals", "partner_capacity", "partners", "partner_file_entries", "referral_drafts",
                      "outbox", "audit_log"):
            conn.execute(text(f"DELETE FROM {table}"))
    upsert(engine, [{"id": "p1", "organization_id": "org-1", "name": "Kumppani", "service_ids": '["s1"]',
                     "target_groups": "[]", "capacity_per_month": 4, "delivery_method": "email",
                     "delivery_address": "lahetteet@esimerkki.fi", "webhook_secret_enc": "", "contact_person": "",
                     "inbox_token_sha256": "", "active": True}])
    return engine


def _submit(engine: Engine, key: str) -> str:
    (partner,) = active_partners(engine)
    return referrals.submit(engine, partner=partner, service={"id": "s1", "name": "Kuntosali"},
                            personal={"name": "Maija", "phone": "+358401234567"}, consent_text="Annan luvan.",
                            consent_at=dt.datetime(2026, 11, 22), consent_method="chat", made_by="resident",
                            target_group=None, theme="liikunta", municipality="609", idempotency_key=key).reference


def test_capacity_holds_under_concurrent_submissions_on_postgres(engine: Engine) -> None:
    def attempt(i: int) -> str:
        try:
            return _submit(engine, f"k{i}")
        except referrals.CapacityFull:
            return "full"

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(attempt, range(12)))
    assert results.count("full") == 8 and len({r for r in results if r != "full"}) == 4
    with engine.connect() as conn:
        assert conn.execute(select(ReferralRow.id)).all().__len__() == 4
        assert conn.execute(select(OutboxRow.id)).all().__len__() == 4  # delivery queued with each referral


def test_idempotency_drafts_and_retention_on_postgres(engine: Engine) -> None:
    first = _submit(engine, "same")
    assert _submit(engine, "same") == first
    draft = referrals.save_draft(engine, None, {"name": "Ville"})
    assert referrals.read_draft(engine, referrals.save_draft(engine, draft, {"contact": "+358401234567"})) == {
        "name": "Ville", "contact": "+358401234567"}
    assert referrals.apply_retention(engine, 90, now=dt.datetime.now() + dt.timedelta(days=91))["referrals"] == 1
    with engine.connect() as conn:
        assert conn.execute(select(ReferralRow.personal_enc)).scalar_one() is None
    assert deliver_due(engine, {}).sent == 0  # forgotten messages are not sent


def test_same_key_at_the_same_moment_is_one_referral_on_postgres(engine: Engine) -> None:
    """Concurrent submissions with one idempotency key: one referral, one place, one delivery, and
    every caller gets its reference (before, the losers got a 500 from the unique key)."""
    threads = 8
    for round_no in range(4):  # the capacity is 4
        start = threading.Barrier(threads)

        def attempt(_: int, key: str = f"sama-{round_no}", start: threading.Barrier = start) -> str:
            start.wait()  # all at once
            return _submit(engine, key)

        with ThreadPoolExecutor(max_workers=threads) as pool:
            results = list(pool.map(attempt, range(threads)))
        assert len(set(results)) == 1, results
    with engine.connect() as conn:
        assert len(conn.execute(select(ReferralRow.id)).all()) == 4  # the capacity: 4 keys made it
        assert len(conn.execute(select(OutboxRow.id)).all()) == 4
        assert conn.execute(select(CapacityRow.used)).scalar_one() == 4


def test_same_key_races_for_the_last_place_on_postgres(engine: Engine) -> None:
    for round_no in range(6):
        with engine.begin() as conn:
            for table in ("referrals", "partner_capacity", "outbox"):
                conn.execute(text(f"DELETE FROM {table}"))
        for i in range(3):
            _submit(engine, f"ennen-{round_no}-{i}")  # one place of four left
        start = threading.Barrier(6)

        def attempt(_: int, key: str = f"viimeinen-{round_no}", start: threading.Barrier = start) -> str:
            start.wait()
            return _submit(engine, key)

        with ThreadPoolExecutor(max_workers=6) as pool:
            results = list(pool.map(attempt, range(6)))
        assert len(set(results)) == 1  # nobody was told "full" for the key that took the last place
        with pytest.raises(referrals.CapacityFull):
            _submit(engine, f"toinen-{round_no}")
