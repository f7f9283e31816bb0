"""The catalogs are current and complete: the .pot matches the code, every entry is translated by hand."""

import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
LOCALES = ("es", "pt_BR")
PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif]|\{\w*\}")
TAG = re.compile(r"</?[a-zA-Z][^>]*>")


def load(path: Path):
    with path.open("rb") as handle:
        return read_po(handle)


def ids(catalog) -> set:
    return {m.id for m in catalog if m.id}


def test_pot_is_up_to_date_with_the_code(tmp_path):
    fresh = tmp_path / "fresh.pot"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "extract",
            "--no-location",
            "-F",
            "babel.cfg",
            "-k",
            "_l",
            "-k",
            "lazy_gettext",
            "-k",
            "lazy_pgettext:1c,2",
            "-o",
            str(fresh),
            ".",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    committed = load(ROOT / "translations" / "messages.pot")
    missing = ids(load(fresh)) - ids(committed)
    stale = ids(committed) - ids(load(fresh))
    assert not missing, f"run `make i18n-update`: new strings not in messages.pot: {sorted(map(str, missing))[:10]}"
    assert not stale, f"run `make i18n-update`: strings no longer used: {sorted(map(str, stale))[:10]}"


@pytest.mark.parametrize("locale", LOCALES)
def test_catalog_has_every_string_of_the_pot(locale):
    pot = load(ROOT / "translations" / "messages.pot")
    po = load(ROOT / "translations" / locale / "LC_MESSAGES" / "messages.po")
    assert ids(pot) - ids(po) == set(), "run `make i18n-update` and translate the new entries"


@pytest.mark.parametrize("locale", LOCALES)
def test_no_entry_is_empty_or_fuzzy(locale):
    po = load(ROOT / "translations" / locale / "LC_MESSAGES" / "messages.po")
    problems = []
    for message in po:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy:
            problems.append(f"fuzzy: {message.id!r}")
        if message.pluralizable and len(strings) != po.num_plurals:
            problems.append(f"needs {po.num_plurals} plural forms: {message.id!r}")
        if any(not s.strip() for s in strings):
            problems.append(f"empty: {message.id!r}")
    assert problems == []


@pytest.mark.parametrize("locale", LOCALES)
def test_placeholders_and_tags_match(locale):
    po = load(ROOT / "translations" / locale / "LC_MESSAGES" / "messages.po")
    problems = []
    for message in po:
        if not message.id:
            continue
        source_ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        expected = sorted(set(PLACEHOLDER.findall(source_ids[-1])))
        expected_tags = sorted(TAG.findall(source_ids[0]))
        for string in strings:
            found = sorted(set(PLACEHOLDER.findall(string)))
            singular = sorted(set(PLACEHOLDER.findall(source_ids[0])))
            if found != expected and not (
                len(source_ids) > 1 and found in (singular, [p for p in expected if p != "%(num)s"])
            ):
                problems.append(f"placeholders {found} != {expected}: {source_ids[0]!r}")
            if sorted(TAG.findall(string)) != expected_tags:
                problems.append(f"tags differ: {source_ids[0]!r}")
    assert problems == []


@pytest.mark.parametrize("locale", LOCALES)
def test_translations_are_not_copies_of_the_english(locale):
    po = load(ROOT / "translations" / locale / "LC_MESSAGES" / "messages.po")
    messages = [m for m in po if m.id and not m.pluralizable]
    copies = [m.id for m in messages if m.string == m.id and len(m.id) > 12]
    # a few words are the same in every language (e.g. "Status" in pt_BR); whole sentences are not
    assert len(copies) <= 3, copies
