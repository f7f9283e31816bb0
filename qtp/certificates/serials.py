"""Certificate serials: 160 random bits written in Crockford's base32 (32 characters, no I, L, O or U), shown
to people in groups of four. A serial is the only key of the public verification page, so it must not be
guessable: 160 bits is well beyond the 128 the program asks for."""

from __future__ import annotations

import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 32  # 32 x 5 bits = 160 bits
_READS_AS = str.maketrans({"I": "1", "L": "1", "O": "0"})


def new_serial() -> str:
    value = secrets.randbits(LENGTH * 5)
    chars = []
    for _ in range(LENGTH):
        value, digit = divmod(value, 32)
        chars.append(ALPHABET[digit])
    return "".join(reversed(chars))


def grouped(serial: str) -> str:
    """For people: XXXX-XXXX-... (the form printed on the certificate)."""
    return "-".join(serial[i : i + 4] for i in range(0, len(serial), 4))


def parse(text: str) -> str | None:
    """A serial as someone typed or scanned it (any case, hyphens or spaces, I/L for 1 and O for 0), or None."""
    if not isinstance(text, str) or len(text) > 3 * LENGTH:
        return None
    cleaned = text.replace("-", "").replace(" ", "").upper().translate(_READS_AS)
    if len(cleaned) != LENGTH or any(c not in ALPHABET for c in cleaned):
        return None
    return cleaned
