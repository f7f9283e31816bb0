from datetime import timedelta

from flask_babel import force_locale, format_date

from qtp.progress.models import KnowledgeCheckAttempt, ModuleProgress, SelfAssessment
from tests.factories import add_member, make_cohort, make_team, make_user
from tests.helpers import login, post_form, text_of

RIGHT = {"q-q1": "b", "q-q2": "a", "q-q3": ["a", "c"], "q-q4": ["b", "c"]}


def signed_in(app, email="ana@test.example.org"):
    client = app.test_client()
    assert login(client, email).status_code == 302
    return client


def base(cohort, slug=""):
    return f"/learning/{cohort.id}" + (f"/modules/{slug}" if slug else "")


def test_overview_shows_phases_progress_schedule_and_gating(app, cohort, participant, today):
    page = text_of(signed_in(app).get(base(cohort)))
    assert "Test Program" in page and "First phase" in page and "Second phase" in page
    assert "0 of 3 modules complete" in page
    assert f'href="{base(cohort, "01-basics")}"' in page
    assert "After: Module 01-basics" in page
    with app.test_request_context(), force_locale("en"):
        opens = format_date(today + timedelta(days=20))
    assert f"Opens on {opens}" in page
    assert "Learning session 1" in page and "Coaching call" in page


def test_single_cohort_member_goes_straight_to_the_overview(app, cohort, participant):
    response = signed_in(app).get("/learning/")
    assert response.status_code == 302 and response.headers["Location"].endswith(base(cohort))


def test_module_page_shows_the_lesson_and_objectives(app, cohort, participant):
    page = signed_in(app).get(base(cohort, "01-basics"))
    assert page.status_code == 200
    html = text_of(page)
    assert "Module 01-basics" in html and "Explain the idea." in html and "<strong>Well done.</strong>" in html


def test_module_page_has_an_outline_the_check_as_next_step_and_its_neighbours(app, cohort, participant):
    html = text_of(signed_in(app).get(base(cohort, "01-basics")))
    assert '<h2 id="section-1">What we found</h2>' in html and 'href="#section-1">What we found</a>' in html
    assert "Module 1 of 3" in html
    check_link = f'<a class="button" href="{base(cohort, "01-basics")}/check">Take the knowledge check</a>'
    assert check_link in html  # the primary action; marking complete is the secondary one
    assert 'class="button-secondary">Mark as complete' in html
    assert 'rel="next"' in html and f'href="{base(cohort, "02-aims")}"' in html and 'rel="prev"' not in html
    assert "2. Module 02-aims" in html


def test_the_result_marks_the_correct_options_and_the_chosen_wrong_ones(app, session, cohort, participant):
    client = signed_in(app)
    check = base(cohort, "01-basics") + "/check"
    result = post_form(client, check, {**RIGHT, "q-q1": "a"}, token_from=check)
    page = text_of(client.get(result.headers["Location"]))
    first = page.split('id="result-q1"')[1].split("</section>")[0]
    assert first.count('class="option correct"') == 1  # b, the right one, not chosen
    assert first.count('class="option chosen chosen-wrong"') == 1  # a, chosen and wrong
    assert "Correct answer" in first and "Your answer" in first
    third = page.split('id="result-q3"')[1].split("</section>")[0]
    assert third.count('class="option correct chosen"') == 2 and "2 answers are correct." in third


def test_locked_modules_say_why_and_when(app, cohort, participant, today):
    client = signed_in(app)
    waiting = client.get(base(cohort, "02-aims"))
    assert waiting.status_code == 403 and "Complete these modules first" in text_of(waiting)
    later = client.get(base(cohort, "03-tests"))
    assert later.status_code == 403 and "This module opens on" in text_of(later)
    assert post_form(client, base(cohort, "03-tests") + "/complete").status_code == 302
    assert client.get(base(cohort, "03-tests") + "/check").status_code == 403


