from bot.access import PROFESSIONAL, RESIDENT, api_key_is_valid, role_metadata, verified_role

SECRET = "s3cret"


def test_channel_proof_makes_a_professional() -> None:
    assert verified_role(role_metadata(SECRET, "anna", PROFESSIONAL), "anna", SECRET) == PROFESSIONAL


def test_made_up_metadata_is_a_resident() -> None:
    assert verified_role({"role": "professional"}, "anna", SECRET) == RESIDENT
    assert verified_role({"role": "professional", "role_proof": "0" * 64}, "anna", SECRET) == RESIDENT
    # a proof for another conversation or made with another secret does not carry over
    assert verified_role(role_metadata(SECRET, "ville", PROFESSIONAL), "anna", SECRET) == RESIDENT
    assert verified_role(role_metadata("other", "anna", PROFESSIONAL), "anna", SECRET) == RESIDENT
    assert verified_role(None, "anna", SECRET) == RESIDENT
    assert verified_role({"role": "admin", "role_proof": 1}, "anna", SECRET) == RESIDENT


def test_api_keys() -> None:
    assert api_key_is_valid("k2", ("k1", "k2"))
    assert not api_key_is_valid("", ("k1",))
    assert not api_key_is_valid("k3", ("k1", "k2"))
    assert not api_key_is_valid("ä", ("k1",))
