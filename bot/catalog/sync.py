"""Keeping the catalog true to the PTV open API (v11).

A sync collects the ids of the published services of each area (nationwide services included) page
by page, fetches the full records in batches of at most 100 ids, then the service channels and
organizations they refer to, and removes withdrawn and archived services. Incremental runs ask only
for what changed since the last successful sync (the ``date`` parameter), services as well as the
channels and organizations already in the snapshot. Everything is written
into a copy of the local snapshot and imported into a new catalog version that replaces the old
one only when all went well: a failed or interrupted sync leaves the previous catalog in use.

A sync holds the catalog's writer lock (``writer_lock``) and a lock on its snapshot folder from
start to end: a second sync or import of the same catalog is refused with ``CatalogBusy`` before
it touches anything. Answers are read up to ``MAX_FILE_BYTES``; a record that is malformed or
nested too deeply is skipped and reported by id, and so is an id that could not be a file name.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from bot.catalog.importer import (
    MAX_FILE_BYTES,
    ImportRefused,
    ImportReport,
    NestedTooDeep,
    UnreadableJson,
    import_catalog,
    parse_json,
    size_text,
    too_deep,
)
from bot.catalog.writer_lock import catalog_writer, folder_writer

BATCH = 100
KINDS = {"services": "Service", "channels": "ServiceChannel", "organizations": "Organization"}
RETRY_STATUSES = {429, 500, 502, 503, 504}
DATE_FORMAT = "%Y-%m-%dT%H:%M:%S"
DATE_PATTERN = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d")
SAFE_ID = re.compile(r"[0-9A-Za-z][0-9A-Za-z_.-]{0,63}")  # PTV ids are GUIDs; each becomes a file name


class SyncError(RuntimeError):
    """The sync failed; the previous catalog stays in use. The message is one line."""


class DeepAnswer(SyncError):
    """PTV answered with JSON nested too deeply to read."""


@dataclass(frozen=True)
class Unreadable:
    """A record PTV could not deliver readably (in place of the record)."""

    id: str


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
        self.refused_ids: list[str] = []

    def _fetch(self, url: str, params: dict[str, Any] | None) -> tuple[int, str | None, bytes]:
        """Status, Retry-After and the body, read up to MAX_FILE_BYTES (after decompression)."""
        with self.client.stream("GET", url, params=params) as response:
            status = response.status_code
            if status in RETRY_STATUSES or status >= 400:
                return status, response.headers.get("Retry-After"), b""
            declared = response.headers.get("Content-Length", "")
            limit = f"over the {size_text(MAX_FILE_BYTES)} limit"
            if declared.isdigit() and int(declared) > MAX_FILE_BYTES:
                raise SyncError(f"PTV answer from {url} is {limit} ({size_text(int(declared))})")
            body = bytearray()
            for chunk in response.iter_bytes():
                body += chunk
                if len(body) > MAX_FILE_BYTES:
                    raise SyncError(f"PTV answer from {url} is {limit}")
            return status, None, bytes(body)

    def get(self, path: str, params: dict[str, Any] | None = None) -> Any:
        url = f"{self.base_url}/{path.lstrip('/')}"
        for attempt in range(self.retries + 1):
            try:
                status, wait, body = self._fetch(url, params)
            except httpx.TransportError as exc:
                problem = f"{type(exc).__name__} from {url}"
            else:
                if status not in RETRY_STATUSES:
                    if status >= 400:
                        raise SyncError(f"PTV answered {status} for {url}")
                    try:
                        return parse_json(body)
                    except NestedTooDeep:
                        raise DeepAnswer(f"PTV sent JSON nested too deeply for {url}") from None
                    except UnreadableJson as exc:
                        raise SyncError(f"PTV sent invalid JSON for {url} ({exc})") from None
                problem = f"PTV answered {status} for {url}"
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
            items = data.get("itemList") if isinstance(data, dict) else False
            if not isinstance(data, dict) or not isinstance(items, list | None):
                raise SyncError(f"unexpected page from {path}")
            for item in items or []:
                if isinstance(item, dict) and isinstance(item.get("id"), str):
                    if SAFE_ID.fullmatch(item["id"]):
                        yield item["id"]
                    else:
                        self.refused_ids.append(item["id"][:40])
            try:
                count = int(data.get("pageCount") or 0)
            except (TypeError, ValueError):
                raise SyncError(f"unexpected page count from {path}") from None
            if page >= count:
                return
            page += 1

    def _batch(self, kind: str, ids: list[str]) -> list[Any]:
        data = self.get(f"{kind}/list", {"guids": ",".join(ids)})
        items = data.get("itemList") if isinstance(data, dict) else data
        if not isinstance(items, list):  # never taken as "no records": that would drop services
            raise SyncError(f"unexpected answer from {kind}/list: {type(items).__name__} instead of a list")
        return items

    def records(self, kind: str, ids: list[str]) -> Iterator[Any]:
        """The records of ``ids`` in batches; a batch too deeply nested to read is fetched again
        one record at a time, and the unreadable one comes back as ``Unreadable``."""
        for start in range(0, len(ids), BATCH):
            batch = ids[start:start + BATCH]
            try:
                items = self._batch(kind, batch)
            except DeepAnswer:
                items = []
                for one in batch:
                    try:
                        items += self._batch(kind, [one])
                    except DeepAnswer:
                        items.append(Unreadable(one))
            yield from items


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
        if isinstance(record, Unreadable):
            report.malformed.append(record.id[:40])
            continue
        record_id = record.get("id") if isinstance(record, dict) else None
        if not isinstance(record_id, str) or not SAFE_ID.fullmatch(record_id) or too_deep(record):
            report.malformed.append(str(record_id or "?")[:40])
            continue
        (folder / kind / f"{record_id}.json").write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
        report.fetched[kind] += 1
        kept.append(record)
    return kept


def _last_success(state_file: Path, area: str) -> str | None:
    """When the snapshot's last successful sync of this area started; None means a full sync."""
    try:
        state = json.loads(state_file.read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        return None  # no state, or an unreadable one: start again from scratch
    if not isinstance(state, dict) or state.get("area", area) != area:
        return None  # another area's snapshot: an incremental run would keep its services
    since = state.get("last_success")
    return since if isinstance(since, str) and DATE_PATTERN.fullmatch(since) else None


def sync(base_url: str, area: str, snapshot: Path, database_url: str, *, full: bool = False,
         client: httpx.Client | None = None, backoff_s: float = 1.0, out: Any = sys.stderr) -> SyncReport:
    """Bring the snapshot and the catalog up to date with PTV; see the module docstring. Raises
    ``CatalogBusy`` at once, changing nothing, when another sync or import is writing the catalog
    or the snapshot."""
    parse_area(area)
    what = f"sync of {area}"
    with catalog_writer(database_url, what), folder_writer(snapshot, what):
        return _sync(base_url, area, snapshot, database_url, full=full, client=client, backoff_s=backoff_s,
                     out=out)


def _sync(base_url: str, area: str, snapshot: Path, database_url: str, *, full: bool,
          client: httpx.Client | None, backoff_s: float, out: Any) -> SyncReport:
    areas = parse_area(area)
    old = snapshot.with_name(snapshot.name + ".old")
    if not snapshot.exists() and old.exists():  # a sync stopped between its two renames
        old.rename(snapshot)
    since = None if full else _last_success(snapshot / "state.json", area)
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
        report.malformed += ptv.refused_ids
        try:  # the writer lock is ours already: import_catalog takes it again in this thread
            imported = import_catalog(database_url, work)
        except ImportRefused:
            raise SyncError("the synced catalog has no services; the previous catalog stays in use") from None
        report.imported = imported
        # The catalog is in; the snapshot follows. Should this fail, the next run asks PTV again
        # for what changed since the previous snapshot, which is the safe side.
        (work / "state.json").write_text(json.dumps({"last_success": started, "area": area}), encoding="utf-8")
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
