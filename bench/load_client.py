"""The load bench's HTTP client and figures: one keep-alive HTTPS connection per virtual user (http.client, no
dependency), its own cookies, redirects followed; the forms of a page read as a browser would send them;
percentiles and per-journey counts."""

from __future__ import annotations

import http.client
import math
import re
import ssl
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import urlencode, urljoin, urlsplit

from tests.stack.client import forms_of

__all__ = ["Answer", "JourneyError", "Session", "Stats", "csrf_token", "forms_of", "links", "percentile"]

REDIRECTS = (301, 302, 303, 307, 308)
TIMEOUT = 30  # seconds for one request


class JourneyError(Exception):
    """A request of a journey failed: a status outside 2xx/3xx, or a content check."""


@dataclass
class Answer:
    status: int
    headers: dict[str, str]  # lower-case names
    body: bytes
    url: str  # the path asked for (the last one, after redirects)

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


def links(page: str, pattern: str) -> list[str]:
    """The distinct href values of a page matching `pattern` (a regular expression), in page order."""
    found = re.findall(rf'href="({pattern})"', page)
    return list(dict.fromkeys(link.replace("&amp;", "&") for link in found))


def csrf_token(page: str, action: str | None = None) -> str:
    """The CSRF token of the page's first POST form (to `action` when given); JourneyError when there is none."""
    for form in forms_of(page, action=action):
        if form.get("csrf_token"):
            return form["csrf_token"]
    raise JourneyError(f"no form with a CSRF token{f' posting to {action}' if action else ''}")


class Session:
    """One virtual user's connection to the stack: keep-alive, cookies, redirects followed (at most 5)."""

    def __init__(self, base: str, context: ssl.SSLContext | None) -> None:
        parts = urlsplit(base)
        self.base = base.rstrip("/")
        self.secure = parts.scheme == "https"
        self.host = parts.hostname or "127.0.0.1"
        self.port = parts.port or (443 if self.secure else 80)
        self.context = context
        self.cookies: dict[str, str] = {}
        self.sent = 0  # requests sent, redirects followed included
        self.timings: list[tuple[str, float]] = []  # (method and page kind, seconds) of each, until taken
        self._connection: http.client.HTTPConnection | None = None

    def _connect(self) -> http.client.HTTPConnection:
        if self.secure:
            return http.client.HTTPSConnection(self.host, self.port, timeout=TIMEOUT, context=self.context)
        return http.client.HTTPConnection(self.host, self.port, timeout=TIMEOUT)

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    def _send(self, method: str, path: str, body: bytes | None, headers: dict[str, str]) -> Answer:
        sent = dict(headers)
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        if body is not None:
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.perf_counter()
        for attempt in (1, 2):  # a kept-alive connection the server closed meanwhile: once more, on a new one
            reused = self._connection is not None
            if self._connection is None:
                self._connection = self._connect()
            try:
                self._connection.request(method, path, body=body, headers=sent)
                response = self._connection.getresponse()
                data = response.read()
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.close()
                if reused and attempt == 1:
                    continue
                raise
            break
        self.sent += 1
        self.timings.append((f"{method} {page_kind(path)}", time.perf_counter() - started))
        for value in response.headers.get_all("Set-Cookie") or []:
            self._store_cookie(value)
        answer = Answer(response.status, {k.lower(): v for k, v in response.headers.items()}, data, path)
        if response.will_close:
            self.close()
        return answer

    def _store_cookie(self, header: str) -> None:
        pair, _, attributes = header.partition(";")
        name, _, value = pair.strip().partition("=")
        attributes = attributes.lower()
        if "max-age=0" in attributes or "expires=thu, 01 jan 1970" in attributes:
            self.cookies.pop(name, None)
        else:
            self.cookies[name] = value

    def request(
        self,
        path: str,
        data: dict[str, str] | None = None,
        *,
        follow: bool = True,
        referer: str | None = None,
        expect: tuple[int, ...] | None = None,
    ) -> Answer:
        """GET (or POST `data` as a form); follows redirects unless `follow` is False. A status outside 2xx/3xx,
        or outside `expect` when given, raises JourneyError."""
        method, body = ("POST", urlencode(data).encode()) if data is not None else ("GET", None)
        headers = {"Referer": self.base + (referer or path)} if body is not None else {}
        answer = self._send(method, path, body, headers)
        hops = 0
        while follow and answer.status in REDIRECTS and hops < 5:
            location = answer.headers.get("location", "")
            target = urlsplit(urljoin(self.base + path, location))
            path = target.path + (f"?{target.query}" if target.query else "")
            answer = self._send("GET", path, None, {})
            hops += 1
        allowed = expect if expect is not None else tuple(range(200, 400))
        if answer.status not in allowed:
            raise JourneyError(f"{method} {answer.url}: status {answer.status}")
        return answer


def page_kind(path: str) -> str:
    """A path with its ids, tokens and module names replaced, to group requests by page:
    /teams/1/measures/2?edit=9 -> /teams/N/measures/N, /downloads/<token> -> /downloads/*."""
    kinds = []
    for part in path.split("?")[0].split("/"):
        if part.isdigit():
            part = "N"
        elif len(part) >= 24 or (kinds and kinds[-1] == "modules"):
            part = "*"
        kinds.append(part)
    return "/".join(kinds) or "/"


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile (share 0.5 for p50, 0.99 for p99); 0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, math.ceil(share * len(ordered)))
    return ordered[rank - 1]


@dataclass
class Stats:
    """Per journey: each run's duration (seconds), requests, errors and the first few error lines."""

    durations: dict[str, list[float]] = field(default_factory=dict)
    requests: dict[str, int] = field(default_factory=dict)
    errors: dict[str, int] = field(default_factory=dict)
    first_errors: list[str] = field(default_factory=list)
    pages: dict[str, list[float]] = field(default_factory=dict)  # each request's seconds, by page kind
    keep: int = 5
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def record(
        self,
        journey: str,
        seconds: float,
        requests: int,
        error: str | None = None,
        timings=(),  # noqa: ANN001
    ) -> None:
        with self._lock:
            for kind, taken in timings:
                self.pages.setdefault(kind, []).append(taken)
            self.requests[journey] = self.requests.get(journey, 0) + requests
            if error is None:
                self.durations.setdefault(journey, []).append(seconds)
            else:
                self.errors[journey] = self.errors.get(journey, 0) + 1
                if len(self.first_errors) < self.keep:
                    self.first_errors.append(f"{journey}: {error}")

    def count(self, journey: str) -> int:
        return len(self.durations.get(journey, [])) + self.errors.get(journey, 0)

    @property
    def total_requests(self) -> int:
        return sum(self.requests.values())

    @property
    def total_errors(self) -> int:
        return sum(self.errors.values())

    def page_rows(self) -> list[tuple[str, int, float, float]]:
        """(page kind, requests, p50 ms, p99 ms), the most requested first."""
        ordered = sorted(self.pages.items(), key=lambda item: (-len(item[1]), item[0]))
        return [(k, len(v), percentile(v, 0.5) * 1000, percentile(v, 0.99) * 1000) for k, v in ordered]

    def rows(self, names: list[str]) -> list[tuple[str, int, int, float, float, int]]:
        """(journey, runs, requests, p50 ms, p99 ms, errors) per journey, in the order given."""
        return [
            (
                name,
                self.count(name),
                self.requests.get(name, 0),
                percentile(self.durations.get(name, []), 0.50) * 1000,
                percentile(self.durations.get(name, []), 0.99) * 1000,
                self.errors.get(name, 0),
            )
            for name in names
        ]
