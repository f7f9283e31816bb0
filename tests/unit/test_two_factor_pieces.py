"""The pure pieces of two-factor sign-in: codes and their drift, replay, recovery codes, the secret's encryption,
the User-Agent summary and the staff rule."""

from __future__ import annotations

from dataclasses import dataclass

import pyotp
import pytest

from qtp.accounts import twofactor
from qtp.accounts.policy import is_staff, must_set_up_two_factor, two_factor_required
from qtp.accounts.useragent import parts, summarize
from qtp.core.permissions import Role

KEY = "unit-test-secret-key-0123456789-abcdefghij"
NOW = 1_800_000_000.0


def test_a_code_of_now_or_next_to_now_matches_its_step():
    secret = twofactor.new_secret()
    totp = pyotp.TOTP(secret)
    step = twofactor.current_step(NOW)
    for offset in (-1, 0, 1):
        assert twofactor.matching_step(secret, totp.at(NOW + 30 * offset), after_step=0, now=NOW) == step + offset
    assert twofactor.matching_step(secret, totp.at(NOW - 90), after_step=0, now=NOW) is None
    assert twofactor.matching_step(secret, totp.at(NOW + 90), after_step=0, now=NOW) is None


def test_a_code_of_an_already_used_step_is_refused():
    secret = twofactor.new_secret()
    code = pyotp.TOTP(secret).at(NOW)
    step = twofactor.current_step(NOW)
    assert twofactor.matching_step(secret, code, after_step=step - 1, now=NOW) == step
    assert twofactor.matching_step(secret, code, after_step=step, now=NOW) is None


@pytest.mark.parametrize("typed", ["12 34 56", "123-456", " 123456 "])
def test_spaces_and_dashes_are_ignored(typed):
    assert twofactor.looks_like_totp(typed)


@pytest.mark.parametrize("typed", ["12345", "1234567", "abcdef", ""])
def test_anything_but_six_digits_is_not_a_totp_code(typed):
    assert not twofactor.looks_like_totp(typed)
    assert twofactor.matching_step(twofactor.new_secret(), typed, after_step=0) is None


def test_recovery_codes_are_ten_distinct_unambiguous_codes():
    codes = twofactor.new_recovery_codes()
    assert len(set(codes)) == 10
    for code in codes:
        assert len(code) == 11 and code[5] == "-"
        assert not set(code) & set("01ilo")


def test_a_recovery_code_hash_is_keyed_per_user_and_ignores_how_it_is_typed():
    code = twofactor.new_recovery_codes(1)[0]
    assert twofactor.recovery_code_hash(KEY, 1, code) == twofactor.recovery_code_hash(
        KEY, 1, code.upper().replace("-", " ")
    )
    assert twofactor.recovery_code_hash(KEY, 1, code) != twofactor.recovery_code_hash(KEY, 2, code)
    assert twofactor.recovery_code_hash(KEY, 1, code) != twofactor.recovery_code_hash(KEY + "x", 1, code)


def test_the_secret_is_encrypted_and_authenticated():
    secret = twofactor.new_secret()
    stored = twofactor.encrypt_secret(KEY, secret)
    assert secret not in stored and stored != twofactor.encrypt_secret(KEY, secret)  # a fresh nonce each time
    assert twofactor.decrypt_secret(KEY, stored) == secret
    assert twofactor.decrypt_secret(KEY + "other", stored) is None
    body = bytearray(stored.encode())
    body[10] = ord("A") if body[10] != ord("A") else ord("B")
    assert twofactor.decrypt_secret(KEY, body.decode()) is None
    assert twofactor.decrypt_secret(KEY, "v2." + stored[3:]) is None
    assert twofactor.decrypt_secret(KEY, "v1.!!!") is None


def test_the_key_is_grouped_for_typing_and_the_qr_code_is_an_svg_data_uri():
    assert twofactor.grouped("ABCDEFGHIJ") == "ABCD EFGH IJ"
    secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
    uri = twofactor.provisioning_uri(secret, "ana@example.org")
    assert uri.startswith("otpauth://totp/QTP:ana%40example.org?") and "issuer=QTP" in uri
    assert twofactor.qr_data_uri(uri).startswith("data:image/svg+xml")


@pytest.mark.parametrize(
    ("agent", "expected"),
    [
        ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/120.0 Safari/537.36", "Chrome|Windows"),
        ("Mozilla/5.0 (Windows NT 10.0) AppleWebKit/537.36 Chrome/120.0 Safari/537.36 Edg/120.0", "Edge|Windows"),
        (
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_1) AppleWebKit/605.1.15 Version/17.1 Safari/605.1.15",
            "Safari|macOS",
        ),
        (
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 CriOS/120 Safari/604.1",
            "Chrome|iPhone",
        ),
        ("Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0", "Firefox|Linux"),
        (
            "Mozilla/5.0 (Linux; Android 14; SM-S911B) AppleWebKit/537.36 SamsungBrowser/23.0 Chrome/115 Mobile",
            "Samsung Internet|Android",
        ),
        ("curl/8.4.0", "|"),
        ("", "|"),
    ],
)
def test_user_agents_are_summarized(agent, expected):
    assert summarize(agent) == expected
    assert parts(summarize(agent)) == tuple(expected.split("|"))


@dataclass
class Person:
    roles: frozenset
    has_two_factor: bool = False
    is_authenticated: bool = True
    is_active: bool = True

    @property
    def role_set(self):
        return self.roles


@pytest.mark.parametrize(
    ("roles", "staff"),
    [
        ({Role.ADMIN}, True),
        ({Role.FACULTY}, True),
        ({Role.COACH}, True),
        ({Role.PARTICIPANT}, False),
        ({Role.LICENSEE}, False),
        (set(), False),
        ({Role.PARTICIPANT, Role.COACH}, True),
    ],
)
def test_staff_are_admins_faculty_and_coaches(roles, staff):
    person = Person(frozenset(roles))
    assert is_staff(person) is staff
    assert two_factor_required(person, True) is staff
    assert two_factor_required(person, False) is False
    assert must_set_up_two_factor(person, True) is staff
    assert must_set_up_two_factor(Person(frozenset(roles), has_two_factor=True), True) is False
    assert must_set_up_two_factor(Person(frozenset(roles), is_authenticated=False), True) is False
