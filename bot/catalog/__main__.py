"""Catalog command line: ``python -m bot.catalog import FOLDER``, ``sync`` and ``serve``.

``import`` and ``sync`` write the catalog; only one of them runs at a time per catalog (the
writer lock, bot/catalog/writer_lock.py). A second one exits with BUSY_EXIT and one line on
stderr ("another sync is running ..."), leaving the catalog as it is.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from bot.catalog.cache import invalidate
from bot.catalog.writer_lock import CatalogBusy
from bot.settings import get_settings

BUSY_EXIT = 75  # EX_TEMPFAIL: try again later


def main(argv: list[str] | None = None) -> int:
    settings = get_settings()
    parser = argparse.ArgumentParser(prog="python -m bot.catalog",
                                     description="Hyte navigator catalog service")
    sub = parser.add_subparsers(dest="command", required=True)
    imp = sub.add_parser("import", help="replace the catalog with PTV JSON records from a folder")
    imp.add_argument("folder", type=Path, nargs="?", default=settings.demo_catalog_dir,
                     help="folder with services/, channels/ and organizations/ (default: demo catalog)")
    syn = sub.add_parser("sync", help="update the catalog from the PTV open API (v11)",
                         description="Fetch services, service channels and organizations of an area from PTV, "
                                     "nationwide services included; incremental after the first run. A failed "
                                     "sync leaves the previous catalog in use.")
    syn.add_argument("--api-url", default=settings.ptv_api_url, help="PTV API base incl. version (PTV_API_URL)")
    syn.add_argument("--area", default=settings.ptv_area,
                     help="'WellbeingServiceCounty:06' or 'Municipality:684,609' (PTV_AREA)")
    syn.add_argument("--full", action="store_true", help="fetch everything, not only what changed")
    serve = sub.add_parser("serve", help="run the catalog service and website")
    serve.add_argument("--host", default=os.environ.get("CATALOG_HOST", "127.0.0.1"),
                       help="public listener (CATALOG_HOST; 0.0.0.0 only behind a proxy)")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--private-host", default=os.environ.get("PRIVATE_HOST", "127.0.0.1"),
                       help="internal, partner and admin APIs (PRIVATE_HOST): a private interface")
    serve.add_argument("--private-port", type=int, default=int(os.environ.get("PRIVATE_PORT", "8001")))
    args = parser.parse_args(argv)

    if args.command == "import":
        from bot.catalog.importer import ImportRefused, import_catalog

        if not args.folder.is_dir():
            print(f"error: folder not found: {args.folder}", file=sys.stderr)
            return 2
        try:
            report = import_catalog(settings.catalog_database_url, args.folder)
        except CatalogBusy as exc:
            print(f"import refused: {exc}", file=sys.stderr)
            return BUSY_EXIT
        except ImportRefused as exc:
            print(f"import refused: {exc}", file=sys.stderr)
            return 1
        invalidate(settings.redis_url)
        print(report.summary())
        for kind, label, reason in report.skipped[:50]:
            print(f"  skipped {kind} {label}: {reason}", file=sys.stderr)
        if len(report.skipped) > 50:
            print(f"  ... and {len(report.skipped) - 50} more skipped", file=sys.stderr)
        return 0
    if args.command == "sync":
        from bot.catalog.sync import SyncError, sync

        try:
            synced = sync(args.api_url, args.area, settings.ptv_snapshot_dir, settings.catalog_database_url,
                          full=args.full)
        except CatalogBusy as exc:
            print(f"sync refused: {exc}", file=sys.stderr)
            return BUSY_EXIT
        except SyncError as exc:
            print(f"sync failed: {exc}", file=sys.stderr)
            return 1
        except KeyboardInterrupt:
            print("sync interrupted; the previous catalog stays in use", file=sys.stderr)
            return 130
        invalidate(settings.redis_url)
        print(synced.summary())
        return 0
    from bot.catalog.serving import serve as serve_both

    serve_both(settings, args.host, args.port, args.private_host, args.private_port)
    return 0


if __name__ == "__main__":
    sys.exit(main())
