"""Mail leaves only after the transaction commits, through the configured backend (SMTP tested for real)."""

import socket

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Message

from qtp import create_app
from qtp.core.mail import Mail, queue_mail
from qtp.extensions import db
from tests.conftest import make_test_config
from tests.factories import make_user
from tests.helpers import post_form


class Collect(Message):
    def __init__(self) -> None:
        super().__init__()
        self.messages = []

    def handle_message(self, message) -> None:  # type: ignore[no-untyped-def]
        self.messages.append(message)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server():
    handler = Collect()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield controller, handler
    finally:
        controller.stop()


def test_smtp_backend_delivers_the_reset_email(tmp_path, committed_db, smtp_server):
    controller, handler = smtp_server
    port = controller.port
    make_user(committed_db, "ana@test.example.org", name="Ana Ribeiro")
    committed_db.commit()
    app = create_app(
        make_test_config(
            tmp_path,
            SQLALCHEMY_DATABASE_URI=str(committed_db.get_bind().url.render_as_string(hide_password=False)),
            QTP_MAIL_BACKEND="smtp",
            QTP_SMTP_HOST="127.0.0.1",
            QTP_SMTP_PORT=port,
            QTP_SMTP_STARTTLS=False,
            QTP_MAIL_FROM="QTP <no-reply@qtp.example.org>",
        )
    )
    client = app.test_client()
    response = post_form(client, "/forgot-password", {"email": "ana@test.example.org"}, token_from="/forgot-password")
    assert response.status_code == 302
    assert len(handler.messages) == 1
    message = handler.messages[0]
    assert message["To"] == "ana@test.example.org"
    assert message["From"] == "QTP <no-reply@qtp.example.org>"
    assert message["Subject"] == "Choose a new password for the Quality Training Program"
    assert "/reset-password/" in message.get_payload(decode=True).decode()
    with app.app_context():
        db.engine.dispose()


def test_mail_is_sent_after_commit_and_dropped_on_rollback(app, outbox):
    with app.app_context():
        queue_mail(db.session, Mail(to="a@test.example.org", subject="kept", body="x"))
        assert outbox == []
        db.session.commit()
        assert [m.subject for m in outbox] == ["kept"]
        queue_mail(db.session, Mail(to="b@test.example.org", subject="dropped", body="x"))
        db.session.rollback()
        db.session.commit()
        assert [m.subject for m in outbox] == ["kept"]
        db.session.remove()


def test_a_released_savepoint_does_not_send_the_mail_of_the_outer_transaction(app, outbox):
    """Services use savepoints (an idempotent insert, say): releasing one is not the end of the transaction."""
    with app.app_context():
        queue_mail(db.session, Mail(to="a@test.example.org", subject="after the outer commit", body="x"))
        with db.session.begin_nested():
            pass
        assert outbox == [], "sent when a savepoint was released"
        db.session.rollback()
        db.session.commit()
        assert outbox == [], "the transaction rolled back: nothing is sent"
        db.session.remove()


def test_console_backend_prints_the_message(tmp_path, capsys):
    app = create_app(make_test_config(tmp_path, QTP_MAIL_BACKEND="console"))
    with app.app_context():
        queue_mail(db.session, Mail(to="a@test.example.org", subject="Hello", body="Body text"))
        db.session.commit()
        db.session.remove()
    out = capsys.readouterr().out
    assert "e-mail to a@test.example.org" in out and "Subject: Hello" in out and "Body text" in out
