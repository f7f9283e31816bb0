"""The deploy/ templates filled in: the nginx site (for an operator's server, or for this machine's loopback),
the self-contained nginx.conf `make serve` runs nginx with (its own pid, logs and temporary folders, so nginx
needs no change to /etc), the secret key and the self-signed certificate of the serve folder."""

from __future__ import annotations

import os
import pwd
import re
import secrets
import subprocess
from dataclasses import dataclass, fields
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SITE_TEMPLATE = ROOT / "deploy" / "nginx" / "qtp.conf"
MIME_TYPES = Path("/etc/nginx/mime.types")
# The internal locations the app hands files to (QTP_X_ACCEL_REDIRECT_PREFIX, QTP_X_ACCEL_BUNDLE_PREFIX).
STORAGE_PREFIX = "/protected/"
BUNDLE_PREFIX = "/protected-bundles/"
TOKEN = re.compile(r"@([A-Z_]+)@")
UNSAFE = re.compile(r"[\s;{}#'\"\\$@]")  # a value nginx would read as more than one word, or a comment
NGINX_TEMP = ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")


class RenderError(ValueError):
    """A value cannot be written into the nginx configuration as it is."""


def app_max_body_size() -> int:
    """The app's MAX_CONTENT_LENGTH (QTP_MAX_CONTENT_LENGTH or its default): nginx refuses larger bodies first."""
    from qtp.config import build_config

    return int(build_config(str(ROOT / "instance"), {"QTP_ENV": "testing"})["MAX_CONTENT_LENGTH"])


@dataclass(frozen=True)
class Site:
    """The values of deploy/nginx/qtp.conf's placeholders (the defaults are an operator's server)."""

    server_name: str
    upstream: str
    static_dir: Path
    storage_dir: Path
    bundle_dir: Path
    tls_certificate: Path
    tls_certificate_key: Path
    http_listen: str = "80"
    https_listen: str = "443"
    https_port_suffix: str = ""  # ":8443" when https is not on its standard port
    access_log: str = "/var/log/nginx/qtp-access.log"
    storage_prefix: str = STORAGE_PREFIX
    bundle_prefix: str = BUNDLE_PREFIX
    max_body_size: int = 0  # 0: the app's MAX_CONTENT_LENGTH
    # An operator's server on the Internet: it listens on IPv6 as well, and a catch-all server closes requests for
    # other names. The loopback stack (`make serve`, the smoke test) leaves both out: it is reached by address,
    # without a name a TLS client would send.
    public: bool = True

    def values(self) -> dict[str, str]:
        values = {}
        for item in fields(self):
            if item.name == "public":
                continue
            value = getattr(self, item.name)
            if item.name == "max_body_size":
                value = value or app_max_body_size()
            text = str(Path(value).resolve()) if isinstance(value, Path) else str(value)
            if item.name != "https_port_suffix" and not text:
                raise RenderError(f"{item.name} is empty")
            words = text.split(" ") if item.name == "server_name" else [text]  # several names, one space apart
            if text and any(not word or UNSAFE.search(word) for word in words):
                raise RenderError(f"{item.name} cannot go into an nginx configuration as it is: {text!r}")
            values[item.name.upper()] = text
        for name in ("HTTP", "HTTPS"):  # the IPv6 listens take the port of the IPv4 one
            port = values[f"{name}_LISTEN"].rpartition(":")[2]
            if not port.isdigit():
                raise RenderError(f"{name.lower()}_listen must end with a port: {values[f'{name}_LISTEN']!r}")
            values[f"{name}_PORT"] = port
        for name in ("STORAGE_PREFIX", "BUNDLE_PREFIX"):
            if not (values[name].startswith("/") and values[name].endswith("/")) or values[name] == "/":
                raise RenderError(f"{name.lower()} must start and end with '/', e.g. /protected/")
        return values


PUBLIC_REGION = re.compile(r"^# --- public only: begin.*?^# --- public only: end[^\n]*\n", re.MULTILINE | re.DOTALL)
PUBLIC_LINE = re.compile(r"^.*# public only.*\n", re.MULTILINE)


