"""Reading pages as a browser would: the same-origin links and the forms on a page, and filling a form."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit

TEXT_TYPES = {"text", "search", "url", "tel", ""}
NEVER_FOLLOW = ("/logout", "/language")


@dataclass
class Control:
    tag: str
    name: str
    type: str = ""
    value: str = ""
    checked: bool = False
    maxlength: int | None = None
    options: list[tuple[str, bool]] = field(default_factory=list)  # (value, selected)


@dataclass
class Form:
    page: str
    action: str
    method: str
    enctype: str
    controls: list[Control] = field(default_factory=list)
    buttons: list[tuple[str, str]] = field(default_factory=list)

    @property
    def text_controls(self) -> list[Control]:
        return [c for c in self.controls if c.tag == "textarea" or (c.tag == "input" and c.type in TEXT_TYPES)]

    @property
    def has_password(self) -> bool:
        return any(c.type == "password" for c in self.controls)

    @property
    def has_file(self) -> bool:
        return any(c.type == "file" for c in self.controls)


class _PageReader(HTMLParser):
    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page = page
        self.links: list[str] = []
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: Control | None = None
        self._textarea: Control | None = None
        self._option: tuple[str, bool] | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        if tag == "form":
            self._form = Form(
                self.page,
                urljoin(self.page, a.get("action") or self.page),
                (a.get("method") or "get").lower(),
                a.get("enctype") or "",
            )
            self.forms.append(self._form)
            return
        form = self._form
        if form is None or a.get("disabled") is not None and "disabled" in a:
            return
        name = a.get("name")
        maxlength = int(a["maxlength"]) if a.get("maxlength", "").isdigit() else None
        if tag == "input" and name:
            kind = (a.get("type") or "").lower()
            if kind in ("submit", "image"):
                form.buttons.append((name, a.get("value", "")))
            elif kind != "reset" and kind != "button":
                form.controls.append(Control("input", name, kind, a.get("value", ""), "checked" in a, maxlength))
        elif tag == "button" and name and (a.get("type") or "submit") == "submit":
            form.buttons.append((name, a.get("value", "")))
        elif tag == "textarea" and name:
            self._textarea = Control("textarea", name, maxlength=maxlength)
            form.controls.append(self._textarea)
        elif tag == "select" and name:
            self._select = Control("select", name, "select-multiple" if "multiple" in a else "select")
            form.controls.append(self._select)
        elif tag == "option" and self._select is not None:
            self._select.options.append((a.get("value", ""), "selected" in a))

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea.value += data


def read_page(path: str, html: str) -> tuple[list[str], list[Form]]:
    reader = _PageReader(path)
    reader.feed(html)
    reader.close()
    links = []
    for href in reader.links:
        target = urljoin(path, urldefrag(href)[0])
        parts = urlsplit(target)
        if parts.scheme or parts.netloc or not parts.path.startswith("/"):
            continue
        links.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return links, reader.forms


def local_path(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def crawl(client, starts: list[str], limit: int, skip, files=None) -> tuple[dict[str, object], list[Form], list[str]]:
    """Breadth-first over same-origin links from `starts`: every response by path, the forms of the pages, and
    the links matching `files` (PDFs: read apart, once per kind, as they are slow to make) left unfetched."""
    seen, queue, responses, forms, kept = set(starts), deque(starts), {}, [], []
    while queue and len(responses) < limit:
        path = queue.popleft()
        response = client.get(path)
        responses[path] = response
        if response.status_code != 200 or response.mimetype != "text/html":
            continue
        links, page_forms = read_page(path, response.get_data(as_text=True))
        forms += page_forms
        for link in links:
            if link in seen or skip(link):
                continue
            seen.add(link)
            if files is not None and files(link):
                kept.append(link)
            else:
                queue.append(link)
    return responses, forms, kept


def fill(form: Form, text_for, email_for) -> dict[str, list[str]]:
    """The values a browser would send, with every text field (and every empty e-mail field) typed in."""
    data: dict[str, list[str]] = {}
    for control in form.controls:
        values = data.setdefault(control.name, [])
        if control.tag == "textarea" or (control.tag == "input" and control.type in TEXT_TYPES):
            values.append(text_for(control))
        elif control.type == "email":
            values.append(control.value or email_for(control))
        elif control.type in ("checkbox", "radio"):
            if control.checked:
                values.append(control.value or "on")
            elif control.type == "radio" and not any(c.checked for c in form.controls if c.name == control.name):
                if not values:
                    values.append(control.value)
        elif control.tag == "select":
            chosen = [v for v, selected in control.options if selected]
            if not chosen:
                chosen = [next((v for v, _ in control.options if v), "")][:1] if control.type == "select" else []
            values.extend(chosen)
        elif control.type == "file":
            continue
        else:
            values.append(control.value)
    if form.buttons:
        name, value = form.buttons[0]
        data.setdefault(name, []).append(value)
    return {k: v for k, v in data.items() if v}
