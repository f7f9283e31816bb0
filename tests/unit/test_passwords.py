import pytest

from qtp.core.passwords import hash_password, password_problem, verify_password


@pytest.fixture(autouse=True)
def _ctx(app):
    with app.test_request_context():
        yield


@pytest.mark.parametrize("password", ["short", "elevenchars", "a" * 11])
def test_shorter_than_12_is_refused(password):
    assert password_problem(password) == "Use at least 12 characters."


@pytest.mark.parametrize(
    "password",
    ["password1234", "123456789012", "qwertyuiop12", "aaaaaaaaaaaa", "passwordpassword", "Welcome12345"],
)
def test_common_or_trivial_passwords_are_refused(password):
    assert "too common" in password_problem(password)


def test_password_built_from_the_users_own_email_is_refused():
    assert password_problem("ana.ribeiro2026", ["ana.ribeiro@clinic.example.org"]) is not None


@pytest.mark.parametrize(
    "password",
    [
        "qtp-demo-2026",
        "tidal-basket-moon-orchard",
        "Ñandú corre rápido por la pampa",
        "x" * 3 + "ç😀漢字-Ωmega-horizon-41-" + "k" * 37,  # 64 characters with unicode
    ],
)
def test_strong_and_unicode_passwords_are_accepted(password):
    assert password_problem(password) is None


def test_64_character_password_is_accepted():
    password = "violet-harbour-quantum-" * 3
    assert len(password[:64]) == 64
    assert password_problem(password[:64]) is None


def test_over_256_characters_is_refused():
    assert "at most" in password_problem("z" * 257)


def test_hashes_are_argon2id_and_salted():
    first, second = hash_password("tidal-basket-moon-orchard"), hash_password("tidal-basket-moon-orchard")
    assert first.startswith("$argon2id$")
    assert first != second
    assert verify_password(first, "tidal-basket-moon-orchard")
    assert not verify_password(first, "tidal-basket-moon-orcharD")
    assert not verify_password("not a hash", "anything")
    assert not verify_password(None, "anything")
