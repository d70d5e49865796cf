"""Portal tokens: signature, expiry, audience, issuer, role, municipality (PyJWT, real keys)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from bot.access import claims_proof, verified_claims
from bot.portal_token import PortalConfig, TokenRejected, verify

SECRET = "portaalin-jaettu-salaisuus-vahintaan-32-tavua"
CONFIG = PortalConfig(audience="hyte-navigaattori", issuer="esimerkki-portaali", hs256_secret=SECRET)


def token(secret: str = SECRET, **changes: Any) -> str:
    claims = {"sub": "user-123", "aud": "hyte-navigaattori", "iss": "esimerkki-portaali",
              "exp": int(time.time()) + 600, "municipality": "684", "language": "fi", "role": "resident",
              "name": "Maija Meikäläinen", "phone": "040 123 4567"}
    claims.update(changes)
    return jwt.encode({k: v for k, v in claims.items() if v is not None}, secret, algorithm="HS256")


def test_valid_token() -> None:
    user = verify(token(), CONFIG)
    assert (user.role, user.municipality, user.language) == ("resident", "684", "fi")
    assert user.prefill == {"name": "Maija Meikäläinen", "phone": "040 123 4567"}
    conversation = user.conversation_id("channel-secret")
    assert conversation.startswith("portal-") and "user-123" not in conversation
    # keyed: knowing sub (and the public hashing scheme) does not give the conversation
    assert conversation != user.conversation_id("another-secret")


@pytest.mark.parametrize(("bad", "reason"), [
    (token(exp=int(time.time()) - 10), "expired"),
    (token(secret="väärä-salaisuus-joka-on-myös-tarpeeksi-pitkä"), "signature"),
    (token(aud="joku-muu-palvelu"), "audience"),
    (token(iss="tuntematon"), "issuer"),
    (token(exp=None), "invalid"),
    ("ei.ole.tunniste", "malformed"),
    ("", "missing"),
])
def test_rejected_tokens_say_why_in_finnish(bad: str, reason: str) -> None:
    with pytest.raises(TokenRejected) as caught:
        verify(bad, CONFIG)
    assert caught.value.reason == reason
    assert str(caught.value) and str(caught.value)[0].isupper()


def test_none_algorithm_is_refused() -> None:
    unsigned = jwt.encode({"sub": "x", "aud": "hyte-navigaattori", "iss": "esimerkki-portaali",
                           "exp": int(time.time()) + 60}, None, algorithm="none")
    with pytest.raises(TokenRejected, match="allekirjoitustapaa"):
        verify(unsigned, CONFIG)


def test_rs256_with_the_portals_public_key(tmp_path: Path) -> None:
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    public_pem = private.public_key().public_bytes(serialization.Encoding.PEM,
                                                   serialization.PublicFormat.SubjectPublicKeyInfo).decode()
    config = PortalConfig(audience="hyte-navigaattori", issuer="esimerkki-portaali", rs256_public_key=public_pem)
    signed = jwt.encode({"sub": "ammattilainen-7", "aud": "hyte-navigaattori", "iss": "esimerkki-portaali",
                         "exp": int(time.time()) + 60, "role": "professional", "municipality": "999"},
                        private, algorithm="RS256")
    user = verify(signed, config)
    assert user.role == "professional" and user.municipality is None  # unknown code dropped
    with pytest.raises(TokenRejected):
        verify(token(), config)  # HS256 is not accepted where only RS256 is configured


def test_claims_proof() -> None:
    claims = {"role": "resident", "municipality": "684", "language": "fi"}
    metadata = {"portal": claims, "portal_proof": claims_proof("s", "portal-1", claims)}
    assert verified_claims(metadata, "portal-1", "s") == claims
    assert verified_claims(metadata, "portal-2", "s") == {}
    assert verified_claims({**metadata, "portal": {**claims, "municipality": "609"}}, "portal-1", "s") == {}
