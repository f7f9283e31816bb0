"""The cohort dashboard (teams x worksheets, members x modules and attendance, self-assessment gains; sortable;
CSV) and the team's progress page with its IHI score."""

import csv
import io
from datetime import date, timedelta

from babel.dates import format_date

from qtp.catalog.models import Module
from qtp.catalog.schedule import phase_dates
from qtp.cohorts.models import Attendance, WorksheetDue
from qtp.core.audit import AuditEvent
from qtp.core.db import utcnow
from qtp.progress.models import KnowledgeCheckAttempt, ModuleProgress, ProgressScore, SelfAssessment
from qtp.worksheets.models import Worksheet
from tests.factories import add_member, add_staff, make_cohort, make_team, make_user
from tests.helpers import post_form, text_of
from tests.integration.cohorts.conftest import create_cohort, sign_in, team_with_people


def _cohort_with_two_teams(client, session, program, admin, worksheet_types):
    sign_in(client, admin.email)
    cohort = create_cohort(client, session, program, status="active", starts_on="2026-01-05", ends_on="2026-12-31")
    first = team_with_people(session)
    first.cohort_id = cohort.id
    first.project_title = "Árvore de decisão: antibiótico em 60 minutos"
    second = make_team(session, cohort, project_title='=HYPERLINK("http://evil.example")')
    second_leader = make_user(session, "second@test.example.org", name="Zoë Ångström", roles=["participant"])
    add_member(session, second, second_leader, "leader")
    session.commit()
    add_staff(session, cohort, first.people["faculty"], "faculty")
    aim, charter = worksheet_types["aim"], worksheet_types["charter"]
    due = {d.worksheet_type: d for d in cohort.due_dates}
    due["aim"].due_on, due["charter"].due_on = date(2026, 2, 1), utcnow().date() + timedelta(days=30)
    # the first team sent its aim on time and it was approved; the second has a draft aim, now overdue
    sent = utcnow().replace(year=2026, month=1, day=20)
    session.add(Worksheet(team_id=first.id, type_id=aim.id, status="approved", submitted_at=sent, data={}))
    session.add(Worksheet(team_id=second.id, type_id=aim.id, status="draft", data={}))
    session.add(Worksheet(team_id=second.id, type_id=charter.id, status="submitted", submitted_at=utcnow(), data={}))
    session.commit()
    return cohort, first, second


def test_the_teams_grid_shows_status_lateness_and_scores(client, session, program, admin, worksheet_types):
    cohort, first, second = _cohort_with_two_teams(client, session, program, admin, worksheet_types)
    session.add(ProgressScore(team_id=first.id, proposed_score="2.0", confirmed_score="2.5", confirmed_at=utcnow()))
    session.add(ProgressScore(team_id=first.id, proposed_score="3.0"))
    session.commit()
    sign_in(client, first.people["faculty"].email)
    page = text_of(client.get(f"/cohorts/{cohort.id}/dashboard"))
    assert "Árvore de decisão" in page and "=HYPERLINK" in page
    assert page.count("late-flag") == 1  # the second team's aim
    assert "2.5" in page and "proposed: 3" in page

    by_late = text_of(client.get(f"/cohorts/{cohort.id}/dashboard?sort=late&dir=desc"))
    assert by_late.index("=HYPERLINK") < by_late.index("Árvore de decisão")
    by_score = text_of(client.get(f"/cohorts/{cohort.id}/dashboard?sort=score&dir=desc"))
    assert by_score.index("Árvore de decisão") < by_score.index("=HYPERLINK")
    assert 'aria-sort="descending"' in by_score


