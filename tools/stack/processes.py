"""The loopback stack's services and processes: check that nginx, PostgreSQL and Redis are there (and say what
to install or start when they are not), create the database, prepare it (migrations, content, demo data,
bundles), then start gunicorn, one RQ worker and nginx, wait until nginx answers, and stop all three."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO
from urllib.parse import urlsplit

from sqlalchemy.engine import make_url

from tools.stack.render import (
    BUNDLE_PREFIX,
    ROOT,
    STORAGE_PREFIX,
    Layout,
    Site,
    ensure_certificate,
    ensure_secret,
    render_nginx_conf,
)

GUNICORN_CONF = ROOT / "deploy" / "gunicorn.conf.py"


class StackError(RuntimeError):
    """Something the stack needs is missing; the message says what to do."""


@dataclass
class Stack:
    folder: Path  # the serve folder (instance/serve)
    database_url: str = "postgresql+psycopg://postgres@127.0.0.1:5432/qtp"
    redis_url: str = "redis://127.0.0.1:6379/0"
    https_port: int = 8443
    http_port: int = 8080
    web_port: int = 8000
    storage_dir: Path | None = None  # default: <folder>/storage
    bundle_dir: Path = ROOT / "instance" / "bundles"
    web_workers: int | None = None  # default: gunicorn.conf.py's (from the CPU count)
    log_to_files: bool = False  # the smoke test keeps each process's output in <folder>/log/
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)

    @property
    def layout(self) -> Layout:
        return Layout(self.folder)

    @property
    def url(self) -> str:
        return f"https://127.0.0.1:{self.https_port}"

    @property
    def storage(self) -> Path:
        return self.storage_dir or self.folder / "storage"

    def site(self) -> Site:
        return Site(
            server_name="127.0.0.1 localhost",
            upstream=f"127.0.0.1:{self.web_port}",
            static_dir=ROOT / "static",
            storage_dir=self.storage,
            bundle_dir=self.bundle_dir,
            tls_certificate=self.layout.certificate,
            tls_certificate_key=self.layout.certificate_key,
            http_listen=f"127.0.0.1:{self.http_port}",
            https_listen=f"127.0.0.1:{self.https_port}",
            https_port_suffix=f":{self.https_port}",
            access_log=str(self.layout.log_dir / "nginx-access.log"),
            public=False,
        )

    def environment(self, env: str = "production") -> dict[str, str]:
        """What every process of the stack runs with (QTP_ENV=production, behind one trusted proxy)."""
        base = {k: v for k, v in os.environ.items() if not k.startswith("QTP_")}
        base.update(
            QTP_ENV=env,
            QTP_SECRET_KEY=ensure_secret(self.layout.secret_file),
            QTP_DATABASE_URL=self.database_url,
            QTP_REDIS_URL=self.redis_url,
            QTP_BASE_URL=self.url,
            QTP_TRUST_PROXY="1",
            QTP_STORAGE_DIR=str(self.storage),
            QTP_BUNDLE_DIR=str(self.bundle_dir),
            QTP_X_ACCEL_REDIRECT_PREFIX=STORAGE_PREFIX,
            QTP_X_ACCEL_BUNDLE_PREFIX=BUNDLE_PREFIX,
            QTP_WEB_BIND=f"127.0.0.1:{self.web_port}",
        )
        if self.web_workers:
            base["QTP_WEB_WORKERS"] = str(self.web_workers)
        for name, value in os.environ.items():  # the operator's mail settings, if any
            if name.startswith(("QTP_SMTP_", "QTP_MAIL_")):
                base[name] = value
        return base

    # -- before starting ---------------------------------------------------------------------------------------

    def check(self) -> None:
        """Every service the stack needs, or one message naming all that is missing and how to get it."""
        problems = []
        if nginx_binary() is None:
            problems.append("nginx is not installed: apt-get install -y nginx (Debian's package; it need not run)")
        if shutil.which("openssl") is None:
            problems.append("openssl is missing (it makes the self-signed certificate): apt-get install -y openssl")
        database = make_url(self.database_url)
        if not _reachable(database.host or "127.0.0.1", database.port or 5432):
            problems.append(
                f"PostgreSQL does not answer on {database.host}:{database.port or 5432}: "
                "apt-get install -y postgresql, then service postgresql start (or set SERVE_DATABASE_URL)"
            )
        redis = urlsplit(self.redis_url)
        if not _reachable(redis.hostname or "127.0.0.1", redis.port or 6379):
            problems.append(
                f"Redis does not answer on {redis.hostname}:{redis.port or 6379}: apt-get install -y redis-server, "
                "then service redis-server start (or set SERVE_REDIS_URL)"
            )
        for port in (self.https_port, self.http_port, self.web_port):
            if _reachable("127.0.0.1", port):
                problems.append(f"port {port} of 127.0.0.1 is in use (another server, or a stack still running)")
        if problems:
            raise StackError("The stack cannot start:\n  - " + "\n  - ".join(problems))

    def ensure_database(self, *, fresh: bool = False) -> bool:
        """Create the database if it is missing (drop it first when `fresh`); True when it was created."""
        import psycopg

        url = make_url(self.database_url)
        name = url.database or "qtp"
        admin = url.set(drivername="postgresql", database="postgres").render_as_string(hide_password=False)
        with psycopg.connect(admin, autocommit=True) as connection:
            if fresh:
                connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            if connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
                return False
            connection.execute(f'CREATE DATABASE "{name}"')
        return True

    def prepare_folder(self) -> bool:
        """The serve folder: secret key, certificate, nginx.conf; True when the certificate was made now."""
        layout = self.layout
        layout.create()
        self.storage.mkdir(parents=True, exist_ok=True)
        self.bundle_dir.mkdir(parents=True, exist_ok=True)
        ensure_secret(layout.secret_file)
        made = ensure_certificate(layout.certificate, layout.certificate_key)
        layout.nginx_conf.write_text(render_nginx_conf(layout, self.site()))
        return made

    def flask(self, *args: str, env: str = "production", redis: bool = True) -> None:
        """Run `flask --app wsgi <args>` to its end (its output shown); a failure stops everything."""
        environment = self.environment(env)
        if not redis:
            environment.pop("QTP_REDIS_URL")
        command = [sys.executable, "-m", "flask", "--app", "wsgi", *args]
        result = subprocess.run(command, cwd=ROOT, env=environment, check=False)  # noqa: S603
        if result.returncode != 0:
            raise StackError(f"`flask --app wsgi {' '.join(args)}` failed (exit status {result.returncode})")

    def load_demo(self) -> None:
        """The demo data, into this stack's database and storage. The demo command refuses QTP_ENV=production
        (an operator's database must never get demo accounts), so it runs as development, on purpose, against
        the loopback stack's own database only; its certificate PDFs render inline."""
        self.flask("qtp", "demo", "--quiet", env="development", redis=False)

    # -- the three processes -----------------------------------------------------------------------------------

    def _spawn(self, name: str, command: list[str]) -> None:
        output: IO[bytes] | None = None
        if self.log_to_files:
            output = (self.layout.log_dir / f"{name}.log").open("ab")
        self.processes[name] = subprocess.Popen(  # noqa: S603
            command,
            cwd=ROOT,
            env=self.environment(),
            stdout=output,
            stderr=subprocess.STDOUT if output else None,
            start_new_session=True,  # Ctrl+C reaches this script, which stops them in order
        )

    def start(self, timeout: float = 60) -> None:
        """gunicorn, one worker and nginx; returns once nginx answers /healthz through TLS."""
        nginx = nginx_binary()
        assert nginx is not None
        layout = self.layout
        errors = layout.log_dir / "nginx-error.log"
        nginx_args = [nginx, "-p", str(layout.folder), "-c", str(layout.nginx_conf), "-e", str(errors)]
        subprocess.run([*nginx_args, "-t", "-q"], check=True)  # noqa: S603 (a broken site fails here, clearly)
        self._spawn("web", [sys.executable, "-m", "gunicorn", "--config", str(GUNICORN_CONF)])
        self._spawn("worker", [sys.executable, "-m", "flask", "--app", "wsgi", "qtp", "worker"])
        self._spawn("nginx", [*nginx_args, "-g", "daemon off;"])
        self.wait_until_ready(timeout)

    def ssl_context(self) -> ssl.SSLContext:
        """Trusts exactly the stack's own self-signed certificate."""
        return ssl.create_default_context(cafile=str(self.layout.certificate))

    def wait_until_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while True:
            for name, process in self.processes.items():
                if process.poll() is not None:
                    raise StackError(f"{name} stopped at start (exit status {process.returncode}); see its output")
            try:
                with urllib.request.urlopen(f"{self.url}/healthz", context=self.ssl_context(), timeout=5) as answer:  # noqa: S310
                    if answer.status == 200:
                        return
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise StackError(f"{self.url}/healthz did not answer within {timeout:.0f} s")
            time.sleep(0.3)

    def stop(self, timeout: float = 40) -> None:
        """nginx first (no new requests), then gunicorn (requests in flight finish), then the worker (its job
        finishes); each gets `timeout` seconds before it is killed."""
        for name in ("nginx", "web", "worker"):
            process = self.processes.pop(name, None)
            if process is None or process.poll() is not None:
                continue
            process.send_signal(signal.SIGQUIT if name == "nginx" else signal.SIGTERM)
            try:
                process.wait(timeout)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        for process in self.processes.values():
            if process.poll() is None:
                process.kill()
        self.processes.clear()


def nginx_binary() -> str | None:
    return shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx",) if Path(p).exists()), None)


def _reachable(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False
