"""The production shape on one machine: nginx in front of gunicorn, an RQ worker, PostgreSQL and Redis.

`render` fills in the deploy/ templates (the nginx site, the loopback nginx.conf) and prepares the serve folder
(secret key, self-signed certificate); `processes` checks the services, prepares the database and starts and
stops the three processes. `tools/serve.py` (`make serve`) and the stack smoke test (`make smoke`) use both.
"""
