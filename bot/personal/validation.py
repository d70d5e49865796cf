"""Contact details as people type them: Finnish and international phone numbers, email."""

from __future__ import annotations

import phonenumbers
from email_validator import EmailNotValidError, validate_email


class InvalidContact(ValueError):
    """A phone number or email address that cannot be used; the message is Finnish."""


def normalise_phone(text: str) -> str:
    """'040 123 4567' -> '+358401234567'; '+46 70 123 45 67' stays international."""
    cleaned = text.strip()
    if not cleaned or len(cleaned) > 40:
        raise InvalidContact("Puhelinnumero puuttuu tai on liian pitkä.")
    try:
        number = phonenumbers.parse(cleaned, "FI")
    except phonenumbers.NumberParseException as exc:
        raise InvalidContact("Puhelinnumero ei ole oikeanlainen. Kirjoita esimerkiksi 040 123 4567.") from exc
    if not phonenumbers.is_valid_number(number):
        raise InvalidContact("Puhelinnumero ei ole oikeanlainen. Kirjoita esimerkiksi 040 123 4567.")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def is_mobile(e164: str) -> bool:
    number = phonenumbers.parse(e164, None)
    return phonenumbers.number_type(number) in (phonenumbers.PhoneNumberType.MOBILE,
                                                phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE)


def normalise_email(text: str) -> str:
    cleaned = text.strip()
    if not cleaned or len(cleaned) > 254:
        raise InvalidContact("Sähköpostiosoite puuttuu tai on liian pitkä.")
    try:
        return str(validate_email(cleaned, check_deliverability=False).normalized)
    except EmailNotValidError as exc:
        raise InvalidContact("Sähköpostiosoite ei ole oikeanlainen. Kirjoita esimerkiksi nimi@esimerkki.fi.") from exc


def phone_for_reading(e164: str) -> str:
    """Finnish numbers in the national format ('040 1234567'), others internationally."""
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    style = phonenumbers.PhoneNumberFormat.NATIONAL if number.country_code == 358 else \
        phonenumbers.PhoneNumberFormat.INTERNATIONAL
    return phonenumbers.format_number(number, style)
