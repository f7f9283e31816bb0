"""A small mail interface: console by default, SMTP when QTP_SMTP_* is set, memory in tests.

Services call `queue_mail()`: the message is sent only after the database transaction commits, and
dropped if it rolls back, so nobody receives a link to something that was never saved. With QTP_REDIS_URL set,
the request never waits on the mail server: each message becomes a job (`deliver`) that the worker sends,
retried with growing waits when the server fails (RETRY_AFTER), then kept in the queue's failed registry,
where /metrics counts it.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
import sys
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Any

from flask import Flask, current_app, render_template
from flask_babel import force_locale
from sqlalchemy import event
from sqlalchemy.orm import Session, scoped_session

log = logging.getLogger(__name__)
_PENDING_KEY = "qtp_pending_mail"
RETRY_AFTER = (30, 120, 600, 1800, 3600)  # seconds before each new attempt: about an hour and a half in all


@dataclass(frozen=True)
class Mail:
    to: str
    subject: str
    body: str
    headers: dict[str, str] = field(default_factory=dict)


class ConsoleBackend:
    def send(self, mail: Mail, sender: str) -> None:
        out = sys.stdout
        out.write(f"\n----- e-mail to {mail.to} -----\nFrom: {sender}\nSubject: {mail.subject}\n\n{mail.body}\n")
        out.write("----- end of e-mail -----\n")
        out.flush()


class MemoryBackend:
    """Keeps sent mail in `outbox` (tests read it)."""

    def __init__(self) -> None:
        self.outbox: list[Mail] = []

    def send(self, mail: Mail, sender: str) -> None:
        self.outbox.append(mail)


class SMTPBackend:
    def __init__(self, config: dict[str, Any]) -> None:
        self.host = config["QTP_SMTP_HOST"]
        self.port = config["QTP_SMTP_PORT"]
        self.username = config["QTP_SMTP_USERNAME"]
        self.password = config["QTP_SMTP_PASSWORD"]
        self.starttls = config["QTP_SMTP_STARTTLS"]
        self.use_ssl = config["QTP_SMTP_SSL"]

    def send(self, mail: Mail, sender: str) -> None:
        message = EmailMessage()
        message["From"] = sender
        message["To"] = mail.to
        message["Subject"] = mail.subject
        message["Date"] = formatdate(localtime=False)
        message["Message-ID"] = make_msgid(domain=sender.rsplit("@", 1)[-1].strip(">"))
        for name, value in mail.headers.items():
            message[name] = value
        message.set_content(mail.body)
        context = ssl.create_default_context()
        smtp_class = smtplib.SMTP_SSL if self.use_ssl else smtplib.SMTP
        kwargs: dict[str, Any] = {"context": context} if self.use_ssl else {}
        with smtp_class(self.host, self.port, timeout=30, **kwargs) as smtp:
            if self.starttls and not self.use_ssl:
                smtp.starttls(context=context)
            if self.username:
                smtp.login(self.username, self.password)
            smtp.send_message(message)


def make_backend(config: dict[str, Any]) -> ConsoleBackend | MemoryBackend | SMTPBackend:
    kind = config["QTP_MAIL_BACKEND"]
    if kind == "memory":
        return MemoryBackend()
    if kind == "smtp":
        return SMTPBackend(config)
    return ConsoleBackend()


def backend() -> ConsoleBackend | MemoryBackend | SMTPBackend:
    return current_app.extensions["qtp_mail"]


def render_mail(to: str, locale: str, template: str, **context: Any) -> Mail:
    """Render `<template>.txt` in the recipient's language; its first line is the subject."""
    with force_locale(locale):
        text = render_template(f"{template}.txt", **context)
    subject, _, body = text.strip().partition("\n")
    return Mail(to=to, subject=subject.strip(), body=body.strip() + "\n")


def queue_mail(session: Session, mail: Mail) -> None:
    """Send `mail` when the session's transaction commits; drop it if that transaction rolls back."""
    real = session() if isinstance(session, scoped_session) else session
    if not real.in_transaction():
        real.begin()  # tie the mail to a transaction even if no SQL has run yet
    real.info.setdefault(_PENDING_KEY, []).append(mail)


def send_now(mail: Mail) -> None:
    try:
        backend().send(mail, current_app.config["QTP_MAIL_FROM"])
    except (OSError, smtplib.SMTPException):
        log.exception("could not send e-mail to %s", mail.to)


def deliver(to: str, subject: str, body: str, headers: dict[str, str]) -> None:
    """The worker's job: send one message; a failure raises, so that the queue tries again later."""
    try:
        backend().send(Mail(to, subject, body, dict(headers)), current_app.config["QTP_MAIL_FROM"])
    except (OSError, smtplib.SMTPException) as error:
        log.warning("could not send e-mail to %s (%s): it will be tried again", to, error.__class__.__name__)
        raise


def _send(mail: Mail) -> None:
    from redis.exceptions import RedisError

    from qtp.core import jobs

    if not jobs.uses_queue():
        send_now(mail)
        return
    try:
        jobs.enqueue_committed(
            "qtp.core.mail:deliver", mail.to, mail.subject, mail.body, mail.headers, retry_after=RETRY_AFTER
        )
    except RedisError:  # the queue is down: the message is still sent, the request waits this once
        log.warning("the queue is unreachable: e-mail to %s is sent at once", mail.to)
        send_now(mail)


@event.listens_for(Session, "after_commit")
def _send_pending(session: Session) -> None:
    if session.in_nested_transaction():  # a savepoint was released: the transaction may still roll back
        return
    for mail in session.info.pop(_PENDING_KEY, []):
        _send(mail)


@event.listens_for(Session, "after_soft_rollback")
def _drop_pending(session: Session, previous_transaction: Any) -> None:
    # Fires on every rollback() call, even when no SQL had run; a rolled-back savepoint keeps the rest.
    if not previous_transaction.nested:
        session.info.pop(_PENDING_KEY, None)


def init_app(app: Flask) -> None:
    app.extensions["qtp_mail"] = make_backend(app.config)
