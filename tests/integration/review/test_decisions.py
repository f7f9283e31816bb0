"""Approve and return: every state transition, the rubric rules, feedback for the team, history and audit."""

from qtp.core.audit import AuditEvent
from qtp.review.models import Review
from qtp.worksheets.models import Worksheet
from tests.helpers import post_form, text_of
from tests.integration.review.conftest import AIM, decide, sign_in, submit


def test_approval_locks_the_worksheet_records_the_rubric_and_audits(app, client, session, team, submitted):
    sign_in(client, "faculty")
    response = decide(client, submitted.id, "approve", **{"criterion-comment-smart": "Clear and measurable."})
    assert response.status_code == 303 and response.headers["Location"].endswith(f"/review/?decided={submitted.id}")
    session.expire_all()
    worksheet = session.get(Worksheet, submitted.id)
    assert worksheet.status == "approved" and not worksheet.is_editable
    review = session.query(Review).one()
    assert review.decision == "approve" and review.scores == {"smart": 3}
    assert review.criterion_comments == {"smart": "Clear and measurable."}
    assert review.revision_id == worksheet.revisions[-1].id and worksheet.revisions[-1].reason == "submit"
    event = session.query(AuditEvent).filter_by(action="worksheet.approved").one()
    assert event.actor_id == team.people["faculty"].id and event.details["scores"] == {"smart": 3}

    sign_in(client, "leader")
    page = client.get(f"/teams/{team.id}/worksheets/aim/1")
    assert "Approved" in text_of(page) and 'name="statement"' not in text_of(page)  # no form: locked
    save = post_form(client, f"/teams/{team.id}/worksheets/aim/1", {"statement": "changed", "base_version": "9"})
    assert save.status_code == 403
    session.expire_all()
    assert session.get(Worksheet, submitted.id).data["statement"] == AIM["statement"]


def test_returning_reopens_editing_and_the_resubmission_comes_back_with_its_changes(
    app, client, session, team, worksheet_types, submitted
):
    sign_in(client, "faculty")
    response = decide(
        client,
        submitted.id,
        "return",
        comment="Say which clinic and which patients.",
        **{"field-comment-statement": "Name the population: all patients on chemotherapy?"},
    )
    assert response.status_code == 303
    session.expire_all()
    assert session.get(Worksheet, submitted.id).status == "returned"
    assert client.get("/review/").status_code == 200
    assert "Nothing is waiting for your review." in text_of(client.get("/review/"))

    sign_in(client, "core")  # any editing member may revise; the feedback is next to the field
    page = text_of(client.get(f"/teams/{team.id}/worksheets/aim/1"))
    assert "Feedback from your reviewer" in page and "Say which clinic and which patients." in page
    assert "Name the population: all patients on chemotherapy?" in page and 'name="statement"' in page

    revised = {**AIM, "statement": AIM["statement"] + " for all patients on chemotherapy at the main clinic"}
    submit(app, session, team, worksheet_types["aim"], revised)
    sign_in(client, "faculty")
    queue = text_of(client.get("/review/"))
    assert f"/review/{submitted.id}" in queue
    review_page = text_of(client.get(f"/review/{submitted.id}"))
    assert "1 field changed since version" in review_page and "at the main clinic" in review_page
    assert "Returned for revision" in review_page  # the earlier decision is listed
    assert decide(client, submitted.id, "approve").status_code == 303
    session.expire_all()
    assert session.get(Worksheet, submitted.id).status == "approved"
    assert [r.decision for r in session.query(Review).order_by(Review.id)] == ["return", "approve"]

    history = text_of(client.get(f"/teams/{team.id}/worksheets/aim/1/history"))
    assert history.count("Returned for revision") >= 1 and "Approved" in history


def test_returning_needs_something_to_revise_and_every_criterion_needs_a_level(client, session, submitted):
    sign_in(client, "faculty")
    no_comment = decide(client, submitted.id, "return")
    assert no_comment.status_code == 400
    assert "Tell the team what to revise" in text_of(no_comment)
    no_level = decide(client, submitted.id, "approve", **{"score-smart": ""})
    assert no_level.status_code == 400 and "Choose a level." in text_of(no_level)
    out_of_range = decide(client, submitted.id, "approve", **{"score-smart": "9"})
    assert out_of_range.status_code == 400
    no_decision = decide(client, submitted.id, "publish")
    assert no_decision.status_code == 400 and "approve the worksheet or return it" in text_of(no_decision)
    session.expire_all()
    assert session.get(Worksheet, submitted.id).status == "submitted" and session.query(Review).count() == 0


def test_extra_fields_change_nothing_and_unknown_comments_are_dropped(client, session, team, submitted):
    sign_in(client, "faculty")
    response = decide(
        client,
        submitted.id,
        "approve",
        status="draft",
        reviewer_id="1",
        team_id="999",
        is_admin="1",
        **{"field-comment-nope": "x", "criterion-comment-other": "y", "score-other": "4"},
    )
    assert response.status_code == 303
    review = session.query(Review).one()
    assert review.reviewer_id == team.people["faculty"].id and review.scores == {"smart": 3}
    assert review.field_comments == {} and review.criterion_comments == {}
    assert session.get(Worksheet, submitted.id).team_id == team.id


def test_overlong_comments_are_refused_with_nothing_saved(client, session, submitted):
    sign_in(client, "faculty")
    response = decide(client, submitted.id, "return", comment="x" * 5001)
    assert response.status_code == 400 and "5000" in text_of(response)
    session.expire_all()
    assert session.query(Review).count() == 0 and session.get(Worksheet, submitted.id).status == "submitted"


def test_feedback_is_inert_markup_for_every_reader(client, session, team, submitted):
    attack = '<img src=x onerror=alert(1)>"><script>alert(1)</script>'
    sign_in(client, "faculty")
    decide(client, submitted.id, "return", comment=attack, **{"field-comment-statement": attack})
    for who in ("leader", "sponsor", "faculty"):
        sign_in(client, who)
        for path in (f"/teams/{team.id}/worksheets/aim/1", f"/teams/{team.id}/worksheets/aim/1/history"):
            page = text_of(client.get(path))
            assert "<script>alert(1)" not in page and "<img src=x" not in page
            assert "&lt;script&gt;" in page


def test_a_decision_needs_a_csrf_token(client, session, submitted):
    sign_in(client, "faculty")
    response = client.post(f"/review/{submitted.id}", data={"decision": "approve", "score-smart": "3"})
    assert response.status_code == 400
    assert session.get(Worksheet, submitted.id).status == "submitted"