def test_completing_a_module_opens_the_next_and_counts(app, session, cohort, participant):
    client = signed_in(app)
    assert post_form(client, base(cohort, "01-basics") + "/complete").status_code == 302
    assert post_form(client, base(cohort, "01-basics") + "/complete").status_code == 302  # idempotent
    assert session.query(ModuleProgress).count() == 1
    assert client.get(base(cohort, "02-aims")).status_code == 200
    assert "1 of 3 modules complete" in text_of(client.get(base(cohort)))


def test_knowledge_check_scores_gives_feedback_and_keeps_the_best(app, session, cohort, participant):
    client = signed_in(app)
    check = base(cohort, "01-basics") + "/check"
    assert "Question q1?" in text_of(client.get(check))
    half = post_form(client, check, {**RIGHT, "q-q3": ["a"], "q-q4": ["b", "c", "a"]}, token_from=check)
    assert half.status_code == 302
    result = text_of(client.get(half.headers["Location"]))
    assert "50%" in result and "2 of 4 questions right" in result and "Because b." in result
    full = post_form(client, check, RIGHT, token_from=check)
    assert "100%" in text_of(client.get(full.headers["Location"]))
    post_form(client, check, {**RIGHT, "q-q1": "a"}, token_from=check)
    attempts = session.query(KnowledgeCheckAttempt).order_by(KnowledgeCheckAttempt.id).all()
    assert [a.score for a in attempts] == [50, 100, 75]
    assert [a.passed for a in attempts] == [False, True, True]
    assert "Best score: 100%" in text_of(client.get(base(cohort, "01-basics")))


def test_incomplete_or_forged_answers_are_refused(app, session, cohort, participant):
    client = signed_in(app)
    check = base(cohort, "01-basics") + "/check"
    missing = post_form(client, check, {"q-q1": "b", "q-q3": ["a"]}, token_from=check)
    page = text_of(missing)
    assert missing.status_code == 400 and "2 questions have no answer yet" in page
    # the unanswered questions are marked and linked from the summary; the given answers are kept
    assert 'class="question unanswered" id="question-q2"' in page and 'href="#question-q2">Question 2:' in page
    assert 'class="question unanswered" id="question-q4"' in page and 'href="#question-q4">Question 4:' in page
    assert 'class="question" id="question-q1"' in page and 'class="question" id="question-q3"' in page
    assert page.count("This question has no answer yet.") == 2
    assert 'value="b" checked' in page and 'id="q-q3-a" name="q-q3" value="a" checked' in page
    forged = post_form(client, check, {**RIGHT, "q-q1": "zz"}, token_from=check)
    assert forged.status_code == 400 and "not an option" in text_of(forged)
    two = post_form(client, check, {**RIGHT, "q-q1": ["a", "b"]}, token_from=check)
    assert two.status_code == 400
    assert session.query(KnowledgeCheckAttempt).count() == 0


def test_translated_module_and_fallback_to_english_with_a_notice(app, session, tree, cohort, participant):
    participant.locale = "es"
    session.commit()
    page = text_of(signed_in(app).get(base(cohort, "01-basics")))
    assert "Module 01-basics [es]" in page and "not been translated" not in page
    participant.locale = "pt_BR"
    session.commit()
    from qtp.catalog.sync import sync_content
    from tests.integration.progress.conftest import LOCALES

    for name in ("pt_BR.md", "questions.pt_BR.yaml", "slides.pt_BR.md"):
        (tree / "test-program" / "01-basics" / name).unlink()
    sync_content(session, tree, LOCALES)
    session.commit()
    page = text_of(signed_in(app).get(base(cohort, "01-basics")))
    assert "Module 01-basics</h1>" in page
    with app.test_request_context(), force_locale("pt_BR"):
        from flask_babel import gettext

        notice = gettext("This module has not been translated into your language yet; it is shown in English.")
    assert notice in page


