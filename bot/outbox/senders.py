"""Pluggable delivery: SMTP email, an HTTP SMS gateway, and HMAC-signed webhooks."""

from __future__ import annotations

import hashlib
import hmac
import json
import smtplib
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Protocol

import httpx


class DeliveryError(RuntimeError):
    """Delivery failed; the worker retries later."""


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


@dataclass
class SmtpSender:
    host: str
    port: int
    mail_from: str
    timeout: float = 10.0

    def send(self, delivery: Delivery) -> None:
        mail = EmailMessage()
        mail["From"] = self.mail_from
        mail["To"] = delivery.recipient
        mail["Subject"] = delivery.subject
        mail["Message-ID"] = f"<{delivery.idempotency_key}@hyte-navigaattori>"
        mail.set_content(delivery.body)
        try:
            with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as smtp:
                smtp.send_message(mail)
        except (OSError, smtplib.SMTPException) as exc:
            raise DeliveryError(f"SMTP {self.host}:{self.port}: {type(exc).__name__}") from exc


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
    """POSTs the body (JSON) to the recipient URL, signed with the shared secret."""

    secret: str
    timeout: float = 10.0

    def send(self, delivery: Delivery) -> None:
        body = delivery.body.encode("utf-8")
        json.loads(body)  # the body of a webhook message is JSON by construction
        headers = {"Content-Type": "application/json", "Idempotency-Key": delivery.idempotency_key,
                   "X-Hyte-Signature": signature(delivery.secret or self.secret, body)}
        try:
            response = httpx.post(delivery.recipient, content=body, headers=headers, timeout=self.timeout)
        except httpx.HTTPError as exc:
            raise DeliveryError(f"webhook: {type(exc).__name__}") from exc
        if response.status_code >= 300:
            raise DeliveryError(f"webhook answered {response.status_code}")
