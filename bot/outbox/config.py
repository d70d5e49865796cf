"""The senders a deployment uses, from the settings."""

from __future__ import annotations

import logging

from bot.outbox.senders import Sender, SmsGatewaySender, SmtpSender, WebhookSender, is_local_host
from bot.settings import Settings

log = logging.getLogger(__name__)

TLS_OFF = ("off", "0", "false", "no")
TLS_ON = ("", "on", "auto", "1", "true", "yes")


def smtp_tls_mode(value: str) -> str:
    """SMTP_TLS: on (default: implicit TLS on port 465, STARTTLS elsewhere), starttls, implicit, or off
    (a local development relay only). An unknown value keeps TLS on."""
    raw = value.strip().lower()
    if raw in TLS_ON:
        return "auto"
    if raw in TLS_OFF:
        return "off"
    if raw in ("starttls", "implicit"):
        return raw
    log.warning("SMTP_TLS=%r is not one of on, off, starttls, implicit: TLS stays on", raw)
    return "auto"


def senders_from(settings: Settings) -> dict[str, Sender]:
    tls = smtp_tls_mode(settings.smtp_tls)
    if tls == "off" and not is_local_host(settings.smtp_host):
        log.warning("SMTP_TLS=off with SMTP_HOST=%s: mail leaves this machine unencrypted; "
                    "off is meant for a local development relay", settings.smtp_host)
    return {
        "email": SmtpSender(settings.smtp_host, settings.smtp_port, settings.mail_from, tls=tls),
        "sms": SmsGatewaySender(settings.sms_gateway_url),
        "webhook": WebhookSender(),  # each partner's own secret; never a shared one
    }
