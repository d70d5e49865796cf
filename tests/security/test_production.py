"""Production mode refuses every published or weak secret; development only warns."""

from __future__ import annotations

import logging

import pytest
from cryptography.fernet import Fernet

from bot.security.production import UnsafeConfiguration, enforce, problems
from bot.settings import Settings

STRONG = "s" * 40
SECRETS = ("RASA_AUTH_TOKEN", "HYTE_CHANNEL_SECRET", "PROFESSIONAL_API_KEYS", "ADMIN_TOKEN",
           "INTERNAL_API_TOKEN", "ACTION_SERVER_TOKEN")


@pytest.fixture()
def production_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in SECRETS:
        monkeypatch.setenv(name, f"{name.lower()}-{STRONG}")
    monkeypatch.setenv("HYTE_ENV", "production")
    monkeypatch.setenv("HYTE_DATA_KEY", Fernet.generate_key().decode())
    for name in ("HYTE_DEMO", "PORTAL_JWT_SECRET", "REDIS_URL", "PARTNERS_FILE"):
        monkeypatch.delenv(name, raising=False)


def test_a_complete_production_configuration_starts(production_env: None) -> None:
    settings = Settings.from_env()
    assert settings.production and problems(settings) == []
    enforce(settings, "test")


@pytest.mark.parametrize("name", SECRETS)
def test_production_refuses_each_missing_or_published_secret(production_env: None, name: str,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(name)
    with pytest.raises(UnsafeConfiguration, match=name):
        enforce(Settings.from_env(), "test")
    from bot.settings import DEV_SECRETS

    monkeypatch.setenv(name, DEV_SECRETS[name])
    assert any(name in p for p in problems(Settings.from_env()))
    monkeypatch.setenv(name, "short")
    assert any(name in p for p in problems(Settings.from_env()))


@pytest.mark.parametrize(("name", "value"), [("HYTE_DATA_KEY", ""), ("HYTE_DEMO", "1"),
                                             ("PORTAL_JWT_SECRET", "dev-portal-secret-change-me"),
                                             ("REDIS_URL", "redis://127.0.0.1:6379/0")])
def test_production_refuses_demo_data_key_portal_and_redis_problems(production_env: None, name: str, value: str,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(name, value)
    assert problems(Settings.from_env())


def test_any_other_environment_name_is_strict(production_env: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HYTE_ENV", "prod")
    assert Settings.from_env().production


def test_development_warns_loudly(monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setenv("HYTE_ENV", "development")
    for name in SECRETS:
        monkeypatch.delenv(name, raising=False)
    settings = Settings.from_env()
    with caplog.at_level(logging.WARNING):
        enforce(settings, "test")
    assert "DEVELOPMENT" in caplog.text and "RASA_AUTH_TOKEN" in caplog.text


def test_portal_hs256_is_off_unless_configured_or_demo(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HYTE_DEMO", raising=False)
    monkeypatch.delenv("PORTAL_JWT_SECRET", raising=False)
    assert Settings.from_env().portal_jwt_secret == ""
    monkeypatch.setenv("HYTE_DEMO", "1")
    assert Settings.from_env().portal_jwt_secret  # the demo portal's development secret
    monkeypatch.setenv("PORTAL_JWT_SECRET", "")
    assert Settings.from_env().portal_jwt_secret == ""  # empty really disables HS256


def test_demo_partners_only_with_the_demo_flag(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PARTNERS_FILE", raising=False)
    monkeypatch.delenv("HYTE_DEMO", raising=False)
    assert Settings.from_env().partners_file is None
    monkeypatch.setenv("HYTE_DEMO", "1")
    assert Settings.from_env().partners_file is not None


def test_production_refuses_plain_smtp_to_another_host(production_env: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SMTP_TLS", "off")
    monkeypatch.setenv("SMTP_HOST", "smtp.example.fi")
    assert any("SMTP_TLS" in p for p in problems(Settings.from_env()))
    monkeypatch.setenv("SMTP_HOST", "localhost")
    assert problems(Settings.from_env()) == []
