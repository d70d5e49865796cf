"""Encryption of personal data at rest (Fernet: AES-128-CBC with HMAC-SHA256)."""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken

from bot.settings import get_settings


class DataKeyError(RuntimeError):
    """The data key is missing or malformed."""


def _dev_key(data_dir: Path) -> bytes:
    """Without HYTE_DATA_KEY, a key is made once into the data folder (development only)."""
    path = data_dir / "data.key"
    if not path.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(Fernet.generate_key())
    return path.read_bytes().strip()


@cache
def _fernet(key: str, data_dir: Path) -> Fernet:
    raw = key.encode() if key else _dev_key(data_dir)
    try:
        return Fernet(raw)
    except (ValueError, TypeError) as exc:
        raise DataKeyError("HYTE_DATA_KEY ei ole kelvollinen Fernet-avain (32 tavua base64-muodossa).") from exc


def fernet() -> Fernet:
    settings = get_settings()
    return _fernet(settings.data_key, settings.data_dir)


def encrypt(text: str) -> str:
    return fernet().encrypt(text.encode("utf-8")).decode("ascii")


def decrypt(token: str) -> str:
    try:
        return fernet().decrypt(token.encode("ascii")).decode("utf-8")
    except InvalidToken as exc:
        raise DataKeyError("Henkilötietoja ei voi avata tällä avaimella.") from exc