def render_site(site: Site, template: str | None = None) -> str:
    """The nginx site with every placeholder filled in; a placeholder without a value is an error. A site that is
    not `public` leaves out the template's public-only region and lines."""
    text = SITE_TEMPLATE.read_text("utf-8") if template is None else template
    if not site.public:
        text = PUBLIC_LINE.sub("", PUBLIC_REGION.sub("", text))
    values = site.values()
    unknown = sorted(set(TOKEN.findall(text)) - values.keys())
    if unknown:
        raise RenderError(f"the site template has placeholders without a value: {', '.join(unknown)}")
    return TOKEN.sub(lambda match: values[match.group(1)], text)


@dataclass(frozen=True)
class Layout:
    """The serve folder (instance/serve/ for `make serve`): everything the loopback stack writes."""

    folder: Path

    @property
    def secret_file(self) -> Path:
        return self.folder / "secret_key"

    @property
    def certificate(self) -> Path:
        return self.folder / "tls" / "certificate.pem"

    @property
    def certificate_key(self) -> Path:
        return self.folder / "tls" / "key.pem"

    @property
    def nginx_conf(self) -> Path:
        return self.folder / "nginx.conf"

    @property
    def nginx_pid(self) -> Path:
        return self.folder / "nginx.pid"

    @property
    def log_dir(self) -> Path:
        return self.folder / "log"

    @property
    def temp_dir(self) -> Path:
        return self.folder / "tmp"

    def create(self) -> None:
        for folder in (self.folder, self.log_dir, self.temp_dir, self.certificate.parent):
            folder.mkdir(parents=True, exist_ok=True)
        for name in NGINX_TEMP:
            (self.temp_dir / name).mkdir(exist_ok=True)
        self.certificate.parent.chmod(0o700)


def render_nginx_conf(layout: Layout, site: Site, *, mime_types: Path = MIME_TYPES) -> str:
    """A whole nginx.conf around the site: run from the serve folder, as whoever starts it."""
    folder = layout.folder.resolve()
    for path in (folder, mime_types):
        if UNSAFE.search(str(path)):
            raise RenderError(f"the path cannot go into an nginx configuration as it is: {path}")
    # Started by root, nginx's workers would run as `nobody`, who may not read the app's files (mode 0640).
    user = f"user {pwd.getpwuid(os.getuid()).pw_name};\n" if os.geteuid() == 0 else ""
    temp = "".join(f"    {name}_temp_path {layout.temp_dir.resolve() / name};\n" for name in NGINX_TEMP)
    site_text = "".join(f"    {line}".rstrip() + "\n" for line in render_site(site).splitlines())
    return (
        "# Written by tools/serve.py from deploy/nginx/qtp.conf at each start: edit the template, not this file.\n"
        f"{user}worker_processes 1;\n"
        f"pid {folder}/nginx.pid;\n"
        f"error_log {folder}/log/nginx-error.log warn;\n"
        "events {\n    worker_connections 512;\n}\n"
        "http {\n"
        f"    include {mime_types};\n"
        "    default_type application/octet-stream;\n"
        "    sendfile on;\n    tcp_nopush on;\n    keepalive_timeout 65;\n"
        f"{temp}"
        f"{site_text}"
        "}\n"
    )


def ensure_secret(path: Path) -> str:
    """The QTP_SECRET_KEY kept in `path` (made once, 64 hex digits, readable only by its owner)."""
    if path.exists():
        key = path.read_text().strip()
        if len(key) >= 32:
            path.chmod(0o600)
            return key
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as out:
        out.write(key + "\n")
    path.chmod(0o600)
    return key


def ensure_certificate(certificate: Path, key: Path, host: str = "127.0.0.1") -> bool:
    """A self-signed certificate for `host` (and localhost), made once with openssl; True when made now."""
    if certificate.exists() and key.exists():
        return False
    certificate.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(  # noqa: S603 (fixed arguments, openssl from PATH)
        [  # noqa: S607
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-sha256", "-days", "825",
            "-subj", f"/CN={host}", "-addext", f"subjectAltName=IP:{host},DNS:localhost",
            "-keyout", str(key), "-out", str(certificate),
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    key.chmod(0o600)
    return True
