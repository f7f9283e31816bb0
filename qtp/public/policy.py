"""Who may read `/metrics`: a signed-in admin, or a scraper on an allowed address (loopback by default).

The address checked is the one the connection itself comes from (`REMOTE_ADDR` as the server saw it, before
ProxyFix rewrote it from `X-Forwarded-For`): a header is something any client can write. Behind a proxy on the
same host, every request comes from loopback, so a request that says it was forwarded for anyone outside the
allow-list is refused too: the proxy scraping itself passes, a remote client through the proxy does not.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any

from qtp.core.permissions import has_permission

METRICS_PERMISSION = "admin:metrics:read"

_FORWARDED_FOR = re.compile(r'for="?\[?([^\]";,]+)', re.IGNORECASE)
_PORT = re.compile(r"^(\d+\.\d+\.\d+\.\d+):\d+$")


@lru_cache(maxsize=16)
def _networks(allow: tuple[str, ...]) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in allow)


def address_allowed(address: str | None, allow: tuple[str, ...]) -> bool:
    if not address:
        return False
    text = address.strip()
    text = _PORT.sub(r"\1", text)
    try:
        ip = ipaddress.ip_address(text.split("%")[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return any(ip in network for network in _networks(allow))


def connection_address(environ: Mapping[str, Any]) -> str | None:
    """The address the TCP connection came from, whatever ProxyFix made of it."""
    original = environ.get("werkzeug.proxy_fix.orig") or {}
    return original.get("REMOTE_ADDR") or environ.get("REMOTE_ADDR")


def forwarded_addresses(headers: Mapping[str, str]) -> list[str]:
    """Every client address a proxy header names (X-Forwarded-For, X-Real-IP, Forwarded: for=...)."""
    found: list[str] = []
    for value in _values(headers, "X-Forwarded-For"):
        found.extend(part.strip() for part in value.split(","))
    found.extend(v.strip() for v in _values(headers, "X-Real-IP"))
    for value in _values(headers, "Forwarded"):
        matches = _FORWARDED_FOR.findall(value)
        found.extend(matches or ["unparsed"])
    return found


def _values(headers: Mapping[str, str], name: str) -> Iterable[str]:
    getlist = getattr(headers, "getlist", None)
    if getlist is not None:
        return getlist(name)
    value = headers.get(name)
    return [value] if value is not None else []


def can_read_metrics(user: Any, connection: str | None, forwarded_for: list[str], allow: tuple[str, ...]) -> bool:
    if has_permission(user, METRICS_PERMISSION):
        return True
    if not address_allowed(connection, allow):
        return False
    return all(address_allowed(address, allow) for address in forwarded_for)
