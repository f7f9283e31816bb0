"""Ten people opening the same invitation link at the same moment: exactly one account is created."""

from __future__ import annotations

import threading

from qtp.accounts.models import Invitation, User
from qtp.accounts.services import invite_user
from qtp.core.audit import AuditEvent
from tests.factories import make_organization, make_user
from tests.helpers import csrf_token

from .support import invitation_path

PASSWORD = "marble-pelican-saffron-tundra-58"
INVITEE = "giorgos.nikolaidis@oncothess.example.org"


def test_ten_parallel_acceptances_create_exactly_one_account(app, committed_db, outbox):
    admin = make_user(
        committed_db, "eleni.papadopoulou@qtp-office.example.org", roles=["admin"], name="Eleni Papadopoulou"
    )
    org = make_organization(
        committed_db, "Thessaloniki Oncology Center", kind="practice", country="GR", city="Thessaloniki"
    )
    with app.app_context():
        invite_user(
            committed_db,
            admin,
            email=INVITEE,
            name="Giorgos Nikolaidis",
            roles=["participant"],
            organization_id=org.id,
            locale="en",
        )
        committed_db.commit()
    org_id = org.id
    committed_db.close()  # no open transaction while the requests run
    assert len(outbox) == 1
    path = invitation_path(outbox[0])

    clients = [app.test_client() for _ in range(10)]
    tokens = [csrf_token(c, path) for c in clients]
    barrier = threading.Barrier(10)
    results: dict[int, int] = {}
    errors: list[BaseException] = []

    def accept(n: int) -> None:
        try:
            barrier.wait(timeout=30)
            response = clients[n].post(
                path,
                data={
                    "csrf_token": tokens[n],
                    "name": f"Giorgos Nikolaidis {n}",
                    "timezone": "Europe/Athens",
                    "password": f"{PASSWORD}-{n}",
                    "confirm": f"{PASSWORD}-{n}",
                },
            )
            results[n] = response.status_code
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=accept, args=(n,)) for n in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert not errors, errors
    assert len(results) == 10, results
    winners = [n for n, status in results.items() if status == 302]
    assert len(winners) == 1, results
    assert all(status in (302, 400, 404) for status in results.values()), results
    assert app.test_client().get(path).status_code == 404  # the link is used up

    accounts = committed_db.query(User).filter_by(email=INVITEE).all()
    assert len(accounts) == 1
    [user] = accounts
    assert user.name == f"Giorgos Nikolaidis {winners[0]}"
    assert [r.role for r in user.roles] == ["participant"]
    assert user.organization_id == org_id
    invitation = committed_db.query(Invitation).one()
    assert invitation.accepted_at is not None and invitation.user_id == user.id
    assert committed_db.query(AuditEvent).filter_by(action="invitation.accepted").count() == 1
