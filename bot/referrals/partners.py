"""The partner registry: a YAML file a county edits, loaded into the personal store at start, and
the county's admin API for partners made at run time.

The file manages only its own partners: a reload deactivates those it no longer lists, never the
ones made through the admin API. Secrets (inbox token, webhook secret) are stored hashed or
encrypted; the admin API keeps them unless new ones are given, and makes one when a partner needs
one and has none (returned once)."""

from __future__ import annotations

import hashlib
import json
import re
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml  # type: ignore[import-untyped]
from sqlalchemy import Connection, Engine, delete, insert, select, update

from bot.outbox.senders import webhook_url_problem
from bot.personal.crypto import encrypt
from bot.personal.store import PartnerFileEntryRow, PartnerRow

DELIVERY_METHODS = ("inbox", "email", "webhook")
MAX_LENGTHS = {"id": 64, "organization_id": 64, "name": 200, "delivery_address": 500, "contact_person": 200}
MIN_SECRET = 16  # characters of an inbox token or a webhook secret given through the admin API
SHA256_HEX = re.compile(r"^[0-9a-f]{64}$")
# A partner id travels in the chat's referral slot next to the service id, so it has a shape the
# conversation store keeps unmasked (bot/personal/masking.py, "service_and_partner")
PARTNER_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$")


class PartnerFileError(ValueError):
    """The partner file (or an admin API entry) is malformed; the message names the entry and the field."""


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

    def takes_service(self, service_id: str, organization_id: str) -> bool:
        """The agreement covers the service (its own list, or else all of its organisation's)."""
        return service_id in self.service_ids if self.service_ids else organization_id == self.organization_id

    def takes_group(self, target_group: str | None) -> bool:
        """A partner limited to target groups takes only those: an unknown group is not one of them."""
        return not self.target_groups or (target_group is not None and target_group in self.target_groups)

    def accepts(self, service_id: str, organization_id: str, target_group: str | None) -> bool:
        return self.takes_service(service_id, organization_id) and self.takes_group(target_group)

    def can_deliver(self) -> bool:
        """The configured delivery can carry personal data: a webhook has its own secret and https."""
        if self.delivery_method == "webhook":
            return bool(self.webhook_secret_enc) and not webhook_url_problem(self.delivery_address)
        if self.delivery_method == "email":
            return bool(self.delivery_address)
        return True


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_secret() -> str:
    return secrets.token_urlsafe(32)


def _row_values(entry: dict[str, Any], index: int) -> dict[str, Any]:
    """The partner's fields, validated; secrets are not among them (see ``_file_secrets``)."""
    def need(key: str) -> Any:
        if entry.get(key) in (None, ""):
            raise PartnerFileError(f"partner {entry.get('id') or index + 1}: '{key}' puuttuu")
        return entry[key]

    name = entry.get("id") or index + 1
    delivery = entry.get("delivery") or {"method": "inbox"}
    if not isinstance(delivery, dict):
        raise PartnerFileError(f"partner {name}: delivery pitää olla muotoa {{method: ..., address: ...}}")
    method = delivery.get("method")
    if method not in DELIVERY_METHODS:
        raise PartnerFileError(f"partner {name}: delivery.method on {method!r}, "
                               f"pitää olla {', '.join(DELIVERY_METHODS)}")
    address = str(delivery.get("address") or "").strip()
    if method in ("email", "webhook") and not address:
        raise PartnerFileError(f"partner {name}: delivery.address puuttuu ({method})")
    if method == "webhook" and (problem := webhook_url_problem(address)):
        raise PartnerFileError(f"partner {name}: delivery.address: {problem}")
    capacity = need("capacity_per_month")
    if not isinstance(capacity, int) or isinstance(capacity, bool) or capacity < 0:
        raise PartnerFileError(f"partner {name}: capacity_per_month ei ole luku >= 0")
    for key in ("service_ids", "target_groups"):
        if not isinstance(entry.get(key) or [], list):
            raise PartnerFileError(f"partner {name}: {key} pitää olla lista")
    values = {
        "id": str(need("id")), "organization_id": str(need("organization_id")), "name": str(need("name")),
        "service_ids": json.dumps([str(s) for s in entry.get("service_ids") or []]),
        "target_groups": json.dumps([str(g) for g in entry.get("target_groups") or []]),
        "capacity_per_month": capacity, "delivery_method": method, "delivery_address": address,
        "contact_person": str(entry.get("contact_person") or ""),
        "active": bool(entry.get("active", True)),
    }
    for key, limit in MAX_LENGTHS.items():
        if len(values[key]) > limit:
            raise PartnerFileError(f"partner {name}: {key} on liian pitkä (enintään {limit} merkkiä)")
    if not PARTNER_ID.match(values["id"]):
        raise PartnerFileError(f"partner {name}: id saa sisältää vain kirjaimia a–z, numeroita ja merkkejä _ . : - "
                               "(ei välilyöntejä)")
    return values


