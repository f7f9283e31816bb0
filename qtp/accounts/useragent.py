"""A browser's User-Agent header summarized for people ("Chrome on Windows"): no parsing library, a few names."""

from __future__ import annotations

import re

# Order matters: Edge and Opera say "Chrome" too, Chrome says "Safari", iPads may say "Macintosh".
_BROWSERS = (
    ("Edge", re.compile(r"Edg(e|A|iOS)?/")),
    ("Opera", re.compile(r"OPR/|Opera")),
    ("Samsung Internet", re.compile(r"SamsungBrowser/")),
    ("Firefox", re.compile(r"Firefox/|FxiOS/")),
    ("Chrome", re.compile(r"Chrome/|CriOS/|Chromium/")),
    ("Safari", re.compile(r"Safari/")),
)
_SYSTEMS = (
    ("iPhone", re.compile(r"iPhone")),
    ("iPad", re.compile(r"iPad")),
    ("Android", re.compile(r"Android")),
    ("Windows", re.compile(r"Windows")),
    ("ChromeOS", re.compile(r"CrOS")),
    ("macOS", re.compile(r"Macintosh|Mac OS X")),
    ("Linux", re.compile(r"Linux|X11")),
)


def browser_name(user_agent: str) -> str | None:
    return next((name for name, pattern in _BROWSERS if pattern.search(user_agent or "")), None)


def system_name(user_agent: str) -> str | None:
    return next((name for name, pattern in _SYSTEMS if pattern.search(user_agent or "")), None)


def summarize(user_agent: str | None) -> str:
    """ "browser|system" as stored on a session row; either part may be empty when unknown."""
    return f"{browser_name(user_agent or '') or ''}|{system_name(user_agent or '') or ''}"


def parts(summary: str) -> tuple[str, str]:
    browser, _sep, system = (summary or "").partition("|")
    return browser, system