def test_members_modules_attendance_and_self_assessment_gains(client, session, program, admin, worksheet_types):
    cohort, first, second = _cohort_with_two_teams(client, session, program, admin, worksheet_types)
    modules = session.query(Module).filter_by(program_id=program.id).order_by(Module.position).all()
    leader, core = first.people["leader"], first.people["core"]
    session.add(ModuleProgress(user_id=leader.id, module_id=modules[0].id, content_version="x"))
    for score in (60, 90):
        session.add(
            KnowledgeCheckAttempt(
                user_id=leader.id,
                module_id=modules[0].id,
                answers={},
                correct=1,
                total=1,
                score=score,
                passed=score >= 75,
                content_version="x",
            )
        )
    ls1 = next(e for e in cohort.events if e.key == "ls1")
    session.add(Attendance(event_id=ls1.id, user_id=leader.id, status="present"))
    session.add(Attendance(event_id=ls1.id, user_id=core.id, status="absent"))
    for user, pre, post in ((leader, 3, 8), (core, 4, 6)):
        for kind, value in (("pre", pre), ("post", post)):
            ratings = {
                "aims": {"knowledge": value, "confidence": value - 1},
                "measures": {"knowledge": 5, "confidence": 5},
            }
            session.add(
                SelfAssessment(user_id=user.id, cohort_id=cohort.id, kind=kind, ratings=ratings, content_version="x")
            )
    session.commit()
    sign_in(client, first.people["faculty"].email)
    members = text_of(client.get(f"/cohorts/{cohort.id}/dashboard/members"))
    assert leader.name in members and "Zoë Ångström" in members and first.people["sponsor"].name not in members
    assert ">90<" in members and "1 / 1" in members  # best score kept; one session attended of one
    gains = text_of(client.get(f"/cohorts/{cohort.id}/dashboard/self-assessment"))
    assert "+3.5" in gains and "+0.0" in gains  # aims: (5 + 2) / 2; measures: no change
    sign_in(client, admin.email)
    admin_locale = client.get(f"/cohorts/{cohort.id}/dashboard/self-assessment", headers={"Accept-Language": "es"})
    assert admin_locale.status_code == 200


def test_csv_opens_in_a_spreadsheet_in_every_language(client, session, program, admin, worksheet_types):
    cohort, first, second = _cohort_with_two_teams(client, session, program, admin, worksheet_types)
    session.add(ProgressScore(team_id=first.id, proposed_score="2.5", confirmed_score="2.5", confirmed_at=utcnow()))
    session.commit()
    for locale, separator, score in (("en", ",", "2.5"), ("es", ";", "2,5"), ("pt_BR", ";", "2,5")):
        admin.locale = locale
        session.commit()
        response = client.get(f"/cohorts/{cohort.id}/dashboard/teams.csv")
        assert response.status_code == 200 and response.headers["Content-Type"] == "text/csv; charset=utf-8"
        assert response.headers["Content-Disposition"] == 'attachment; filename="lisbon-2027-teams.csv"'
        raw = response.get_data()
        assert raw.startswith(b"\xef\xbb\xbf")
        rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=separator))
        assert len(rows) == 3 and len(rows[0]) == len(rows[1])
        titles = [r[0] for r in rows[1:]]
        assert "Árvore de decisão: antibiótico em 60 minutos" in titles
        assert '\'=HYPERLINK("http://evil.example")' in titles  # a formula is made inert
        first_row = next(r for r in rows if r[0].startswith("Árvore"))
        assert score in first_row
    for view in ("members", "self-assessment"):
        assert client.get(f"/cohorts/{cohort.id}/dashboard/{view}.csv").status_code == 200


def test_only_the_cohorts_staff_and_admins_see_the_dashboard(client, session, program, admin, worksheet_types):
    cohort, first, second = _cohort_with_two_teams(client, session, program, admin, worksheet_types)
    outsider = make_user(session, "outsider-f@test.example.org", roles=["faculty"])
    add_staff(session, make_cohort(session), outsider, "faculty")
    coach = make_user(session, "coach-c@test.example.org", roles=["coach"])
    add_staff(session, cohort, coach, "coach")
    for path in ("", "/members", "/self-assessment", "/teams.csv", "/nope"):
        sign_in(client, outsider.email)
        assert client.get(f"/cohorts/{cohort.id}/dashboard{path}").status_code == 404
        sign_in(client, first.people["leader"].email)
        assert client.get(f"/cohorts/{cohort.id}/dashboard{path}").status_code == 403
    sign_in(client, coach.email)
    assert client.get(f"/cohorts/{cohort.id}/dashboard/members").status_code == 200


