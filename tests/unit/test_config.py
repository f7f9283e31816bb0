import pytest

from qtp.config import ConfigError, build_config


def test_production_refuses_to_start_without_a_real_secret(tmp_path, monkeypatch):
    monkeypatch.delenv("QTP_SECRET_KEY", raising=False)
    with pytest.raises(ConfigError):
        build_config(str(tmp_path), {"QTP_ENV": "production"})
    with pytest.raises(ConfigError):
        build_config(str(tmp_path), {"QTP_ENV": "production", "SECRET_KEY": "short"})


def test_production_cookies_are_secure_httponly_lax(tmp_path):
    cfg = build_config(str(tmp_path), {"QTP_ENV": "production", "SECRET_KEY": "s" * 48})
    assert cfg["SESSION_COOKIE_SECURE"] and cfg["REMEMBER_COOKIE_SECURE"]
    assert cfg["SESSION_COOKIE_HTTPONLY"] and cfg["REMEMBER_COOKIE_HTTPONLY"]
    assert cfg["SESSION_COOKIE_SAMESITE"] == "Lax" == cfg["REMEMBER_COOKIE_SAMESITE"]
    assert cfg["REMEMBER_COOKIE_DURATION"].days <= 30


def test_development_keeps_a_generated_secret_between_starts(tmp_path, monkeypatch):
    monkeypatch.delenv("QTP_SECRET_KEY", raising=False)
    first = build_config(str(tmp_path), {"QTP_ENV": "development"})["SECRET_KEY"]
    second = build_config(str(tmp_path), {"QTP_ENV": "development"})["SECRET_KEY"]
    assert first == second and len(first) >= 32
    assert not build_config(str(tmp_path), {"QTP_ENV": "development"})["SESSION_COOKIE_SECURE"]


def test_unknown_environment_is_refused(tmp_path):
    with pytest.raises(ConfigError):
        build_config(str(tmp_path), {"QTP_ENV": "staging"})


def test_redis_url_switches_rate_limit_storage(tmp_path, monkeypatch):
    monkeypatch.setenv("QTP_REDIS_URL", "redis://127.0.0.1:6379/3")
    monkeypatch.delenv("QTP_RATELIMIT_STORAGE_URI", raising=False)
    assert (
        build_config(str(tmp_path), {"QTP_ENV": "testing"})["QTP_RATELIMIT_STORAGE_URI"] == "redis://127.0.0.1:6379/3"
    )
