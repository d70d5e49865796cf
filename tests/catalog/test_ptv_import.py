from __future__ import annotations

import json
import os
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


def test_deeply_nested_files_and_records_are_skipped_by_name(ptv_real_dir: Path, tmp_path: Path,
                                                             empty_engine: Engine) -> None:
    """100,000 nested lists used to abort the whole import with a RecursionError."""
    folder = tmp_path / "ptv"
    shutil.copytree(ptv_real_dir, folder)
    (folder / "services" / "abyss.json").write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    deep_id = "00000000-0000-0000-0000-00000000dee9"  # parses, but 150 levels deep
    good = json.loads(next((folder / "services").glob("*.json")).read_text(encoding="utf-8"))
    good["id"] = "00000000-0000-0000-0000-00000000900d"
    (folder / "services" / "page.json").write_text(json.dumps(
        {"itemList": [{"id": deep_id, "x": json.loads("[" * 150 + "]" * 150)}, good]}), encoding="utf-8")
    (folder / "channels" / "abyss.json").write_text('{"a":' * 50_000 + "1" + "}" * 50_000, encoding="utf-8")
    report = import_folder(empty_engine, folder)
    reasons = {label: reason for _, label, reason in report.skipped}
    assert set(reasons) == {"abyss.json", deep_id}
    assert "nested too deeply" in reasons["abyss.json"] and "nested deeper than 100" in reasons[deep_id]
    assert report.services == len(list((ptv_real_dir / "services").glob("*.json"))) + 1
    assert report.channels == len(list((ptv_real_dir / "channels").glob("*.json")))


def test_too_large_and_irregular_files_are_skipped(ptv_real_dir: Path, tmp_path: Path, empty_engine: Engine) -> None:
    folder = tmp_path / "ptv"
    shutil.copytree(ptv_real_dir, folder)
    with (folder / "services" / "huge.json").open("wb") as huge:  # sparse: no 51 MiB written
        huge.truncate(importer.MAX_FILE_BYTES + 1)
    os.mkfifo(folder / "services" / "pipe.json")  # reading it would wait forever
    (folder / "services" / "folder.json").mkdir()
    report = import_folder(empty_engine, folder)
    reasons = {label: reason for _, label, reason in report.skipped}
    assert reasons["huge.json"] == "file too large: 50.0 MiB is over the 50 MiB limit"
    assert reasons["pipe.json"] == reasons["folder.json"] == "not a regular file"
    assert report.services == len(list((ptv_real_dir / "services").glob("*.json")))


def test_cli_import_reports_the_skipped_file_and_imports_the_rest(ptv_real_dir: Path, tmp_path: Path,
                                                                  catalog_url: str, monkeypatch: pytest.MonkeyPatch,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    import bot.catalog.__main__ as cli
    from bot.settings import Settings

    folder = tmp_path / "ptv"
    shutil.copytree(ptv_real_dir, folder)
    (folder / "services" / "abyss.json").write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    base = Settings.from_env()
    settings = Settings(**{**base.__dict__, "catalog_database_url": catalog_url, "redis_url": ""})
    monkeypatch.setattr(cli, "get_settings", lambda: settings)
    assert cli.main(["import", str(folder)]) == 0
    out, err = capsys.readouterr()
    total = len(list((ptv_real_dir / "services").glob("*.json")))
    assert f"Imported {total} services" in out and "skipped 1 malformed" in out
    assert "skipped services abyss.json: unreadable JSON: nested too deeply" in err
    engine = store.make_engine(catalog_url)
    try:
        assert _count(engine, store.ServiceRow) == total
    finally:
        engine.dispose()


def test_an_import_without_services_keeps_the_catalog(ptv_real_dir: Path, tmp_path: Path, catalog_url: str,
                                                      monkeypatch: pytest.MonkeyPatch,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    import bot.catalog.__main__ as cli
    from bot.settings import Settings

    report = importer.import_catalog(catalog_url, ptv_real_dir)
    empty = tmp_path / "empty"
    (empty / "services").mkdir(parents=True)
    (empty / "services" / "broken.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(importer.ImportRefused, match="no published services"):
        importer.import_catalog(catalog_url, empty)
    base = Settings.from_env()
    settings = Settings(**{**base.__dict__, "catalog_database_url": catalog_url, "redis_url": ""})
    monkeypatch.setattr(cli, "get_settings", lambda: settings)
    assert cli.main(["import", str(empty)]) == 1
    assert capsys.readouterr().err.startswith("import refused: no published services")
    engine = store.make_engine(catalog_url)
    try:
        assert _count(engine, store.ServiceRow) == report.services
    finally:
        engine.dispose()
    assert not (tmp_path / "catalog.sqlite.new").exists()


def test_nesting_is_measured_without_recursion() -> None:
    value: list[object] = []
    for _ in range(200_000):  # far past the recursion limit
        value = [value]
    assert importer.too_deep(value)
    assert not importer.too_deep(json.loads("[" * 100 + "]" * 100))
    assert importer.too_deep(json.loads("[" * 101 + "]" * 101))
    assert not importer.too_deep({"a": [1, {"b": "c"}]}, limit=3) and importer.too_deep({"a": [{"b": []}]}, limit=3)