def test_other_cohorts_and_other_peoples_attempts_do_not_exist(app, session, synced, cohort, participant, today):
    other_cohort = make_cohort(session, program=synced, starts_on=today - timedelta(days=5))
    outsider = make_user(session, "rafa@test.example.org", roles=["participant"])
    add_member(session, make_team(session, other_cohort), outsider, "core")
    client = signed_in(app)
    check = base(cohort, "01-basics") + "/check"
    attempt_url = post_form(client, check, RIGHT, token_from=check).headers["Location"]
    intruder = signed_in(app, "rafa@test.example.org")
    assert intruder.get(base(cohort)).status_code == 404
    assert intruder.get(base(cohort, "01-basics")).status_code == 404
    assert intruder.get(attempt_url).status_code == 404
    assert (
        intruder.get(attempt_url.replace(f"/learning/{cohort.id}/", f"/learning/{other_cohort.id}/")).status_code == 404
    )
    assert post_form(intruder, base(cohort, "01-basics") + "/complete").status_code == 404
    assert session.query(ModuleProgress).count() == 0


def test_self_assessment_pre_once_post_at_the_end(app, session, cohort, participant, today):
    client = signed_in(app)
    form = {"knowledge-aims": 3, "confidence-aims": 2, "knowledge-measures": 4, "confidence-measures": 5}
    url = base(cohort) + "/self-assessment"
    bad = post_form(client, url + "/pre", {**form, "knowledge-aims": 11}, token_from=url + "/pre")
    assert bad.status_code == 400 and "Rate every topic from 1 to 10" in text_of(bad)
    assert post_form(client, url + "/pre", form, token_from=url + "/pre").status_code == 302
    again = post_form(client, url + "/pre", form, token_from=url)
    assert again.status_code == 400
    early = post_form(client, url + "/post", form, token_from=url)
    assert early.status_code == 400
    cohort.starts_on = today - timedelta(days=40)  # the last phase has begun
    session.commit()
    after = {"knowledge-aims": 8, "confidence-aims": 7, "knowledge-measures": 4, "confidence-measures": 9}
    assert post_form(client, url + "/post", after, token_from=url).status_code == 302
    assert session.query(SelfAssessment).count() == 2
    results = text_of(client.get(url))
    assert "+5" in results and "+4" in results and "+0" in results


def test_staff_preview_every_module_in_every_language_and_see_status(app, session, synced):
    make_user(session, "f@test.example.org", roles=["faculty"])
    client = signed_in(app, "f@test.example.org")
    status = text_of(client.get("/content/"))
    assert "Test Program" in status and "Current" in status
    # titles and phase names, not slugs; the folder is named for authors
    assert "<strong>1. Module 01-basics</strong>" in status and "Folder: courses/test-program/01-basics" in status
    assert "<td>First phase</td>" in status and "<td>first</td>" not in status
    preview = text_of(client.get("/content/test-program/02-aims?locale=es"))
    assert "Module 02-aims [es]" in preview and "Correct" in preview and "Say this about 0 [es]." in preview
    assert client.get("/content/test-program/02-aims?locale=fr").status_code == 404
    assert client.get("/content/test-program/99-none").status_code == 404


def test_participants_cannot_open_staff_content_pages(app, synced, participant):
    client = signed_in(app)
    assert client.get("/content/").status_code == 403
    assert client.get("/content/test-program/01-basics").status_code == 403


def test_one_day_agenda_is_shown_with_timings(app, session, synced, cohort, participant):
    synced.config = {
        **synced.config,
        "agenda": [
            {"start": "09:00", "end": "10:15", "module": "01-basics", "titles": {}},
            {"start": "10:15", "end": "10:30", "module": None, "titles": {"en": "Break", "es": "Pausa"}},
        ],
    }
    session.commit()
    page = text_of(signed_in(app).get(base(cohort)))
    assert "Agenda of the day" in page
    assert "09:00–10:15" in page and "<strong>Module 01-basics</strong>" in page and "Break" in page


def test_lesson_html_is_sanitized_again_at_display(app, session, cohort, participant):
    from qtp.catalog.models import Module, ModuleText

    text = session.query(ModuleText).join(Module).filter(Module.slug == "01-basics", ModuleText.locale == "en").one()
    text.body_html = '<p>ok</p><script>alert(1)</script><a href="javascript:alert(1)">x</a>'
    session.commit()
    module_slug = text.module.slug
    page = text_of(signed_in(app).get(base(cohort, module_slug)))
    assert "<p>ok</p>" in page and "<script>alert(1)" not in page and "javascript:alert" not in page
