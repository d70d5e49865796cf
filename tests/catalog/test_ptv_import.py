from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select, text

from bot.catalog import importer, store
from bot.catalog.importer import import_folder
from bot.catalog.ptv import parse_service


def _count(engine: Engine, table: type[store.Base]) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def test_every_real_record_is_read(ptv_real_dir: Path, empty_engine: Engine) -> None:
    report = import_folder(empty_engine, ptv_real_dir)
    assert report.skipped == []
    assert report.services == len(list((ptv_real_dir / "services").glob("*.json")))
    assert report.channels == len(list((ptv_real_dir / "channels").glob("*.json")))
    assert report.organizations == len(list((ptv_real_dir / "organizations").glob("*.json")))
    assert _count(empty_engine, store.ServiceRow) == report.services


def test_records_are_stored_unchanged(ptv_real_dir: Path, empty_engine: Engine) -> None:
    import_folder(empty_engine, ptv_real_dir)
    path = next((ptv_real_dir / "services").glob("*.json"))
    original = json.loads(path.read_text(encoding="utf-8"))
    with empty_engine.connect() as conn:
        raw = conn.execute(select(store.ServiceDocumentRow.raw)
                           .where(store.ServiceDocumentRow.service_id == original["id"])).scalar_one()
    assert json.loads(raw) == original


def test_real_areas_and_nationwide(ptv_real_dir: Path, empty_engine: Engine) -> None:
    import_folder(empty_engine, ptv_real_dir)
    with empty_engine.connect() as conn:
        nationwide = conn.execute(select(func.count()).where(store.ServiceRow.nationwide)).scalar_one()
        vaasa = conn.execute(text("SELECT COUNT(*) FROM coverage WHERE municipality_code='905'")
                             ).scalar_one()
    assert nationwide == 11  # the real records hold 11 areaType Nationwide services
    assert vaasa > 0


def test_real_service_fields(ptv_real_dir: Path) -> None:
    path = next(p for p in (ptv_real_dir / "services").glob("*.json")
                if "Uimahalli" in p.read_text(encoding="utf-8"))
    service = parse_service(json.loads(path.read_text(encoding="utf-8")))
    assert service.name == "Uimahalli"
    assert service.area_direct == {"905"}
    assert service.provider_name


def test_malformed_records_are_skipped_and_reported(ptv_real_dir: Path, tmp_path: Path,
                                                    empty_engine: Engine) -> None:
    folder = tmp_path / "ptv"
    shutil.copytree(ptv_real_dir, folder)
    (folder / "services" / "broken.json").write_text("{not json", encoding="utf-8")
    (folder / "services" / "list.json").write_text(json.dumps([42, {"id": "x"}]), encoding="utf-8")
    (folder / "services" / "noname.json").write_text(
        json.dumps({"id": "00000000-0000-0000-0000-000000000001", "serviceNames": []}), encoding="utf-8")
    report = import_folder(empty_engine, folder)
    reasons = {label: reason for _, label, reason in report.skipped}
    assert "broken.json" in reasons and "unreadable JSON" in reasons["broken.json"]
    assert "00000000-0000-0000-0000-000000000001" in reasons
    assert len(report.skipped) == 4
    assert report.services == len(list((ptv_real_dir / "services").glob("*.json")))


def test_duplicate_record_is_reported_not_fatal(ptv_real_dir: Path, empty_engine: Engine,
                                               tmp_path: Path) -> None:
    folder = tmp_path / "dup"
    shutil.copytree(ptv_real_dir, folder)
    first = next((folder / "services").glob("*.json"))
    shutil.copy(first, folder / "services" / "zz-duplicate.json")
    report = import_folder(empty_engine, folder)
    assert [reason for _, _, reason in report.skipped] == ["duplicate id: the first record is kept"]


def test_failed_import_keeps_previous_catalog(ptv_real_dir: Path, demo_dir: Path, empty_engine: Engine,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    import_folder(empty_engine, ptv_real_dir)
    before = _count(empty_engine, store.ServiceRow)
    real_insert = importer.insert

    def failing_insert(table):  # type: ignore[no-untyped-def]
        if table is store.MetaRow:  # the very last write of the transaction
            raise RuntimeError("disk full")
        return real_insert(table)

    monkeypatch.setattr(importer, "insert", failing_insert)
    with pytest.raises(RuntimeError, match="disk full"):
        import_folder(empty_engine, demo_dir)
    assert _count(empty_engine, store.ServiceRow) == before


def test_sqlite_import_swaps_a_whole_new_file(ptv_real_dir: Path, tmp_path: Path) -> None:
    db = tmp_path / "catalog.sqlite"
    db.write_bytes(b"an old file with another schema")
    report = importer.import_catalog(f"sqlite:///{db}", ptv_real_dir)
    assert report.services > 0
    engine = store.make_engine(f"sqlite:///{db}")
    assert _count(engine, store.ServiceRow) == report.services
    assert not (tmp_path / "catalog.sqlite.new").exists()
