"""Serials: 160 random bits, Crockford base32, grouped for people, parsed forgivingly, never guessable."""

from qtp.certificates.serials import ALPHABET, LENGTH, grouped, new_serial, parse


def test_serials_are_long_random_and_in_the_alphabet():
    made = {new_serial() for _ in range(2000)}
    assert len(made) == 2000
    assert all(len(s) == LENGTH and set(s) <= set(ALPHABET) for s in made)
    assert LENGTH * 5 >= 128
    # every position takes many values (no fixed prefix or counter)
    assert all(len({s[i] for s in made}) > 20 for i in range(LENGTH))


def test_grouped_and_parsed_back_however_typed():
    serial = new_serial()
    shown = grouped(serial)
    assert shown.count("-") == 7 and shown.replace("-", "") == serial
    assert parse(shown) == serial
    assert parse(shown.lower().replace("-", " ")) == serial
    assert parse("0" * 31 + "I") == "0" * 31 + "1" and parse("O" * 32) == "0" * 32


def test_anything_else_is_not_a_serial():
    for text in ("", "abc", "U" * 32, "0" * 33, "0" * 31 + "!", "../" * 11, "0" * 31 + "\x00", None, "0" * 200):
        assert parse(text) is None  # type: ignore[arg-type]
