"""Pluggable delivery: SMTP email (TLS), an HTTP SMS gateway, and HMAC-signed webhooks."""

from __future__ import annotations

import hashlib
import hmac
import json
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Protocol
from urllib.parse import urlsplit

import httpx

LOCAL_HOSTS = ("localhost", "127.0.0.1", "::1")
SMTP_TLS_MODES = ("auto", "starttls", "implicit", "off")


class DeliveryError(RuntimeError):
    """Delivery failed; the worker retries later."""


class PermanentDeliveryError(DeliveryError):
    """Delivery can never succeed as configured (no secret, a refused URL); the worker gives up at once."""


@dataclass(frozen=True)
class Delivery:
    """One message ready to go, decrypted just for the send."""

    id: str
    idempotency_key: str
    recipient: str
    subject: str
    body: str
    secret: str = ""  # per-recipient webhook secret


class Sender(Protocol):
    def send(self, delivery: Delivery) -> None: ...


def is_local_host(host: str) -> bool:
    return host.strip("[]").lower() in LOCAL_HOSTS


def webhook_url_problem(url: str) -> str:
    """'' when personal data may be posted to this URL: https, or http to this machine (development)."""
    try:
        parts = urlsplit(url.strip())
        host = parts.hostname or ""
    except ValueError:
        return "osoite ei ole kelvollinen URL"
    if not host:
        return "osoitteesta puuttuu palvelin"
    if parts.scheme == "https":
        return ""
    if parts.scheme == "http" and is_local_host(host):
        return ""
    if parts.scheme == "http":
        return "webhookin osoitteen pitää alkaa https:// (http:// vain localhost-kehityskäyttöön)"
    return "webhookin osoitteen pitää alkaa https://"


@dataclass
class SmtpSender:
    """SMTP with TLS: implicit TLS (port 465) or STARTTLS; ``tls="off"`` only for a local development relay.

    ``tls="auto"`` is implicit TLS on port 465 and STARTTLS elsewhere. The server's certificate is
    verified against the system's CAs (or ``ssl_context``); a server without STARTTLS is a failure,
    never a silent fallback to plain text."""

    host: str
    port: int
    mail_from: str
    timeout: float = 10.0
    tls: str = "auto"
    ssl_context: ssl.SSLContext | None = None

    def __post_init__(self) -> None:
        if self.tls not in SMTP_TLS_MODES:
            raise ValueError(f"SMTP TLS mode {self.tls!r}: one of {', '.join(SMTP_TLS_MODES)}")

    @property
    def mode(self) -> str:
        if self.tls == "auto":
            return "implicit" if self.port == 465 else "starttls"
        return self.tls

    def send(self, delivery: Delivery) -> None:
        mail = EmailMessage()
        mail["From"] = self.mail_from
        mail["To"] = delivery.recipient
        mail["Subject"] = delivery.subject
        mail["Message-ID"] = f"<{delivery.idempotency_key}@hyte-navigaattori>"
        mail.set_content(delivery.body)
        mode = self.mode
        context = self.ssl_context or ssl.create_default_context()
        try:
            if mode == "implicit":
                with smtplib.SMTP_SSL(self.host, self.port, timeout=self.timeout, context=context) as smtp:
                    smtp.send_message(mail)
                return
            with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as smtp:
                if mode == "starttls":
                    smtp.starttls(context=context)  # SMTPNotSupportedError when the server offers none
                smtp.send_message(mail)
        except (OSError, smtplib.SMTPException) as exc:  # ssl.SSLError is an OSError
            raise DeliveryError(f"SMTP {self.host}:{self.port} ({mode}): {type(exc).__name__}") from exc


@dataclass
class SmsGatewaySender:
    """POSTs {"to", "text"} as JSON to an SMS gateway (the operator's HTTP API)."""

    url: str
    timeout: float = 10.0

    def send(self, delivery: Delivery) -> None:
        if not self.url:
            raise DeliveryError("SMS_GATEWAY_URL is not configured")
        try:
            response = httpx.post(self.url, json={"to": delivery.recipient, "text": delivery.body},
                                  headers={"Idempotency-Key": delivery.idempotency_key}, timeout=self.timeout)
        except httpx.HTTPError as exc:
            raise DeliveryError(f"SMS gateway: {type(exc).__name__}") from exc
        if response.status_code >= 300:
            raise DeliveryError(f"SMS gateway answered {response.status_code}")


def signature(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


@dataclass
class WebhookSender:
    """POSTs the body (JSON) to the recipient URL, signed with that recipient's own secret.

    There is no shared fallback secret: a message without a secret of its own, or to a URL that is
    not https (http only to this machine, for development), is never sent."""

    timeout: float = 10.0

    def send(self, delivery: Delivery) -> None:
        if not delivery.secret:
            raise PermanentDeliveryError("webhook has no signing secret of its own")
        if webhook_url_problem(delivery.recipient):
            raise PermanentDeliveryError("webhook URL refused: https required")
        body = delivery.body.encode("utf-8")
        json.loads(body)  # the body of a webhook message is JSON by construction
        headers = {"Content-Type": "application/json", "Idempotency-Key": delivery.idempotency_key,
                   "X-Hyte-Signature": signature(delivery.secret, body)}
        try:  # httpx does not follow redirects: the checked URL is the one that gets the data
            response = httpx.post(delivery.recipient, content=body, headers=headers, timeout=self.timeout)
        except httpx.HTTPError as exc:
            raise DeliveryError(f"webhook: {type(exc).__name__}") from exc
        if response.status_code >= 300:
            raise DeliveryError(f"webhook answered {response.status_code}")
