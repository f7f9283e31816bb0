"""A small HTTPS client for the stack smoke test: cookies (Secure ones included, over TLS), the stack's own
certificate as the only one trusted, redirects followed or not, and the forms of a page read as a browser
would submit them."""

from __future__ import annotations

import http.cookiejar
import ssl
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from html.parser import HTMLParser


@dataclass
class Answer:
    status: int
    headers: dict[str, str]  # lower-case names
    body: bytes
    url: str

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        return None


class Browser:
    def __init__(self, base: str, context: ssl.SSLContext) -> None:
        self.base = base.rstrip("/")
        self.cookies = http.cookiejar.CookieJar()
        self.last_page: str | None = None
        cookie_handler = urllib.request.HTTPCookieProcessor(self.cookies)
        https = urllib.request.HTTPSHandler(context=context)
        self._follow = urllib.request.build_opener(cookie_handler, https)
        self._stay = urllib.request.build_opener(cookie_handler, https, _NoRedirect())

    def request(
        self,
        path: str,
        data: dict[str, str] | list[tuple[str, str]] | None = None,
        *,
        follow: bool = True,
        headers: dict[str, str] | None = None,
    ) -> Answer:
        url = path if "://" in path else self.base + path
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        sent = dict(headers or {})
        if body is not None:  # Flask-WTF checks the Referer of a form posted over https, as browsers send it
            sent.setdefault("Referer", self.last_page or url)
        request = urllib.request.Request(url, data=body, headers=sent)  # noqa: S310 (the stack's URL)
        opener = self._follow if follow else self._stay
        try:
            with opener.open(request, timeout=30) as response:
                answer = Answer(response.status, _lower(response.headers), response.read(), response.url)
        except urllib.error.HTTPError as error:
            answer = Answer(error.code, _lower(error.headers), error.read(), url)
        if answer.headers.get("content-type", "").startswith("text/html"):
            self.last_page = answer.url
        return answer

    def cookie_header(self) -> str:
        return "; ".join(f"{cookie.name}={cookie.value}" for cookie in self.cookies)

    def sign_in(self, email: str, password: str) -> Answer:
        page = self.request("/login")
        form = forms_of(page.text, action="/login")[0]
        form.update(email=email, password=password)
        return self.request("/login", form)


def _lower(headers) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {name.lower(): value for name, value in headers.items()}


class _Forms(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[tuple[str, dict[str, str]]] = []
        self._fields: dict[str, str] | None = None
        self._textarea: str | None = None
        self._select: str | None = None
        self._first_option = False

    def handle_starttag(self, tag, attrs):  # type: ignore[no-untyped-def]
        a = {name: value or "" for name, value in attrs}
        if tag == "form" and a.get("method", "get").lower() == "post":
            self._fields = {}
            self.forms.append((a.get("action", ""), self._fields))
        if self._fields is None or not (a.get("name") or tag == "option"):
            return
        name = a.get("name", "")
        if tag == "input":
            kind = a.get("type", "text").lower()
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self._fields[name] = a.get("value", "on")
            elif kind not in ("submit", "button", "file", "image", "reset"):
                self._fields[name] = a.get("value", "")
        elif tag == "textarea":
            self._textarea = name
            self._fields[name] = ""
        elif tag == "select":
            self._select, self._first_option = name, True
        if tag == "option" and self._select and self._fields is not None:
            if "selected" in a or self._first_option:  # no option selected: a browser sends the first
                self._fields[self._select] = a.get("value", "")
            self._first_option = False

    def handle_data(self, data):  # type: ignore[no-untyped-def]
        if self._fields is not None and self._textarea:
            self._fields[self._textarea] += data

    def handle_endtag(self, tag):  # type: ignore[no-untyped-def]
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None
        elif tag == "form":
            self._fields = None


def forms_of(html: str, action: str | None = None) -> list[dict[str, str]]:
    """The POST forms of a page (their fields as a browser would send them), those posting to `action` only
    when given (a form without an action posts to its page)."""
    parser = _Forms()
    parser.feed(html)
    return [dict(fields) for target, fields in parser.forms if action is None or target.split("?")[0] == action]
