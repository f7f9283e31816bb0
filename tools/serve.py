"""`make serve`: the production shape on this machine's loopback, and the nginx site for a real server.

    .venv/bin/python tools/serve.py [--demo]     nginx (https://127.0.0.1:8443, http :8080 redirects) in front
                                                 of gunicorn, one RQ worker, PostgreSQL and Redis, QTP_ENV=production
    .venv/bin/python tools/serve.py site --server-name qtp.example.org --root /srv/qtp
                                                 prints deploy/nginx/qtp.conf filled in for a server (deploy/README.md)

The serve folder (instance/serve/) keeps the secret key (0600), the self-signed certificate, the rendered
nginx.conf, nginx's pid, logs and temporary files. SERVE_DATABASE_URL (default the database `qtp` on
127.0.0.1:5432, created if missing) and SERVE_REDIS_URL (default redis://127.0.0.1:6379/0) choose the services.
Ctrl+C stops nginx, gunicorn and the worker.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tools.stack.processes import Stack, StackError  # noqa: E402
from tools.stack.render import ROOT, RenderError, Site, render_site  # noqa: E402


def _interrupt(signum, frame):  # type: ignore[no-untyped-def]
    raise KeyboardInterrupt


def _serve(demo: bool) -> int:
    # Ctrl+C, and also a stop from outside (kill, a closed terminal), stop the three processes in order. SIGINT is
    # set again because a shell starting this in the background hands it over ignored.
    for number in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(number, _interrupt)
    stack = Stack(
        folder=ROOT / "instance" / "serve",
        database_url=os.environ.get("SERVE_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/qtp"),
        redis_url=os.environ.get("SERVE_REDIS_URL", "redis://127.0.0.1:6379/0"),
    )
    stack.check()
    if stack.ensure_database():
        print(f"Created the database {stack.database_url.rsplit('/', 1)[-1]}")
    if stack.prepare_folder():
        print(f"Made a self-signed certificate for 127.0.0.1: {stack.layout.certificate}")
    stack.flask("db", "upgrade")
    stack.flask("qtp", "content", "sync")
    if demo:
        stack.load_demo()
    build = None
    try:
        stack.start()
        # The bundles build beside the running stack, as with `make run` (skipped when unchanged).
        build = subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", "flask", "--app", "wsgi", "qtp", "bundles", "build", "--background"],
            cwd=ROOT,
            env=stack.environment(),
            start_new_session=True,
        )
        print(f"\nQTP (QTP_ENV=production) is served on {stack.url} (http://127.0.0.1:{stack.http_port} redirects)")
        print(f"  nginx -> gunicorn 127.0.0.1:{stack.web_port} + 1 RQ worker; logs in {stack.layout.log_dir}")
        print(f"  the certificate is self-signed: {stack.layout.certificate}")
        if demo:
            stack.flask("qtp", "demo", "--logins-only", env="development", redis=False)
        print("Ctrl+C stops nginx, gunicorn and the worker.\n", flush=True)
        while all(process.poll() is None for process in stack.processes.values()):
            try:
                next(iter(stack.processes.values())).wait(1)
            except subprocess.TimeoutExpired:
                continue
        stopped = [name for name, process in stack.processes.items() if process.poll() is not None]
        print(f"{', '.join(stopped)} stopped: stopping the rest", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\nStopping nginx, gunicorn and the worker...", flush=True)
        return 0
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl+C must not leave a process behind
        if build is not None and build.poll() is None:
            build.terminate()
            build.wait()
        stack.stop()


def _site(args: argparse.Namespace) -> int:
    root = Path(args.root)
    instance = Path(args.instance) if args.instance else root / "instance"
    live = f"/etc/letsencrypt/live/{args.server_name.split()[0]}"  # certbot's certificate of the first name
    site = Site(
        server_name=args.server_name,
        upstream=args.upstream,
        static_dir=root / "static",
        storage_dir=Path(args.storage_dir) if args.storage_dir else instance / "storage",
        bundle_dir=Path(args.bundle_dir) if args.bundle_dir else instance / "bundles",
        tls_certificate=Path(args.certificate or f"{live}/fullchain.pem"),
        tls_certificate_key=Path(args.certificate_key or f"{live}/privkey.pem"),
    )
    sys.stdout.write(render_site(site))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--demo", action="store_true", help="load the demo data (make serve DEMO=1)")
    commands = parser.add_subparsers(dest="command")
    site = commands.add_parser("site", help="print the nginx site filled in for a server")
    site.add_argument("--server-name", required=True, help="the site's host name(s), e.g. qtp.example.org")
    site.add_argument("--root", default="/srv/qtp", help="the checkout (static/ is served from it)")
    site.add_argument("--instance", help="the instance folder (default <root>/instance)")
    site.add_argument("--storage-dir", help="QTP_STORAGE_DIR (default <instance>/storage)")
    site.add_argument("--bundle-dir", help="QTP_BUNDLE_DIR (default <instance>/bundles)")
    site.add_argument("--upstream", default="127.0.0.1:8000", help="gunicorn's QTP_WEB_BIND")
    site.add_argument("--certificate", help="TLS certificate chain (default Let's Encrypt's for the name)")
    site.add_argument("--certificate-key", help="TLS private key (default Let's Encrypt's for the name)")
    args = parser.parse_args(argv)
    try:
        return _site(args) if args.command == "site" else _serve(args.demo)
    except (StackError, RenderError) as error:
        print(error, file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
