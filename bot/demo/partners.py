"""Demo referral partners in all three counties, written next to the demo catalog as
``partners.yml`` in the format a county uses for its own partner registry.

Each demo partner gets a random inbox token: the file keeps only its SHA-256, and the tokens are
printed once, when the demo catalog is made, for the developer who wants to try the partner inbox
(a lost one is replaced with ``PUT /api/admin/partners/{id}`` and a new ``inbox_token``)."""

from __future__ import annotations

import hashlib
import secrets
import sys
from typing import Any, TextIO

import yaml  # type: ignore[import-untyped]

# (partner id, organisation name, themes it takes referrals for, target groups, capacity, delivery)
DEMO_PARTNERS: tuple[tuple[str, str, tuple[str, ...], tuple[str, ...], int, dict[str, str]], ...] = (
    ("porin-liikuntapalvelut", "Porin kaupunki", ("liikunta",), (), 30, {"method": "inbox"}),
    ("rauman-liikuntapalvelut", "Rauman kaupunki", ("liikunta", "kulttuuri"), (), 20, {"method": "inbox"}),
    ("oulun-liikuntapalvelut", "Oulun kaupunki", ("liikunta",), (), 40, {"method": "inbox"}),
    ("oulun-seurakunta", "Oulun seurakunta", ("osallisuus",), ("ikaantyneet", "omaishoitajat"), 10,
     {"method": "inbox"}),
    ("jyvaskylan-liikuntapalvelut", "Jyväskylän kaupunki", ("liikunta", "kulttuuri"), (), 40, {"method": "inbox"}),
    ("jamsan-kulttuuripalvelut", "Jämsän kaupunki", ("kulttuuri",), (), 5,
     {"method": "email", "address": "lahetteet@jamsa.example.org"}),
)


def _themes(service: dict[str, Any]) -> set[str]:
    from bot.catalog.mapping import classify
    from bot.catalog.ptv import parse_service

    themes, _groups = classify(parse_service(service))
    return set(themes)


def partner_file(services: list[dict[str, Any]], organizations: dict[str, dict[str, Any]],
                 out: TextIO | None = None) -> str:
    """The partner file's text; the inbox tokens go to ``out`` (standard output) and nowhere else."""
    by_name = {org["businessName"]: org_id for org_id, org in organizations.items()}
    partners = []
    tokens: dict[str, str] = {}
    for partner_id, org_name, themes, groups, capacity, delivery in DEMO_PARTNERS:
        org_id = by_name.get(org_name)
        if not org_id:
            continue
        service_ids = [s["id"] for s in services
                       if any((o.get("organization") or {}).get("id") == org_id for o in s.get("organizations") or [])
                       and _themes(s) & set(themes)]
        tokens[partner_id] = secrets.token_urlsafe(24)
        partners.append({
            "id": partner_id, "organization_id": org_id, "name": f"{org_name} (esimerkkikumppani)",
            "service_ids": service_ids, "target_groups": list(groups), "capacity_per_month": capacity,
            "delivery": delivery, "contact_person": "Esimerkki Yhteyshenkilö, puh. 040 000 0000",
            "inbox_token_sha256": hashlib.sha256(tokens[partner_id].encode()).hexdigest(),
        })
    if tokens:
        print("Demo referral partners' inbox tokens (shown only now; partners.yml keeps their SHA-256):\n"
              + "\n".join(f"  {pid}: {token}" for pid, token in tokens.items())
              + "\nRead an inbox with: curl -H 'Authorization: Bearer <token>' <catalog>/api/partner/referrals",
              file=out or sys.stdout)
    header = ("# Demo referral partners (esimerkkiaineisto), generated with the demo catalog.\n"
              "# A county keeps its own file in this format and points PARTNERS_FILE to it.\n")
    body: str = yaml.safe_dump({"partners": partners}, allow_unicode=True, sort_keys=False)
    return header + body
