"""Password hashing (argon2id) and the password policy."""

from __future__ import annotations

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from flask_babel import lazy_gettext as _l
from zxcvbn import zxcvbn

MIN_LENGTH = 12
MAX_LENGTH = 256
# zxcvbn's estimate of guesses needed, as a power of ten; below this the password is easy to guess.
MIN_GUESSES_LOG10 = 8
# zxcvbn's cost grows with length; the first characters decide whether a password is common.
_ZXCVBN_PREFIX = 64

_hasher = PasswordHasher(type=Type.ID)


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    if not stored_hash:
        return False
    try:
        return _hasher.verify(stored_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    return _hasher.check_needs_rehash(stored_hash)


# A hash to verify against when the account does not exist, so both paths take the same time.
DUMMY_HASH = _hasher.hash("qtp timing equaliser")


def password_problem(password: str, user_inputs: list[str] | tuple[str, ...] = ()) -> str | None:
    """Why the password is refused, as a translated message, or None when it is acceptable."""
    if len(password) < MIN_LENGTH:
        return str(_l("Use at least %(count)d characters.", count=MIN_LENGTH))
    if len(password) > MAX_LENGTH:
        return str(_l("Use at most %(count)d characters.", count=MAX_LENGTH))
    if not password.strip():
        return str(_l("A password cannot be only spaces."))
    inputs = [part for value in user_inputs if value for part in _words(value)]
    result = zxcvbn(password[:_ZXCVBN_PREFIX], user_inputs=inputs)
    if result["guesses_log10"] < MIN_GUESSES_LOG10:
        return str(
            _l("This password is too common or too easy to guess. Try a few unrelated words or a longer phrase.")
        )
    return None


def _words(value: str) -> list[str]:
    """The value, its e-mail local part and its pieces: passwords made of them are easy to guess."""
    value = value.lower()
    parts = [value]
    for sep in ("@", ".", " ", "-", "_"):
        parts = [p for chunk in parts for p in chunk.split(sep)]
    return [value, value.split("@")[0], *[p for p in parts if len(p) >= 3]]
