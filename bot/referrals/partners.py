"""The partner registry: a YAML file a county edits, loaded into the personal store at start."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml  # type: ignore[import-untyped]
from sqlalchemy import Engine, insert, select, update

from bot.personal.crypto import encrypt
from bot.personal.store import PartnerRow

DELIVERY_METHODS = ("inbox", "email", "webhook")


class PartnerFileError(ValueError):
    """The partner file is malformed; the message names the entry and the field."""


@dataclass(frozen=True)
class Partner:
    id: str
    organization_id: str
    name: str
    service_ids: tuple[str, ...]
    target_groups: tuple[str, ...]
    capacity_per_month: int
    delivery_method: str
    delivery_address: str
    webhook_secret_enc: str
    contact_person: str

    @classmethod
    def from_row(cls, row: Any) -> Partner:
        return cls(row.id, row.organization_id, row.name, tuple(json.loads(row.service_ids)),
                   tuple(json.loads(row.target_groups)), row.capacity_per_month, row.delivery_method,
                   row.delivery_address, row.webhook_secret_enc, row.contact_person)

    def accepts(self, service_id: str, organization_id: str, target_group: str | None) -> bool:
        service_ok = service_id in self.service_ids if self.service_ids else organization_id == self.organization_id
        group_ok = not self.target_groups or not target_group or target_group in self.target_groups
        return service_ok and group_ok


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _row_values(entry: dict[str, Any], index: int) -> dict[str, Any]:
    def need(key: str) -> Any:
        if entry.get(key) in (None, ""):
            raise PartnerFileError(f"partner {index + 1}: '{key}' puuttuu")
        return entry[key]

    delivery = entry.get("delivery") or {"method": "inbox"}
    method = delivery.get("method")
    if method not in DELIVERY_METHODS:
        raise PartnerFileError(f"partner {entry.get('id', index + 1)}: delivery.method on {method!r}, "
                               f"pitää olla {', '.join(DELIVERY_METHODS)}")
    if method in ("email", "webhook") and not delivery.get("address"):
        raise PartnerFileError(f"partner {entry['id']}: delivery.address puuttuu ({method})")
    capacity = need("capacity_per_month")
    if not isinstance(capacity, int) or capacity < 0:
        raise PartnerFileError(f"partner {entry['id']}: capacity_per_month ei ole luku >= 0")
    token = entry.get("inbox_token") or ""
    return {
        "id": str(need("id")), "organization_id": str(need("organization_id")), "name": str(need("name")),
        "service_ids": json.dumps([str(s) for s in entry.get("service_ids") or []]),
        "target_groups": json.dumps([str(g) for g in entry.get("target_groups") or []]),
        "capacity_per_month": capacity, "delivery_method": method,
        "delivery_address": str(delivery.get("address") or ""),
        "webhook_secret_enc": encrypt(str(delivery["secret"])) if delivery.get("secret") else "",
        "contact_person": str(entry.get("contact_person") or ""),
        "inbox_token_sha256": token_hash(str(token)) if token else str(entry.get("inbox_token_sha256") or ""),
        "active": bool(entry.get("active", True)),
    }


def load_partner_file(engine: Engine, path: Path) -> int:
    """Insert or update every partner of the file; partners no longer listed are deactivated."""
    if not path.exists():
        return 0
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    entries = data.get("partners") or []
    if not isinstance(entries, list):
        raise PartnerFileError("'partners' pitää olla lista")
    rows = [_row_values(entry, i) for i, entry in enumerate(entries)]
    upsert(engine, rows)
    listed = {row["id"] for row in rows}
    with engine.begin() as conn:
        for partner_id in conn.execute(select(PartnerRow.id)).scalars().all():
            if partner_id not in listed:
                conn.execute(update(PartnerRow).where(PartnerRow.id == partner_id).values(active=False))
    return len(rows)


def upsert(engine: Engine, rows: list[dict[str, Any]]) -> None:
    with engine.begin() as conn:
        for row in rows:
            exists = conn.execute(select(PartnerRow.id).where(PartnerRow.id == row["id"])).first()
            if exists:
                conn.execute(update(PartnerRow).where(PartnerRow.id == row["id"]).values(**row))
            else:
                conn.execute(insert(PartnerRow).values(**row))


def active_partners(engine: Engine) -> list[Partner]:
    with engine.connect() as conn:
        rows = conn.execute(select(PartnerRow.__table__).where(PartnerRow.active.is_(True))).all()
    return [Partner.from_row(r) for r in rows]


def partner_by_token(engine: Engine, token: str) -> Partner | None:
    if not token:
        return None
    with engine.connect() as conn:
        row = conn.execute(select(PartnerRow.__table__).where(
            PartnerRow.inbox_token_sha256 == token_hash(token), PartnerRow.active.is_(True))).first()
    return Partner.from_row(row) if row else None
