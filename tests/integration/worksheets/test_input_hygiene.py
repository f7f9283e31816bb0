"""What a worksheet accepts: no control characters (from the form or a CSV), and a PDSA cycle's change idea only
from the team's own driver diagram."""

from qtp.worksheets.models import Worksheet
from tests.helpers import text_of
from tests.integration.worksheets.test_editing import _save, _url, leader_client  # noqa: F401 (fixture)

DRIVERS = {
    "secondary-drivers-0-code": "S1",
    "change-ideas-0-code": "C2",
    "change-ideas-0-description": "Nurse call-back within 48 hours",
    "change-ideas-0-secondary-codes": "S1",
}
CYCLE = {"cycle-number": "1", "objective": "Try the script"}


def _cycle(session, team):
    session.expire_all()
    return session.query(Worksheet).filter_by(type_id=team.types["pdsa"].id, record_no=1).one_or_none()


def test_control_characters_never_reach_a_worksheet(leader_client, real_team, session):  # noqa: F811
    statement = "Answer\x00 symptom\x1b[31m calls\x7f\x85 within 2 hours\tby June\r\nthen keep it"
    assert _save(leader_client, real_team, {"statement": statement, "direction": "increase"}).status_code == 303
    session.expire_all()
    stored = session.query(Worksheet).one().data["statement"]
    assert stored == "Answer symptom[31m calls within 2 hours\tby June\r\nthen keep it"
    page = leader_client.get(_url(real_team)).get_data()
    assert b"\x00" not in page and b"\x1b" not in page


def test_the_change_idea_of_a_cycle_is_one_of_the_teams_driver_diagram(leader_client, real_team, session):  # noqa: F811
    _save(leader_client, real_team, DRIVERS, "driver-diagram")
    forged = _save(leader_client, real_team, {**CYCLE, "change-idea": "X9 <b>not ours</b>"}, "pdsa")
    assert forged.status_code == 400
    assert "Not a valid choice" in text_of(forged)
    assert _cycle(session, real_team) is None  # nothing saved

    assert _save(leader_client, real_team, {**CYCLE, "change-idea": "C2"}, "pdsa").status_code == 303
    assert _cycle(session, real_team).data["change-idea"] == "C2"


def test_a_change_idea_removed_from_the_diagram_stays_valid_where_it_is_stored(leader_client, real_team, session):  # noqa: F811
    _save(leader_client, real_team, DRIVERS, "driver-diagram")
    assert _save(leader_client, real_team, {**CYCLE, "change-idea": "C2"}, "pdsa").status_code == 303
    renamed = {**DRIVERS, "change-ideas-0-code": "C3"}
    assert _save(leader_client, real_team, renamed, "driver-diagram").status_code == 303
    # the cycle keeps C2 when another field is saved; C2 cannot be given to a cycle that did not hold it
    kept = _save(leader_client, real_team, {**CYCLE, "objective": "Shorter script", "change-idea": "C2"}, "pdsa")
    assert kept.status_code == 303
    assert _cycle(session, real_team).data["change-idea"] == "C2"
    other = _save(leader_client, real_team, {**CYCLE, "cycle-number": "2", "change-idea": "C2"}, "pdsa", 2)
    assert other.status_code == 400