def _file_secrets(entry: dict[str, Any], values: dict[str, Any]) -> dict[str, str]:
    """What the file says about the partner's secrets; the file is authoritative for its own partners
    (a token removed from the file is revoked at the next start)."""
    delivery = entry.get("delivery") or {}
    token = str(entry.get("inbox_token") or "")
    token_sha = str(entry.get("inbox_token_sha256") or "").lower()
    if token_sha and not SHA256_HEX.match(token_sha):
        raise PartnerFileError(f"partner {values['id']}: inbox_token_sha256 ei ole SHA-256 (64 heksamerkkiä)")
    secret = str(delivery.get("secret") or "") if isinstance(delivery, dict) else ""
    if values["delivery_method"] == "webhook" and not secret:
        raise PartnerFileError(f"partner {values['id']}: delivery.secret puuttuu (webhook): jokaisella "
                               "webhook-kumppanilla on oma allekirjoitusavaimensa")
    return {"inbox_token_sha256": token_hash(token) if token else token_sha,
            "webhook_secret_enc": encrypt(secret) if secret else ""}


def load_partner_file(engine: Engine, path: Path | None) -> int:
    """Insert or update every partner of the file. Partners that came from the file and are no longer
    listed are deactivated; partners made through the admin API are left as they are."""
    if path is None or not path.exists():
        return 0
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    entries = (data.get("partners") or []) if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise PartnerFileError("'partners' pitää olla lista")
    rows = []
    for i, entry in enumerate(entries):
        if not isinstance(entry, dict):
            raise PartnerFileError(f"partner {i + 1}: pitää olla avain-arvo-pareja")
        values = _row_values(entry, i)
        rows.append({**values, **_file_secrets(entry, values)})
    listed = {row["id"] for row in rows}
    if len(listed) != len(rows):
        raise PartnerFileError("sama partner id on tiedostossa kahdesti")
    with engine.begin() as conn:
        for row in rows:
            _upsert(conn, row)
        managed = set(conn.execute(select(PartnerFileEntryRow.partner_id)).scalars().all())
        for partner_id in managed - listed:
            conn.execute(update(PartnerRow).where(PartnerRow.id == partner_id).values(active=False))
            conn.execute(delete(PartnerFileEntryRow).where(PartnerFileEntryRow.partner_id == partner_id))
        for partner_id in listed - managed:
            conn.execute(insert(PartnerFileEntryRow).values(partner_id=partner_id))
    return len(rows)


def _upsert(conn: Connection, row: dict[str, Any]) -> bool:
    """Insert or update one partner with the values given (others stay); True when it was new."""
    exists = conn.execute(select(PartnerRow.id).where(PartnerRow.id == row["id"])).first()
    if exists:
        conn.execute(update(PartnerRow).where(PartnerRow.id == row["id"]).values(**row))
        return False
    conn.execute(insert(PartnerRow).values(**{"webhook_secret_enc": "", "inbox_token_sha256": "", **row}))
    return True


def upsert(engine: Engine, rows: list[dict[str, Any]]) -> None:
    with engine.begin() as conn:
        for row in rows:
            _upsert(conn, row)


def save_partner(engine: Engine, entry: dict[str, Any], inbox_token: str = "",
                 webhook_secret: str = "") -> tuple[bool, dict[str, str]]:
    """The admin API's create-or-replace of one partner. Its inbox token and webhook secret stay as
    they are unless new ones are given. A webhook partner without a secret of its own, and a new
    inbox partner without a token, get a generated one. Returns (created, the generated secrets in
    plain text, to be shown to the admin once: they are stored only hashed or encrypted)."""
    values = _row_values(entry, 0)
    for label, given in (("inbox_token", inbox_token), ("webhook_secret", webhook_secret)):
        if given and len(given) < MIN_SECRET:
            raise PartnerFileError(f"partner {values['id']}: {label} on liian lyhyt (vähintään {MIN_SECRET} merkkiä)")
    generated: dict[str, str] = {}
    with engine.begin() as conn:
        current = conn.execute(select(PartnerRow.webhook_secret_enc, PartnerRow.inbox_token_sha256)
                               .where(PartnerRow.id == values["id"])).first()
        if inbox_token:
            values["inbox_token_sha256"] = token_hash(inbox_token)
        elif current is None and values["delivery_method"] == "inbox":
            generated["inbox_token"] = new_secret()
            values["inbox_token_sha256"] = token_hash(generated["inbox_token"])
        if webhook_secret:
            values["webhook_secret_enc"] = encrypt(webhook_secret)
        elif values["delivery_method"] == "webhook" and not (current and current.webhook_secret_enc):
            generated["webhook_secret"] = new_secret()
            values["webhook_secret_enc"] = encrypt(generated["webhook_secret"])
        created = _upsert(conn, values)
    return created, generated


def active_partners(engine: Engine) -> list[Partner]:
    with engine.connect() as conn:
        rows = conn.execute(select(PartnerRow.__table__).where(PartnerRow.active.is_(True))).all()
    return [Partner.from_row(r) for r in rows]


def active_partner(engine: Engine, partner_id: str) -> Partner | None:
    with engine.connect() as conn:
        row = conn.execute(select(PartnerRow.__table__).where(
            PartnerRow.id == partner_id, PartnerRow.active.is_(True))).first()
    return Partner.from_row(row) if row else None


def partner_by_token(engine: Engine, token: str) -> Partner | None:
    if not token:
        return None
    with engine.connect() as conn:
        row = conn.execute(select(PartnerRow.__table__).where(
            PartnerRow.inbox_token_sha256 == token_hash(token), PartnerRow.active.is_(True))).first()
    return Partner.from_row(row) if row else None