def test_the_team_page_and_the_score_proposed_then_confirmed(client, session, program, admin, worksheet_types):
    cohort, first, second = _cohort_with_two_teams(client, session, program, admin, worksheet_types)
    coach = make_user(session, "coach-t@test.example.org", name="Coach Tomás", roles=["coach"])
    first.coach_id = coach.id
    session.commit()
    page = f"/teams/{first.id}/progress"
    sign_in(client, first.people["core"].email)
    body = text_of(client.get(page))
    assert first.people["leader"].name in body and "IHI progress score" in body
    assert post_form(client, f"{page}/score", {"score": "2.0"}, token_from=page).status_code == 403

    sign_in(client, first.people["leader"].email)
    assert post_form(client, f"{page}/score", {"score": "9.9"}, token_from=page).status_code == 303
    assert session.query(ProgressScore).count() == 0  # refused with a message
    assert (
        post_form(client, f"{page}/score", {"score": "2.0", "note": "Baseline done"}, token_from=page).status_code
        == 303
    )
    proposal = session.query(ProgressScore).one()
    assert client.post(f"{page}/score/{proposal.id}/confirm", data={"score": "2.0"}).status_code == 400  # no CSRF
    assert (
        post_form(client, f"{page}/score/{proposal.id}/confirm", {"score": "2.0"}, token_from=page).status_code == 403
    )

    sign_in(client, coach.email)
    confirmed = post_form(client, f"{page}/score/{proposal.id}/confirm", {"score": "1.5"}, token_from=page)
    assert confirmed.status_code == 303
    session.expire_all()
    proposal = session.get(ProgressScore, proposal.id)
    assert (proposal.confirmed_score, proposal.confirmed_by_id) == ("1.5", coach.id)
    assert {e.action for e in session.query(AuditEvent)} >= {"progress_score.proposed", "progress_score.confirmed"}
    assert "Planning for the project has begun" in text_of(client.get(page))

    sign_in(client, "second@test.example.org")
    assert client.get(page).status_code == 404  # another team's page does not exist for them


def test_overdue_worksheets_are_flagged_on_the_team_page(client, session, program, admin, worksheet_types):
    cohort, first, second = _cohort_with_two_teams(client, session, program, admin, worksheet_types)
    sign_in(client, "second@test.example.org")
    body = text_of(client.get(f"/teams/{second.id}/progress"))
    assert "Overdue" in body and 'class="late"' in body
    assert session.query(WorksheetDue).filter_by(cohort_id=cohort.id).count() == 2


def test_the_grids_keep_their_first_column_in_view_and_name_the_modules(
    client, session, program, admin, worksheet_types
):
    cohort, first, _second = _cohort_with_two_teams(client, session, program, admin, worksheet_types)
    sign_in(client, first.people["faculty"].email)
    teams = text_of(client.get(f"/cohorts/{cohort.id}/dashboard"))
    assert '<div class="scroll-frame">' in teams and "More columns to the right" in teams
    assert '<th scope="row" class="sticky-col"><a class="clamp-2"' in teams
    members = text_of(client.get(f"/cohorts/{cohort.id}/dashboard/members"))
    modules = session.query(Module).filter_by(program_id=program.id).order_by(Module.position).all()
    first_title = modules[0].texts[0].title
    assert f'<span class="mod-number">1</span> {first_title}</span>' in members  # names, not only numbers
    # attendance comes before the modules, so it is in view without scrolling
    assert members.index("Sessions attended") < members.index('class="mod mod-name"')


def test_self_assessment_gains_say_when_they_will_appear(client, session, program, admin, worksheet_types):
    cohort, first, _second = _cohort_with_two_teams(client, session, program, admin, worksheet_types)
    sign_in(client, first.people["faculty"].email)
    page = " ".join(text_of(client.get(f"/cohorts/{cohort.id}/dashboard/self-assessment")).split())
    last = phase_dates(program.config, cohort.starts_on, cohort.ends_on, cohort.phase_starts)[-1].starts_on
    when = format_date(last, "medium", locale="en")
    if utcnow().date() < last:
        assert "No gains yet: they are measured when participants answer the self-assessment a second time" in page
        assert f"That self-assessment opens on {when}" in page
    else:
        assert f"No gains yet: the end-of-program self-assessment has been open since {when}" in page
