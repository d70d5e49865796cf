import pytest

from bot.personal.crypto import decrypt, encrypt
from bot.personal.validation import InvalidContact, normalise_email, normalise_phone


@pytest.mark.parametrize(("typed", "e164"), [
    ("040 123 4567", "+358401234567"), ("0401234567", "+358401234567"), ("+358 40 123 4567", "+358401234567"),
    ("(050) 765-4321", "+358507654321"), ("02 123 4500", "+35821234500"), ("+46 70 123 45 67", "+46701234567"),
])
def test_phone_numbers_finnish_and_international(typed: str, e164: str) -> None:
    assert normalise_phone(typed) == e164


@pytest.mark.parametrize("typed", ["", "123", "040", "abc", "040 123 4567 8910 1112", "+1 000", "٠٤٠١٢٣٤٥٦٧٨٩" * 5])
def test_invalid_phone_numbers_get_a_finnish_error(typed: str) -> None:
    with pytest.raises(InvalidContact, match="Puhelinnumero"):
        normalise_phone(typed)


def test_email() -> None:
    assert normalise_email(" Maija.Meikalainen@Esimerkki.fi ") == "Maija.Meikalainen@esimerkki.fi"
    for bad in ("", "maija", "maija@", "@esimerkki.fi", "maija@@esimerkki.fi", "a" * 300 + "@x.fi"):
        with pytest.raises(InvalidContact, match="Sähköposti"):
            normalise_email(bad)


def test_encryption_round_trip_and_no_plain_text() -> None:
    token = encrypt("Maija Meikäläinen 040 123 4567")
    assert "Maija" not in token and "040" not in token
    assert decrypt(token) == "Maija Meikäläinen 040 123 4567"


def test_phone_reads_back_the_finnish_way() -> None:
    from bot.personal.validation import phone_for_reading

    assert phone_for_reading("+358401234567") == "040 1234567"
    assert phone_for_reading("+46701234567") == "+46 70 123 45 67"
    assert phone_for_reading("nonsense") == "nonsense"
