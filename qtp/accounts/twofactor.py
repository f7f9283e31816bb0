"""Two-factor pieces without the database: TOTP codes, recovery codes, the secret's encryption, the QR code.

The TOTP secret is encrypted at rest with keys derived from the app's SECRET_KEY (HMAC-SHA256 as the
keystream, then HMAC-SHA256 over nonce and ciphertext: encrypt-then-MAC); changing SECRET_KEY makes the stored
secrets unreadable, and every person then needs an admin to reset their two-factor sign-in.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
import time
from urllib.parse import quote

import pyotp
import segno

ISSUER = "QTP"
DIGITS = 6
INTERVAL = 30
DRIFT_STEPS = 1  # codes of the previous and the next 30 seconds are accepted too (clocks drift)
RECOVERY_CODE_COUNT = 10
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: read aloud or typed without doubt
_RECOVERY_LENGTH = 10  # about 49 bits each
_VERSION = b"v1"


# --- TOTP ---------------------------------------------------------------------------------------------


def new_secret() -> str:
    return pyotp.random_base32(32)  # 160 bits


def current_step(now: float | None = None) -> int:
    return int((time.time() if now is None else now) // INTERVAL)


def normalize_code(code: str) -> str:
    """What the person typed, without spaces or dashes, lower case."""
    return re.sub(r"[\s\-]", "", code or "").lower()


def looks_like_totp(code: str) -> bool:
    return bool(re.fullmatch(rf"\d{{{DIGITS}}}", normalize_code(code)))


def matching_step(secret: str, code: str, *, after_step: int, now: float | None = None) -> int | None:
    """The time step whose code this is (within the allowed drift), if it is later than `after_step`."""
    code = normalize_code(code)
    if not looks_like_totp(code):
        return None
    totp = pyotp.TOTP(secret, digits=DIGITS, interval=INTERVAL)
    step_now = current_step(now)
    found = None
    for step in range(step_now - DRIFT_STEPS, step_now + DRIFT_STEPS + 1):
        if hmac.compare_digest(totp.generate_otp(step), code) and step > after_step:
            found = step
    return found


def provisioning_uri(secret: str, account: str) -> str:
    return pyotp.TOTP(secret, digits=DIGITS, interval=INTERVAL).provisioning_uri(name=account, issuer_name=ISSUER)


def qr_data_uri(uri: str) -> str:
    """The otpauth:// URI as a QR code, an SVG data: URI for an <img> (the CSP allows data: images)."""
    return segno.make(uri, error="m").svg_data_uri(scale=5, border=4, dark="#000", light="#fff")


def grouped(secret: str) -> str:
    """The secret in groups of four, for typing it into an app by hand."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


# --- recovery codes -----------------------------------------------------------------------------------


def new_recovery_codes(count: int = RECOVERY_CODE_COUNT) -> list[str]:
    codes = set()
    while len(codes) < count:
        raw = "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(_RECOVERY_LENGTH))
        codes.add(f"{raw[:5]}-{raw[5:]}")
    return sorted(codes)


def recovery_code_hash(key: str, user_id: int, code: str) -> str:
    """A keyed hash of the normalized code (the key is the app's secret: a stolen table alone is useless)."""
    message = f"{user_id}:{normalize_code(code)}".encode()
    return hmac.new(_derive(key, b"recovery"), message, hashlib.sha256).hexdigest()


def recovery_codes_text(codes: list[str], heading: str) -> str:
    return heading + "\n\n" + "\n".join(codes) + "\n"


def recovery_codes_data_uri(text: str) -> str:
    return "data:text/plain;charset=utf-8," + quote(text)


# --- the secret at rest -------------------------------------------------------------------------------


def _derive(key: str, purpose: bytes) -> bytes:
    return hmac.new(key.encode(), b"qtp.two-factor." + purpose, hashlib.sha256).digest()


def _keystream(key: bytes, nonce: bytes, length: int) -> bytes:
    blocks = (hmac.new(key, nonce + i.to_bytes(4, "big"), hashlib.sha256).digest() for i in range(length // 32 + 1))
    return b"".join(blocks)[:length]


def encrypt_secret(key: str, secret: str) -> str:
    plain = secret.encode()
    nonce = secrets.token_bytes(16)
    cipher = bytes(a ^ b for a, b in zip(plain, _keystream(_derive(key, b"enc"), nonce, len(plain)), strict=True))
    tag = hmac.new(_derive(key, b"mac"), _VERSION + nonce + cipher, hashlib.sha256).digest()
    return _VERSION.decode() + "." + base64.urlsafe_b64encode(nonce + cipher + tag).decode()


def decrypt_secret(key: str, stored: str) -> str | None:
    """The secret, or None when the value was not made with this key (or was tampered with)."""
    version, _sep, body = stored.partition(".")
    if version.encode() != _VERSION:
        return None
    try:
        raw = base64.urlsafe_b64decode(body.encode())
    except (ValueError, TypeError):
        return None
    if len(raw) < 16 + 32:
        return None
    nonce, cipher, tag = raw[:16], raw[16:-32], raw[-32:]
    expected = hmac.new(_derive(key, b"mac"), _VERSION + nonce + cipher, hashlib.sha256).digest()
    if not hmac.compare_digest(tag, expected):
        return None
    plain = bytes(a ^ b for a, b in zip(cipher, _keystream(_derive(key, b"enc"), nonce, len(cipher)), strict=True))
    return plain.decode()
