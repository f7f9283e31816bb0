"""The review queue: the reviewer's teams only, the longest waiting first, filters; outsiders get 404."""

from datetime import timedelta

from qtp.review.models import Review
from qtp.worksheets.models import Worksheet
from tests.factories import add_member, add_staff, make_cohort, make_team, make_user
from tests.helpers import text_of
from tests.integration.review.conftest import decide, sign_in, submit, team_with_people


def _age(session, worksheet: Worksheet, days: int) -> None:
    worksheet.submitted_at = worksheet.submitted_at - timedelta(days=days)
    session.commit()


def test_the_queue_lists_the_cohorts_submissions_oldest_first(app, client, session, team, worksheet_types):
    aim = submit(app, session, team, worksheet_types["aim"])
    charter = submit(app, session, team, worksheet_types["charter"], {"title": "Calls", "members": [{"name": "Ana"}]})
    _age(session, charter, 3)
    sign_in(client, "faculty")
    page = text_of(client.get("/review/"))
    assert page.index(f"/review/{charter.id}") < page.index(f"/review/{aim.id}")
    assert "2 worksheets" in page


def test_reviewers_see_only_teams_they_are_assigned_to(app, client, session, team, worksheet_types):
    mine = submit(app, session, team, worksheet_types["aim"])
    other_cohort = make_cohort(session)
    other = make_team(session, other_cohort, project_title="Another cohort's project")
    other.people = {"leader": make_user(session, roles=["participant"])}
    add_member(session, other, other.people["leader"], "leader")
    theirs = submit(app, session, other, worksheet_types["aim"])

    sign_in(client, "faculty")
    queue = text_of(client.get("/review/"))
    assert f"/review/{mine.id}" in queue and f"/review/{theirs.id}" not in queue
    assert "Another cohort" not in queue  # not even as a filter choice
    assert client.get(f"/review/{theirs.id}").status_code == 404
    assert client.get(f"/review/{theirs.id}?status=submitted").status_code == 404
    attempt = decide(client, theirs.id, "approve", version="2")
    assert attempt.status_code == 404
    session.expire_all()
    assert session.get(Worksheet, theirs.id).status == "submitted" and session.query(Review).count() == 0

    # the other team's coach (no cohort assignment) reviews that team, and only that team
    coach = make_user(session, "coach2@test.example.org", roles=["coach"])
    other.coach_id = coach.id
    session.commit()
    sign_in(client, "coach2")
    queue = text_of(client.get("/review/"))
    assert f"/review/{theirs.id}" in queue and f"/review/{mine.id}" not in queue
    assert client.get(f"/review/{mine.id}").status_code == 404


def test_nobody_reviews_their_own_team_and_members_cannot_open_the_queue(app, client, session, team, worksheet_types):
    worksheet = submit(app, session, team, worksheet_types["aim"])
    faculty_member = make_user(session, "dual@test.example.org", roles=["faculty", "participant"])
    add_staff(session, team.cohort, faculty_member, "faculty")
    add_member(session, team, faculty_member, "core")
    sign_in(client, "dual")
    assert f"/review/{worksheet.id}" not in text_of(client.get("/review/"))
    assert client.get(f"/review/{worksheet.id}").status_code == 404
    for who in ("leader", "sponsor"):
        sign_in(client, who)
        assert client.get("/review/").status_code == 403
        assert client.get(f"/review/{worksheet.id}").status_code == 403


def test_drafts_are_not_shown_to_reviewers(app, client, session, team, worksheet_types):
    worksheet = submit(app, session, team, worksheet_types["aim"])
    worksheet.status = "draft"
    session.commit()
    sign_in(client, "faculty")
    assert client.get(f"/review/{worksheet.id}").status_code == 404
    assert client.get("/review/?status=draft").status_code == 200  # an unknown status falls back to submitted


def test_filters_by_cohort_team_type_and_status(app, client, session, worksheet_types):
    first = team_with_people(session)
    faculty = first.people["faculty"]
    second = make_team(session, first.cohort, project_title="Second team")
    second.people = {"leader": make_user(session, roles=["participant"])}
    add_member(session, second, second.people["leader"], "leader")
    third_cohort = make_cohort(session, name="Spring cohort")
    add_staff(session, third_cohort, faculty, "coach")
    third = make_team(session, third_cohort, project_title="Third team")
    third.people = {"leader": make_user(session, roles=["participant"])}
    add_member(session, third, third.people["leader"], "leader")
    a = submit(app, session, first, worksheet_types["aim"])
    b = submit(app, session, second, worksheet_types["aim"])
    c = submit(app, session, third, worksheet_types["charter"], {"title": "T", "members": [{"name": "Ana"}]})

    sign_in(client, "faculty")

    def listed(query: str) -> set[int]:
        page = text_of(client.get(f"/review/{query}"))
        return {w.id for w in (a, b, c) if f'href="/review/{w.id}"' in page}

    assert listed("") == {a.id, b.id, c.id}
    assert listed(f"?cohort={third_cohort.id}") == {c.id}
    assert listed(f"?team={second.id}") == {b.id}
    assert listed("?type=aim") == {a.id, b.id}
    assert listed("?type=not-a-type") == {a.id, b.id, c.id}
    assert listed("?cohort=abc&team=%00") == {a.id, b.id, c.id}
    decide(client, a.id, "return", comment="Add a date")
    assert listed("") == {b.id, c.id}
    assert listed("?status=returned") == {a.id}
    assert listed("?status=approved") == set()


def test_after_a_decision_the_next_submission_is_one_click_away(app, client, session, team, worksheet_types):
    aim = submit(app, session, team, worksheet_types["aim"])
    charter = submit(app, session, team, worksheet_types["charter"], {"title": "Calls", "members": [{"name": "Ana"}]})
    _age(session, aim, 3)
    sign_in(client, "faculty")
    page = text_of(client.get(f"/review/{aim.id}"))
    assert f'href="/review/{charter.id}">Next in your queue: Title · ' in page
    assert "0 of 1 criterion scored" in page

    response = decide(client, aim.id, "approve")
    assert response.headers["Location"].endswith(f"/review/?decided={aim.id}")
    queue = text_of(client.get(response.headers["Location"]))
    next_up = queue[queue.index('class="next-up"') :]
    assert f'href="/review/{charter.id}">Review Title · ' in next_up[: next_up.index("</section>")]

    response = decide(client, charter.id, "return", comment="Name the sponsor.", **{"score-clarity": "2"})
    queue = text_of(client.get(response.headers["Location"]))
    assert 'class="next-up"' not in queue and "Nothing else is waiting for your review." in queue
    assert "Next in your queue" not in text_of(client.get(f"/review/{charter.id}"))
