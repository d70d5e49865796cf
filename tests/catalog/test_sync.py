"""PTV sync against a local HTTP server that serves the real records of ../shared/data/ptv-real with
the real page envelope, and misbehaves the way a real API can."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
from sqlalchemy import select

from bot.catalog import store
from bot.catalog import sync as sync_module
from bot.catalog.sync import SyncError, SyncReport, parse_area, sync
from bot.catalog.writer_lock import CatalogBusy
from bot.testing.servers import free_port

PAGE_SIZE = 4
AREA = "Municipality:905"
PROJECT_DIR = Path(__file__).resolve().parents[2]


class FakePtv:
    """Serves /api/v11/{Kind}/area/{area}/code/{code}, /{Kind}/list?guids=, /Service?status= ."""

    def __init__(self, real: Path) -> None:
        self.records: dict[str, dict[str, Any]] = {}
        for kind in ("services", "channels", "organizations"):
            self.records[kind] = {}
            for path in sorted((real / kind).glob("*.json")):
                record = json.loads(path.read_text(encoding="utf-8"))
                self.records[kind][record["id"]] = record
        self.withdrawn: list[str] = []
        self.failures: list[str] = []  # e.g. "429", "500", "drop": used up one by one
        self.malformed_in_list = False
        self.raw_services: dict[str, str] = {}  # id -> the record as JSON text, served as it is
        self.not_a_list = False  # record lists answered with an object without itemList
        self.gate: threading.Event | None = None  # when set: every answer waits for it
        self.requests: list[str] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                fake.requests.append(self.path)
                if fake.gate is not None:
                    fake.gate.wait(timeout=60)
                if fake.failures:
                    failure = fake.failures.pop(0)
                    if failure == "drop":
                        self.connection.close()  # a dropped connection: no answer at all
                        return
                    self.send_response(int(failure))
                    if failure == "429":
                        self.send_header("Retry-After", "0")
                    self.end_headers()
                    return
                status, body = fake.answer(self.path)
                data = body if isinstance(body, bytes) else json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/api/v11"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def page(self, ids: list[str], page: int) -> dict[str, Any]:
        count = max(1, -(-len(ids) // PAGE_SIZE))
        chunk = ids[(page - 1) * PAGE_SIZE: page * PAGE_SIZE]
        return {"pageNumber": page, "pageSize": PAGE_SIZE, "pageCount": count,
                "itemList": [{"id": i, "name": self.records["services"].get(i, {}).get("id", i)} for i in chunk]}

    def answer(self, raw: str) -> tuple[int, Any]:
        url = urlparse(raw)
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        parts = url.path.removeprefix("/api/v11/").split("/")
        page = int(query.get("page", "1"))
        kinds = {"Service": "services", "ServiceChannel": "channels", "Organization": "organizations"}
        if parts[0] == "Service" and len(parts) == 5 and parts[1] == "area":
            ids = [i for i in [*self.records["services"], *self.raw_services] if i not in self.withdrawn]
            if "date" in query:
                ids = [i for i in ids if self.records["services"][i].get("modified", "") > query["date"]]
            return 200, self.page(ids, page)
        if parts[0] == "Service" and len(parts) == 1 and "status" in query:
            return 200, self.page(self.withdrawn if query["status"] == "Withdrawn" else [], page)
        if parts[0] in ("ServiceChannel", "Organization") and len(parts) == 1 and "date" in query:
            records = self.records[kinds[parts[0]]]
            return 200, self.page([i for i, r in records.items() if r.get("modified", "") > query["date"]], page)
        if len(parts) == 2 and parts[1] == "list" and parts[0] in kinds:
            wanted = query.get("guids", "").split(",")
            assert len(wanted) <= 100
            items: list[Any] = [self.records[kinds[parts[0]]][i] for i in wanted if i in self.records[kinds[parts[0]]]]
            if self.malformed_in_list and parts[0] == "Service":
                items.append({"serviceNames": "no id"})
            if self.not_a_list:
                return 200, {"error": "not a list", "pageCount": 1}
            raw = [self.raw_services[i] for i in wanted if i in self.raw_services and parts[0] == "Service"]
            if raw:
                return 200, ("[" + ",".join([*(json.dumps(i) for i in items), *raw]) + "]").encode()
            return 200, items
        return 404, {"error": raw}


@pytest.fixture()
def ptv(ptv_real_dir: Path) -> Iterator[FakePtv]:
    fake = FakePtv(ptv_real_dir)
    yield fake
    fake.server.shutdown()


def _column(database: str, column: Any) -> list[Any]:
    engine = store.make_engine(database)
    try:
        with engine.connect() as conn:
            return list(conn.execute(select(column)).scalars())
    finally:
        engine.dispose()


def _count(database: str) -> int:
    return len(_column(database, store.ServiceRow.id))


def _names(database: str) -> set[str]:
    return set(_column(database, store.ServiceRow.name))


def _channel_names(database: str) -> set[str]:
    return set(_column(database, store.ChannelRow.name))


def test_full_then_incremental_sync_with_pages_retries_changes_and_withdrawals(ptv: FakePtv, tmp_path: Path,
                                                                              catalog_url: str) -> None:
    database, snapshot = catalog_url, tmp_path / "ptv"
    ptv.failures = ["429", "500", "drop"]
    ptv.malformed_in_list = True
    first = sync(ptv.url, "Municipality:905", snapshot, database, backoff_s=0.001, out=None)
    total = len(ptv.records["services"])
    assert first.fetched["services"] == total and first.retries == 3 and len(first.malformed) == 1
    assert first.fetched["channels"] > 0 and first.fetched["organizations"] > 0
    assert _count(database) == total
    assert len({r for r in ptv.requests if "/area/" in r}) == -(-total // PAGE_SIZE)  # every page
    assert all(len(r.split("guids=")[1].split("%2C")) <= 100 for r in ptv.requests if "guids=" in r)

    changed, gone = sorted(ptv.records["services"])[:2]
    channel_id = next(c["serviceChannel"]["id"] for s in ptv.records["services"].values()
                      if s["id"] not in (changed, gone) for c in s.get("serviceChannels") or []
                      if c["serviceChannel"]["id"] in ptv.records["channels"])
    channel = ptv.records["channels"][channel_id]  # changes alone: its services do not
    channel["serviceChannelNames"] = [{"type": "Name", "language": "fi", "value": "Muutettu kanava"}]
    channel["modified"] = "2099-01-01T00:00:00"
    record = ptv.records["services"][changed]
    record["serviceNames"] = [{"type": "Name", "language": "fi", "value": "Muutettu palvelu"}]
    record["modified"] = "2099-01-01T00:00:00"
    ptv.withdrawn = [gone]
    ptv.requests.clear()
    ptv.malformed_in_list = False
    second = sync(ptv.url, "Municipality:905", snapshot, database, backoff_s=0.001, out=None)
    assert second.incremental and second.fetched["services"] == 1 and second.removed == 1
    assert any("date=" in r for r in ptv.requests)
    assert second.fetched["channels"] >= 1 and "Muutettu kanava" in _channel_names(database)
    assert _count(database) == total - 1 and "Muutettu palvelu" in _names(database)
    assert second.imported is not None and second.imported.services == total - 1
    assert f"catalog now {total - 1} services" in second.summary()


def test_a_failed_sync_leaves_the_previous_catalog_in_use(ptv: FakePtv, tmp_path: Path, catalog_url: str) -> None:
    database, snapshot = catalog_url, tmp_path / "ptv"
    sync(ptv.url, "Municipality:905", snapshot, database, backoff_s=0.001, out=None)
    before = _names(database)
    ptv.failures = ["500"] * 10  # PTV stays down
    with pytest.raises(SyncError, match="500"):
        sync(ptv.url, "Municipality:905", snapshot, database, full=True, backoff_s=0.001, out=None)
    assert _names(database) == before
    assert not (tmp_path / "ptv.new").exists() and (snapshot / "state.json").exists()


def test_area_parameter() -> None:
    assert parse_area("WellbeingServiceCounty:06") == [("WellbeingServiceCounty", "06")]
    assert parse_area("Municipality:684,609") == [("Municipality", "684"), ("Municipality", "609")]
    with pytest.raises(SyncError, match="Municipality:684"):
        parse_area("684")


def test_cli_syncs_and_fails_with_one_line(ptv: FakePtv, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    import bot.catalog.__main__ as cli
    from bot.settings import Settings

    base = Settings.from_env()
    settings = Settings(**{**base.__dict__, "catalog_database_url": f"sqlite:///{tmp_path / 'c.sqlite'}",
                           "ptv_snapshot_dir": tmp_path / "ptv"})
    monkeypatch.setattr(cli, "get_settings", lambda: settings)
    assert cli.main(["sync", "--api-url", ptv.url, "--area", "Municipality:905"]) == 0
    assert "PTV sync (full)" in capsys.readouterr().out
    assert cli.main(["sync", "--api-url", ptv.url, "--area", "905"]) == 1
    error = capsys.readouterr().err.strip()
    assert error.startswith("sync failed:") and "\n" not in error


def _cli(*args: str, database: str, snapshot: Path) -> subprocess.CompletedProcess[str]:
    """``python -m bot.catalog ...`` in a process of its own, as cron, `make sync` or scripts/catalog.sh run it."""
    env = {**os.environ, "PYTHONPATH": str(PROJECT_DIR), "CATALOG_DATABASE_URL": database,
           "PTV_SNAPSHOT_DIR": str(snapshot), "REDIS_URL": ""}
    return subprocess.run([sys.executable, "-m", "bot.catalog", *args], cwd=PROJECT_DIR, env=env,
                          capture_output=True, text=True, timeout=120)


def _wait_for(condition: Any, what: str, seconds: float = 30.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.01)


def test_two_syncs_at_once_one_refuses_and_the_catalog_is_complete(ptv: FakePtv, tmp_path: Path,
                                                                  catalog_url: str, ptv_real_dir: Path) -> None:
    database, snapshot = catalog_url, tmp_path / "ptv"
    sync(ptv.url, AREA, snapshot, database, backoff_s=0.001, out=None)
    before = _names(database)
    total = len(ptv.records["services"])
    renamed = sorted(ptv.records["services"])[0]
    ptv.records["services"][renamed]["serviceNames"] = [{"type": "Name", "language": "fi", "value": "Uusi nimi"}]

    ptv.gate = threading.Event()  # the first sync waits inside PTV's first answer, holding the lock
    ptv.requests.clear()
    outcome: dict[str, Any] = {}

    def first() -> None:
        try:
            outcome["report"] = sync(ptv.url, AREA, snapshot, database, full=True, backoff_s=0.001, out=None)
        except BaseException as exc:
            outcome["error"] = exc

    runner = threading.Thread(target=first)
    runner.start()
    try:
        _wait_for(lambda: ptv.requests, "the first sync to reach PTV")
        # Another thread of this process (the service's periodic sync) ...
        with pytest.raises(CatalogBusy, match="another sync is running"):
            sync(ptv.url, AREA, snapshot, database, full=True, backoff_s=0.001, out=None)
        # ... and other processes: `make sync` and an import (scripts/catalog.sh) of the same catalog.
        for args in (("sync", "--api-url", ptv.url, "--area", AREA, "--full"), ("import", str(ptv_real_dir))):
            refused = _cli(*args, database=database, snapshot=snapshot)
            message = refused.stderr.strip()
            assert refused.returncode == 75, refused.stderr
            assert "another sync is running" in message and "\n" not in message
            assert "sync of Municipality:905 by pid" in message  # who holds it, on either store
        assert len(ptv.requests) == 1  # the refused writers never asked PTV for anything
        assert _names(database) == before and (snapshot / "state.json").exists()
    finally:
        ptv.gate.set()
        runner.join(timeout=120)
    assert "error" not in outcome, outcome.get("error")
    report: SyncReport = outcome["report"]
    assert report.fetched["services"] == total and report.imported and report.imported.services == total
    names = _names(database)
    assert _count(database) == total and "Uusi nimi" in names
    assert len({p.name for p in (snapshot / "services").glob("*.json")}) == total
    assert not snapshot.with_name("ptv.new").exists() and not snapshot.with_name("ptv.old").exists()
    # The lock went with the first sync: the next one runs.
    assert sync(ptv.url, AREA, snapshot, database, backoff_s=0.001, out=None).incremental


def test_a_sync_that_finds_no_services_keeps_the_catalog(ptv: FakePtv, tmp_path: Path, catalog_url: str) -> None:
    """Checked before anything is committed: on PostgreSQL too the previous catalog stays."""
    database, snapshot = catalog_url, tmp_path / "ptv"
    sync(ptv.url, AREA, snapshot, database, backoff_s=0.001, out=None)
    before = _names(database)
    ptv.withdrawn = list(ptv.records["services"])
    with pytest.raises(SyncError, match="no services"):
        sync(ptv.url, AREA, snapshot, database, full=True, backoff_s=0.001, out=None)
    assert _names(database) == before and _count(database) == len(ptv.records["services"])
    assert (snapshot / "state.json").exists() and not snapshot.with_name("ptv.new").exists()


def test_an_answer_that_is_not_a_record_list_fails_the_sync(ptv: FakePtv, tmp_path: Path, catalog_url: str) -> None:
    """Was read as "no records": a sync then swapped in a catalog with services missing."""
    database, snapshot = catalog_url, tmp_path / "ptv"
    sync(ptv.url, AREA, snapshot, database, backoff_s=0.001, out=None)
    before = _names(database)
    ptv.not_a_list = True
    with pytest.raises(SyncError, match="unexpected answer"):
        sync(ptv.url, AREA, snapshot, database, full=True, backoff_s=0.001, out=None)
    assert _names(database) == before


def test_deeply_nested_records_from_ptv_are_skipped_by_id(ptv: FakePtv, tmp_path: Path) -> None:
    database, snapshot = f"sqlite:///{tmp_path / 'c.sqlite'}", tmp_path / "ptv"
    abyss = "00000000-0000-0000-0000-00000000dee9"  # too deep for the JSON parser: the batch fails
    ptv.raw_services[abyss] = f'{{"id": "{abyss}", "x": {"[" * 100_000}1{"]" * 100_000}}}'
    deep = "00000000-0000-0000-0000-00000000dee8"  # parses, but deeper than any reader should meet
    ptv.raw_services[deep] = json.dumps({"id": deep, "x": json.loads("[" * 150 + "]" * 150)})
    report = sync(ptv.url, AREA, snapshot, database, backoff_s=0.001, out=None)
    assert sorted(report.malformed) == sorted([abyss[:40], deep[:40]])
    total = len(ptv.records["services"])
    assert report.fetched["services"] == total and _count(database) == total
    assert not (snapshot / "services" / f"{deep}.json").exists()


def test_an_oversized_answer_fails_the_sync(ptv: FakePtv, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sync_module, "MAX_FILE_BYTES", 50_000)  # a batch of the real records is larger
    with pytest.raises(SyncError, match="over the 50000 bytes limit"):
        sync(ptv.url, AREA, tmp_path / "ptv", f"sqlite:///{tmp_path / 'c.sqlite'}", backoff_s=0.001, out=None)
    assert not (tmp_path / "c.sqlite").exists()


def test_ids_that_could_reach_outside_the_snapshot_are_refused(ptv: FakePtv, tmp_path: Path) -> None:
    database, snapshot = f"sqlite:///{tmp_path / 'c.sqlite'}", tmp_path / "ptv"
    sync(ptv.url, AREA, snapshot, database, backoff_s=0.001, out=None)
    victim = tmp_path / "victim.json"
    victim.write_text("{}", encoding="utf-8")
    ptv.withdrawn = ["../../victim"]  # a withdrawn "service" whose id walks out of the snapshot
    report = sync(ptv.url, AREA, snapshot, database, backoff_s=0.001, out=None)
    assert victim.exists() and "../../victim" in report.malformed


def test_a_snapshot_of_another_area_is_not_continued(ptv: FakePtv, tmp_path: Path) -> None:
    database, snapshot = f"sqlite:///{tmp_path / 'c.sqlite'}", tmp_path / "ptv"
    sync(ptv.url, AREA, snapshot, database, backoff_s=0.001, out=None)
    assert not sync(ptv.url, "Municipality:905,499", snapshot, database, backoff_s=0.001, out=None).incremental
    (snapshot / "state.json").write_text("{not json", encoding="utf-8")
    assert not sync(ptv.url, "Municipality:905,499", snapshot, database, backoff_s=0.001, out=None).incremental
