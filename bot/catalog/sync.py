"""Keeping the catalog true to the PTV open API (v11).

A sync collects the ids of the published services of each area (nationwide services included) page
by page, fetches the full records in batches of at most 100 ids, then the service channels and
organizations they refer to, and removes withdrawn and archived services. Incremental runs ask only
for what changed since the last successful sync (the ``date`` parameter), services as well as the
channels and organizations already in the snapshot. Everything is written
into a copy of the local snapshot and imported into a new catalog version that replaces the old
one only when all went well: a failed or interrupted sync leaves the previous catalog in use.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from bot.catalog.importer import ImportReport, import_catalog

BATCH = 100
KINDS = {"services": "Service", "channels": "ServiceChannel", "organizations": "Organization"}
RETRY_STATUSES = {429, 500, 502, 503, 504}
DATE_FORMAT = "%Y-%m-%dT%H:%M:%S"


class SyncError(RuntimeError):
    """The sync failed; the previous catalog stays in use. The message is one line."""


@dataclass
class SyncReport:
    fetched: dict[str, int] = field(default_factory=lambda: {k: 0 for k in KINDS})
    removed: int = 0
    malformed: list[str] = field(default_factory=list)
    retries: int = 0
    incremental: bool = False
    imported: ImportReport | None = None

    def summary(self) -> str:
        mode = "incremental" if self.incremental else "full"
        parts = [f"PTV sync ({mode}): {self.fetched['services']} services, {self.fetched['channels']} channels, "
                 f"{self.fetched['organizations']} organizations fetched, {self.removed} removed"]
        if self.malformed:
            parts.append(f"{len(self.malformed)} malformed skipped ({', '.join(self.malformed[:10])})")
        if self.retries:
            parts.append(f"{self.retries} retries")
        if self.imported:
            parts.append(f"catalog now {self.imported.services} services")
        return "; ".join(parts)


def parse_area(text: str) -> list[tuple[str, str]]:
    """'WellbeingServiceCounty:06' or 'Municipality:684,609' -> [(area type, code), ...]."""
    pairs: list[tuple[str, str]] = []
    for part in text.split(";"):
        if not part.strip():
            continue
        kind, sep, codes = part.partition(":")
        if not sep or not kind.strip() or not codes.strip():
            raise SyncError(f"area must look like 'Municipality:684,609' or 'WellbeingServiceCounty:06', not {text!r}")
        pairs += [(kind.strip(), code.strip()) for code in codes.split(",") if code.strip()]
    return pairs


class PtvClient:
    """GETs with timeouts, and retries with exponential backoff on 429, 5xx and dropped connections."""

    def __init__(self, base_url: str, client: httpx.Client, *, retries: int = 5, backoff_s: float = 1.0,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.base_url = base_url.rstrip("/")
        self.client = client
        self.retries = retries
        self.backoff_s = backoff_s
        self.sleep = sleep
        self.retried = 0

    def get(self, path: str, params: dict[str, Any] | None = None) -> Any:
        url = f"{self.base_url}/{path.lstrip('/')}"
        for attempt in range(self.retries + 1):
            try:
                response = self.client.get(url, params=params)
            except httpx.TransportError as exc:
                problem = f"{type(exc).__name__} from {url}"
            else:
                if response.status_code not in RETRY_STATUSES:
                    if response.status_code >= 400:
                        raise SyncError(f"PTV answered {response.status_code} for {url}")
                    try:
                        return response.json()
                    except ValueError as exc:
                        raise SyncError(f"PTV sent invalid JSON for {url}") from exc
                problem = f"PTV answered {response.status_code} for {url}"
                wait = response.headers.get("Retry-After")
                if wait and wait.isdigit() and attempt < self.retries:
                    self.retried += 1
                    self.sleep(min(float(wait), 60.0))
                    continue
            if attempt == self.retries:
                raise SyncError(f"{problem} after {self.retries} retries")
            self.retried += 1
            self.sleep(self.backoff_s * 2 ** attempt)
        raise SyncError(f"no answer from {url}")  # unreachable

    def ids(self, path: str, params: dict[str, Any]) -> Iterator[str]:
        """Every id of a paged id list (``pageNumber``, ``pageCount``, ``itemList``)."""
        page = 1
        while True:
            data = self.get(path, {**params, "page": page})
            if not isinstance(data, dict):
                raise SyncError(f"unexpected page from {path}")
            for item in data.get("itemList") or []:
                if isinstance(item, dict) and isinstance(item.get("id"), str):
                    yield item["id"]
            if page >= int(data.get("pageCount") or 0):
                return
            page += 1

    def records(self, kind: str, ids: list[str]) -> Iterator[Any]:
        for start in range(0, len(ids), BATCH):
            batch = ids[start:start + BATCH]
            data = self.get(f"{kind}/list", {"guids": ",".join(batch)})
            items = data.get("itemList") if isinstance(data, dict) else data
            yield from items if isinstance(items, list) else []


def _service_links(record: dict[str, Any]) -> tuple[set[str], set[str]]:
    channels = {str(c["serviceChannel"]["id"]) for c in record.get("serviceChannels") or []
                if isinstance(c, dict) and isinstance(c.get("serviceChannel"), dict) and c["serviceChannel"].get("id")}
    orgs = {str(o["organization"]["id"]) for o in record.get("organizations") or []
            if isinstance(o, dict) and isinstance(o.get("organization"), dict) and o["organization"].get("id")}
    return channels, orgs


class _Progress:
    def __init__(self, label: str, total: int, out: Any) -> None:
        self.label, self.total, self.done, self.out = label, total, 0, out

    def step(self, n: int = 1) -> None:
        self.done += n
        if self.out and (self.done == self.total or self.done % 50 == 0):
            width = 30
            filled = int(width * self.done / max(self.total, 1))
            print(f"\r{self.label:<14} [{'#' * filled}{'.' * (width - filled)}] {self.done}/{self.total}",
                  end="\n" if self.done >= self.total else "", file=self.out, flush=True)


def _write(folder: Path, kind: str, records: Iterable[Any], report: SyncReport, label: str,
           out: Any, total: int) -> list[dict[str, Any]]:
    kept: list[dict[str, Any]] = []
    progress = _Progress(label, total, out)
    (folder / kind).mkdir(parents=True, exist_ok=True)
    for record in records:
        progress.step()
        record_id = record.get("id") if isinstance(record, dict) else None
        if not isinstance(record_id, str) or len(record_id) > 64 or "/" in record_id:
            report.malformed.append(str(record_id or "?")[:40])
            continue
        (folder / kind / f"{record_id}.json").write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
        report.fetched[kind] += 1
        kept.append(record)
    return kept


def sync(base_url: str, area: str, snapshot: Path, database_url: str, *, full: bool = False,
         client: httpx.Client | None = None, backoff_s: float = 1.0, out: Any = sys.stderr) -> SyncReport:
    """Bring the snapshot and the catalog up to date with PTV; see the module docstring."""
    areas = parse_area(area)
    state_file = snapshot / "state.json"
    since = None
    if not full and state_file.exists():
        since = json.loads(state_file.read_text(encoding="utf-8")).get("last_success")
    report = SyncReport(incremental=since is not None)
    started = dt.datetime.now(dt.UTC).strftime(DATE_FORMAT)
    work = snapshot.with_name(snapshot.name + ".new")
    shutil.rmtree(work, ignore_errors=True)
    if since:
        shutil.copytree(snapshot, work)
    else:
        work.mkdir(parents=True)
    owns = client is None
    http = client or httpx.Client(timeout=httpx.Timeout(30.0, connect=10.0),
                                  headers={"User-Agent": "hyte-navigaattori-sync"})
    ptv = PtvClient(base_url, http, backoff_s=backoff_s)
    try:
        date = {"date": since} if since else {}
        service_ids: list[str] = []
        for kind, code in areas:
            for service_id in ptv.ids(f"Service/area/{kind}/code/{code}", {"includeWholeCountry": "true", **date}):
                if service_id not in service_ids:
                    service_ids.append(service_id)
        services = _write(work, "services", ptv.records("Service", service_ids), report, "Palvelut", out,
                          len(service_ids))
        channel_ids: set[str] = set()
        org_ids: set[str] = set()
        for record in services:
            channels, orgs = _service_links(record)
            channel_ids |= channels
            org_ids |= orgs
        channels_fetched = _write(work, "channels", ptv.records("ServiceChannel", sorted(channel_ids)), report,
                                  "Asiointikanavat", out, len(channel_ids))
        org_ids |= {str(c["organizationId"]) for c in channels_fetched if c.get("organizationId")}
        _write(work, "organizations", ptv.records("Organization", sorted(org_ids)), report, "Organisaatiot", out,
               len(org_ids))
        if since:  # a channel or an organization may change without its services changing
            for kind, endpoint, label, fetched in (("channels", "ServiceChannel", "Muuttuneet kanavat", channel_ids),
                                               ("organizations", "Organization", "Muuttuneet organisaatiot",
                                                org_ids)):
                have = {p.stem for p in (work / kind).glob("*.json")} - fetched
                changed = [i for i in ptv.ids(endpoint, {"date": since}) if i in have]
                _write(work, kind, ptv.records(endpoint, changed), report, label, out, len(changed))
            for status in ("Withdrawn", "Archived"):
                for gone in ptv.ids("Service", {"status": status, "date": since}):
                    path = work / "services" / f"{gone}.json"
                    if path.exists():
                        path.unlink()
                        report.removed += 1
        report.retries = ptv.retried
        imported = import_catalog(database_url, work)
        if not imported.services:
            raise SyncError("the synced catalog has no services; the previous catalog stays in use")
        report.imported = imported
        (work / "state.json").write_text(json.dumps({"last_success": started, "area": area}), encoding="utf-8")
        old = snapshot.with_name(snapshot.name + ".old")
        shutil.rmtree(old, ignore_errors=True)
        if snapshot.exists():
            snapshot.rename(old)
        work.rename(snapshot)
        shutil.rmtree(old, ignore_errors=True)
        return report
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    finally:
        if owns:
            http.close()
