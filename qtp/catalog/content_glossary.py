"""The glossaries `courses/glossary.<locale>.yaml` and the style rules they set, checked on text.

A glossary names the one term to use for each concept (and the terms to avoid), the typographic style of the
language (decimal separator, thousands, percent, quotation marks) and the patterns of words of another language
that must never appear in it. `check_text` applies all of it to one piece of text of that language and returns
the problems found; `content_language` gathers the text of every file and catalogue.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from qtp.catalog.content_base import Reporter
from qtp.catalog.files import ContentError, LineDict, parse_yaml, read_text

# Quotation marks a glossary may choose from; those of the other pairs are reported.
QUOTE_MARKS = "«»“”„‘’‹›"
# Thousands styles: what a point between digits means in each.
THOUSANDS_STYLES = ("point from 4 digits", "point from 5 digits")
PERCENT_STYLES = ("52%", "52 %")

# A number written with a point between digits, not part of a longer dotted token (a version, an address, a
# date such as 2026.01.05) and not followed by more digits or letters.
DOTTED_NUMBER = re.compile(r"(?<![\w.,])\d+(?:\.\d+)+(?![\w]|\.\d)")
# Protected spans: inline code, URLs, e-mail addresses and file names; nothing in them is prose.
PROTECTED = re.compile(
    r"`[^`]*`|https?://\S+|www\.\S+|\S+@\S+\.\w+|\b[\w-]+\.(?:pdf|pptx|svg|png|csv|ics|json|yaml|md)\b"
)


@dataclass(frozen=True)
class Term:
    en: str
    use: str
    avoid: tuple[str, ...]
    patterns: tuple[re.Pattern, ...]


@dataclass(frozen=True)
class ForeignPattern:
    pattern: re.Pattern
    note: str


@dataclass
class Glossary:
    locale: str
    path: Path
    decimal_separator: str = ","
    thousands: str = THOUSANDS_STYLES[0]
    percent: str = PERCENT_STYLES[0]
    quotes: tuple[str, str] = ("“", "”")
    number_exceptions: tuple[str, ...] = ()
    terms: list[Term] = field(default_factory=list)
    wrong_language: list[ForeignPattern] = field(default_factory=list)


@dataclass(frozen=True)
class Finding:
    offset: int  # where in the text
    message: str


def phrase_pattern(phrase: str) -> re.Pattern:
    """A phrase as whole words, case-insensitive, any run of spaces matching any other."""
    words = [re.escape(word) for word in phrase.split()]
    return re.compile(r"(?<!\w)" + r"\s+".join(words) + r"(?!\w)", re.IGNORECASE)


# --- loading -----------------------------------------------------------------------------------------------


def glossary_path(root: Path, locale: str) -> Path:
    return root / f"glossary.{locale}.yaml"


def load_glossaries(root: Path, locales: tuple[str, ...], report: Reporter) -> dict[str, Glossary]:
    """The glossary of every translated language that has one; a malformed glossary is an error."""
    glossaries = {}
    for locale in locales[1:]:
        path = glossary_path(root, locale)
        if not path.is_file():
            report.error(path, 1, f"missing glossary for {locale} (courses/README.md, 'Glossaries')")
            continue
        try:
            data = parse_yaml(read_text(path))
        except ContentError as error:
            report.error(path, error.line, error.message)
            continue
        glossary = _glossary(data, locale, path, report)
        if glossary is not None:
            glossaries[locale] = glossary
    return glossaries


def _glossary(data: object, locale: str, path: Path, report: Reporter) -> Glossary | None:
    if not isinstance(data, LineDict):
        report.error(path, 1, "a glossary is a mapping with locale, register, style, terms and wrong_language")
        return None
    if data.get("locale") != locale:
        report.error(path, data.line_of("locale"), f"locale must be {locale!r}")
    if not isinstance(data.get("register"), str) or not data["register"].strip():
        report.error(path, data.line_of("register"), "register: describe the language's register for translators")
    glossary = Glossary(locale, path)
    _style(data.get("style"), glossary, path, data.line_of("style"), report)
    exceptions = data.get("number_exceptions", [])
    if not isinstance(exceptions, list) or not all(isinstance(item, str) for item in exceptions):
        report.error(path, data.line_of("number_exceptions"), "number_exceptions must be a list of strings")
    else:
        glossary.number_exceptions = tuple(exceptions)
    glossary.terms = list(_terms(data.get("terms"), path, data.line_of("terms"), report))
    glossary.wrong_language = list(_foreign(data.get("wrong_language"), path, data.line_of("wrong_language"), report))
    return glossary


def _style(style: object, glossary: Glossary, path: Path, line: int, report: Reporter) -> None:
    if not isinstance(style, LineDict):
        report.error(path, line, "style must be a mapping (decimal_separator, thousands, percent, quotes, dates)")
        return
    if style.get("decimal_separator") not in (",", "."):
        report.error(path, style.line_of("decimal_separator"), "decimal_separator must be ',' or '.'")
    else:
        glossary.decimal_separator = style["decimal_separator"]
    thousands = str(style.get("thousands", ""))
    chosen = next((name for name in THOUSANDS_STYLES if thousands.startswith(name)), None)
    if chosen is None:
        report.error(path, style.line_of("thousands"), f"thousands must start with one of {THOUSANDS_STYLES}")
    else:
        glossary.thousands = chosen
    if style.get("percent") not in PERCENT_STYLES:
        report.error(path, style.line_of("percent"), f"percent must be one of {PERCENT_STYLES}")
    else:
        glossary.percent = style["percent"]
    quotes = style.get("quotes")
    if not (isinstance(quotes, list) and len(quotes) == 2 and all(q in QUOTE_MARKS for q in quotes)):
        report.error(path, style.line_of("quotes"), "quotes must be an opening and a closing mark, e.g. ['“', '”']")
    else:
        glossary.quotes = (quotes[0], quotes[1])
    if not isinstance(style.get("dates"), str):
        report.error(path, style.line_of("dates"), "dates: show how a date is written, e.g. 7 de diciembre de 2026")


def _terms(items: object, path: Path, line: int, report: Reporter) -> Iterator[Term]:
    if not isinstance(items, list) or not items:
        report.error(path, line, "terms must be a non-empty list")
        return
    for item in items:
        if (
            not isinstance(item, LineDict)
            or not isinstance(item.get("en"), str)
            or not isinstance(item.get("use"), str)
        ):
            report.error(path, getattr(item, "line", line), "a term needs en and use")
            continue
        avoid = item.get("avoid") or []
        if not isinstance(avoid, list) or not all(isinstance(word, str) and word.strip() for word in avoid):
            report.error(path, item.line_of("avoid"), "avoid must be a list of words or phrases")
            continue
        clash = [word for word in avoid if phrase_pattern(word).search(item["use"])]
        if clash:
            report.error(
                path, item.line_of("avoid"), f"the term to use, {item['use']!r}, contains avoided {clash[0]!r}"
            )
            continue
        yield Term(item["en"], item["use"], tuple(avoid), tuple(phrase_pattern(word) for word in avoid))


def _foreign(items: object, path: Path, line: int, report: Reporter) -> Iterator[ForeignPattern]:
    if not isinstance(items, list):
        report.error(path, line, "wrong_language must be a list of {pattern, note}")
        return
    for item in items:
        if not isinstance(item, LineDict) or not isinstance(item.get("pattern"), str):
            report.error(path, getattr(item, "line", line), "a wrong_language entry needs a pattern")
            continue
        try:
            pattern = re.compile(item["pattern"], re.IGNORECASE)
        except re.error as error:
            report.error(path, item.line_of("pattern"), f"pattern is not a valid regular expression: {error}")
            continue
        yield ForeignPattern(pattern, str(item.get("note") or "a word of another language"))


# --- checking ----------------------------------------------------------------------------------------------


def prose(text: str) -> str:
    """`text` with code, URLs and file names blanked out (same length, so offsets stay)."""
    return PROTECTED.sub(lambda match: " " * len(match.group()), text)


def check_text(glossary: Glossary, text: str, *, numbers: bool = True) -> list[Finding]:
    """Every breach of the glossary in `text`. `numbers=False` skips the number and percent rules (text whose
    digits are not prose numbers, such as a chart's tick labels)."""
    text = prose(text)
    findings = [*_avoided(glossary, text), *_foreign_words(glossary, text), *_quotes(glossary, text)]
    if numbers:
        findings += [*_decimals(glossary, text), *_percents(glossary, text)]
    return sorted(findings, key=lambda finding: finding.offset)


def _avoided(glossary: Glossary, text: str) -> Iterator[Finding]:
    for term in glossary.terms:
        for pattern in term.patterns:
            for match in pattern.finditer(text):
                yield Finding(
                    match.start(), f"avoid “{match.group()}”: the glossary's term for “{term.en}” is “{term.use}”"
                )


def _foreign_words(glossary: Glossary, text: str) -> Iterator[Finding]:
    for foreign in glossary.wrong_language:
        for match in foreign.pattern.finditer(text):
            yield Finding(match.start(), f"“{match.group()}” is not {glossary.locale}: {foreign.note}")


def _quotes(glossary: Glossary, text: str) -> Iterator[Finding]:
    others = "".join(mark for mark in '"«»„‹›' if mark not in glossary.quotes)
    for match in re.finditer(f"[{others}]", text):
        opening, closing = glossary.quotes
        yield Finding(match.start(), f"quotation mark {match.group()}: this language quotes with {opening}…{closing}")


def _decimals(glossary: Glossary, text: str) -> Iterator[Finding]:
    if glossary.decimal_separator != ",":
        return
    for match in DOTTED_NUMBER.finditer(text):
        number = match.group()
        if _is_exception(text, match, glossary.number_exceptions):
            continue
        whole, *groups = number.split(".")
        grouped = len(whole) <= 3 and all(len(group) == 3 for group in groups) and whole != "0"
        if grouped and glossary.thousands == "point from 4 digits":
            continue
        if grouped and len(whole) + 3 * len(groups) >= 5:
            continue
        if grouped:
            yield Finding(
                match.start(), f"“{number}”: write four-digit numbers without a separator ({whole}{groups[0]})"
            )
        else:
            yield Finding(match.start(), f"“{number}”: decimals take a comma here ({number.replace('.', ',')})")


def _is_exception(text: str, match: re.Match, exceptions: tuple[str, ...]) -> bool:
    """The number is part of one of the glossary's literal exceptions (e.g. "Open Badges 3.0")."""
    for exception in exceptions:
        start = text.find(exception, max(0, match.start() - len(exception)), match.end() + len(exception))
        if start != -1 and start <= match.start() and match.end() <= start + len(exception):
            return True
    return False


def _percents(glossary: Glossary, text: str) -> Iterator[Finding]:
    spaced = glossary.percent == "52 %"
    pattern = r"\d%" if spaced else r"\d[ \u00a0\u202f]%"
    for match in re.finditer(pattern, text):
        wanted = "52 %" if spaced else "52%"
        yield Finding(match.start(), f"percent: write numbers with % as “{wanted}”")
