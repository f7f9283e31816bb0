"""Fragments of a page rendered once and kept: `{% cache key, ... %}…{% endcache %}` in a template.

A page whose parts come from the content (a program's formats, its timeline) renders them again for every
visitor, although they change only at a content sync. Such a part is wrapped in `{% cache content_version() %}`:
it is rendered once per template line, language and key, and the stored markup is used until a key changes.

What goes inside must depend on nothing but its keys and the language: never the signed-in user, the request's
address or query, a CSRF token or a flashed message. The keys are hashable values (the content version is a
tuple). The store is per process and bounded: when it is full it is emptied, and fragments render again.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any

from jinja2 import nodes
from jinja2.ext import Extension
from jinja2.parser import Parser
from markupsafe import Markup

from qtp.core.i18n import current_locale_code

CAPACITY = 512
_STORE: dict[tuple[Hashable, ...], Markup] = {}


def clear() -> None:
    _STORE.clear()


class FragmentCache(Extension):
    tags = {"cache"}

    def parse(self, parser: Parser) -> nodes.Node:
        lineno = next(parser.stream).lineno
        keys = [parser.parse_expression()]
        while parser.stream.skip_if("comma"):
            keys.append(parser.parse_expression())
        body = parser.parse_statements(("name:endcache",), drop_needle=True)
        where = [nodes.Const(parser.name), nodes.Const(lineno), nodes.Tuple(keys, "load")]
        return nodes.CallBlock(self.call_method("_fragment", where), [], [], body).set_lineno(lineno)

    def _fragment(self, template: str | None, lineno: int, keys: tuple[Any, ...], caller: Callable[[], str]) -> Markup:
        key = (template, lineno, current_locale_code(), *keys)
        found = _STORE.get(key)
        if found is None:
            found = Markup(caller())  # noqa: S704 (the template's own output, escaped as it was rendered)
            if len(_STORE) >= CAPACITY:
                _STORE.clear()
            _STORE[key] = found
        return found
