"""Catalog command line: ``python -m bot.catalog import FOLDER`` and ``serve``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bot.settings import get_settings


def main(argv: list[str] | None = None) -> int:
    settings = get_settings()
    parser = argparse.ArgumentParser(prog="python -m bot.catalog",
                                     description="Hyte navigator catalog service")
    sub = parser.add_subparsers(dest="command", required=True)
    imp = sub.add_parser("import", help="replace the catalog with PTV JSON records from a folder")
    imp.add_argument("folder", type=Path, nargs="?", default=settings.demo_catalog_dir,
                     help="folder with services/, channels/ and organizations/ (default: demo catalog)")
    serve = sub.add_parser("serve", help="run the catalog service and website")
    serve.add_argument("--host", default="0.0.0.0")
    serve.add_argument("--port", type=int, default=8000)
    args = parser.parse_args(argv)

    if args.command == "import":
        from bot.catalog.importer import import_catalog

        if not args.folder.is_dir():
            print(f"error: folder not found: {args.folder}", file=sys.stderr)
            return 2
        report = import_catalog(settings.catalog_database_url, args.folder)
        print(report.summary())
        for kind, label, reason in report.skipped[:50]:
            print(f"  skipped {kind} {label}: {reason}", file=sys.stderr)
        return 0 if report.services else 1
    import uvicorn

    from bot.catalog.api import create_app

    uvicorn.run(create_app(settings), host=args.host, port=args.port, log_level="info")
    return 0


if __name__ == "__main__":
    sys.exit(main())
