from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine

from bot.catalog import store
from bot.catalog.importer import import_folder
from bot.demo.generator import write

PROJECT_DIR = Path(__file__).resolve().parent.parent
PTV_REAL = PROJECT_DIR.parent / "shared" / "data" / "ptv-real"


@pytest.fixture(scope="session")
def ptv_real_dir() -> Path:
    if not (PTV_REAL / "services").is_dir():
        pytest.skip(f"real PTV records not found at {PTV_REAL} (../shared beside the clone)")
    return PTV_REAL





@pytest.fixture(scope="session")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("demo") / "catalog"
    write(out)
    return out


@pytest.fixture(scope="session")
def demo_engine(demo_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Engine:
    db = tmp_path_factory.mktemp("db") / "catalog.sqlite"
    engine = store.make_engine(f"sqlite:///{db}")
    store.create_schema(engine)
    report = import_folder(engine, demo_dir)
    assert not report.skipped
    return engine


@pytest.fixture()
def empty_engine(tmp_path: Path) -> Engine:
    engine = store.make_engine(f"sqlite:///{tmp_path / 'c.sqlite'}")
    store.create_schema(engine)
    return engine
