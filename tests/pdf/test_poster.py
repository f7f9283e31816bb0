"""The storyboard PDF is the team's results poster: one landscape page, A3 by default and A0 on request, led by
the aim, the annotated run chart and the driver diagram; empty sections are left out; long texts are
shortened, never spilled onto a second page; everything in the reader's language."""

from __future__ import annotations

import re

import pytest

from qtp.extensions import db
from qtp.worksheets.models import Worksheet
from tests.pdf.project import PROJECT, add_project
from tests.pdf.support import pdf_fonts, pdf_info, pdf_text, words
from tests.pdf.test_exports import get_pdf, sign_in

A3 = (1190.55, 841.89)
A0 = (3370.39, 2383.94)
AIM = PROJECT[("aim", 1)]["statement"]


def page_sizes(document: bytes) -> list[tuple[float, float]]:
    """The MediaBox (width, height in pt) of each page."""
    info = pdf_info(document)
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
    size = re.search(r"^Page size:\s+([\d.]+) x ([\d.]+) pts", info, re.M)
    return [(float(size.group(1)), float(size.group(2)))] * pages


def poster(client, team, query: str = "", filename: str | None = None) -> bytes:
    return get_pdf(client, f"/teams/{team.id}/storyboard.pdf{query}", filename)


def set_data(session, team, slug: str, data: dict, record_no: int = 1) -> None:
    worksheet = session.query(Worksheet).filter_by(team_id=team.id, type_id=team.types[slug].id, record_no=record_no)
    found = worksheet.one_or_none()
    if found is None:
        wtype = team.types[slug]
        session.add(Worksheet(team_id=team.id, type_id=wtype.id, type=wtype, record_no=record_no, data=data))
    else:
        found.data = data
    session.commit()


def test_the_poster_is_one_a3_landscape_page_led_by_the_aim_chart_and_driver_diagram(app, session, real_team):
    add_project(session, real_team)
    document = poster(sign_in(app, real_team), real_team, filename="storyboard-a3.pdf")
    assert page_sizes(document) == [A3]
    text = words(pdf_text(document))
    for expected in (
        real_team.project_title,
        "Dra. Ana Beatriz Ribeiro",  # the team, from the roster
        AIM,  # the aim statement, whole
        "Symptom-management calls answered within 2 hours",  # the primary measure's chart
        "Median",  # drawn in the chart
        "PDSA 1",  # the change annotations on the chart
        "UKONS",  # the driver diagram
        "Changes tested",
        "C1 · Call-nurse rota with a dedicated phone",  # the PDSA cycles: what was tested...
        "What we tested: Test a named call nurse",
        "We predicted: At least 7 of 10 calls",  # ... prediction against result
        "Adapt",  # ... and the act decision
        "Adopt",
        "Results in numbers",
        "Baseline",  # baseline -> now, formatted as percentages
        "48%",
        "75.5%",
        "Lessons learned",
        "Name one person for each task",
        "Rafael Souza Lima, nurse manager",  # sustainability: the process owner
        "Calls answered within 2 hours (Monthly)",  # measures kept
    ):
        assert expected in text, expected
    assert text.index(AIM) < text.index("Median") < text.index("Changes tested")
    assert "Not written yet" not in text and "Calls the clinic number" not in text  # no process map
    fonts = [line.split()[0] for line in pdf_fonts(document).splitlines()[2:] if line.strip()]
    assert fonts and all("+QTP-Sans" in name for name in fonts), fonts


def test_the_a0_poster_is_one_a0_landscape_page(app, session, real_team):
    add_project(session, real_team)
    client = sign_in(app, real_team)
    for query in ("?size=a0", "?size=A0"):
        document = poster(client, real_team, query, "storyboard-a0.pdf")
        assert page_sizes(document) == [A0]
        assert AIM in words(pdf_text(document))
    assert page_sizes(poster(client, real_team, "?size=a3")) == [A3]


@pytest.mark.parametrize(
    ("locale", "message"),
    [
        ("en", "Unknown poster size. Choose A3 or A0."),
        ("es", "Tamaño de póster desconocido. Elija A3 o A0."),
        ("pt_BR", "Tamanho de pôster desconhecido. Escolha A3 ou A0."),
    ],
)
def test_an_unknown_size_is_a_400_in_the_readers_language(app, session, real_team, locale, message):
    client = sign_in(app, real_team, locale=locale)
    for size in ("a4", "", "letter", "a0%20x", "%C3%A40"):  # (a NUL is dropped at the door: "a0%00" is a0)
        response = client.get(f"/teams/{real_team.id}/storyboard.pdf?size={size}")
        assert response.status_code == 400, size
        assert response.mimetype == "text/html" and not response.data.startswith(b"%PDF")
        assert message in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("locale", "months", "english"),
    [("es", ["jul", "ago", "sept"], ["Aug", "Sep 14"]), ("pt_BR", ["jul.", "ago.", "set."], ["Aug", "Sep 14"])],
)
def test_the_poster_in_the_readers_language(app, session, real_team, locale, months, english):
    add_project(session, real_team)
    text = words(pdf_text(poster(sign_in(app, real_team, locale=locale), real_team)))
    story = real_team.types["storyboard"].text(locale)
    assert story["title"] in text
    for field_id in ("changes-tested", "lessons-learned", "sustainability-next-steps"):
        assert story["fields"][field_id]["label"] in text
    assert real_team.types["pdsa"].text(locale)["fields"]["decision"]["choices"]["adopt"] in text
    assert "48 %" in text or "48%" in text
    for month in months:  # the chart's dates
        assert re.search(rf"\b\d{{1,2}} (de )?{re.escape(month)}", text), month
    for word in english + ["Changes tested", "Results in numbers", "Baseline"]:
        assert not re.search(rf"\b{word}\b", text), word


def test_empty_sections_are_left_out(app, session, real_team):
    add_project(session, real_team)
    story = {**PROJECT[("storyboard", 1)], "lessons-learned": "", "team-and-setting": ""}
    set_data(session, real_team, "storyboard", story)
    text = words(pdf_text(poster(sign_in(app, real_team), real_team)))
    assert "Changes tested" in text
    assert "Lessons learned" not in text and "Team and setting" not in text


def test_a_poster_with_only_an_aim_is_still_a_poster(app, session, real_team):
    set_data(session, real_team, "aim", PROJECT[("aim", 1)])
    document = poster(sign_in(app, real_team), real_team)
    assert page_sizes(document) == [A3]
    text = words(pdf_text(document))
    assert "Increase the share of symptom" in text and "for all patients on active chemotherapy" in text
    assert real_team.project_title in text
    for absent in ("Not written yet", "Changes tested", "Results in numbers", "Driver diagram", "Lessons learned"):
        assert absent not in text, absent


def test_long_texts_are_shortened_never_a_second_page(app, session, real_team):
    add_project(session, real_team)
    long = "The call nurse answered every symptom call within two hours during infusion peaks. " * 40
    story = {key: long[:2900] for key in PROJECT[("storyboard", 1)]}
    set_data(session, real_team, "storyboard", story)
    for n in range(3, 13):
        set_data(
            session,
            real_team,
            "pdsa",
            {
                "cycle-number": n,
                "change-idea": "C2",
                "objective": long[:900],
                "predictions": long[:1900],
                "results-vs-predictions": long[:4000],
                "learning": long[:2900],
                "decision": "adopt",
            },
            record_no=n,
        )
    for size, expected in (("a3", A3), ("a0", A0)):
        document = poster(sign_in(app, real_team), real_team, f"?size={size}")
        assert page_sizes(document) == [expected]
        text = words(pdf_text(document))
        assert AIM in text and "Median" in text
        assert "Continued in the team's workspace." in text and "\u2026" in text
        assert "more cycles in the team's workspace" in text
        for heading in ("Changes tested", "Results in numbers", "Lessons learned", "Sustainability and next steps"):
            assert heading in text, (size, heading)
        assert "the full texts are in the team's workspace" in text


def test_the_poster_reads_a_fixed_number_of_statements(app, session, real_team, sql_statements):
    add_project(session, real_team)
    client = sign_in(app, real_team)
    session.commit()
    sql_statements.clear()
    poster(client, real_team)
    before = len(sql_statements)
    assert before <= 12, sql_statements
    pdsa, measures = real_team.types["pdsa"], real_team.types["measures"]
    for n in range(3, 9):
        session.add(Worksheet(team_id=real_team.id, type_id=pdsa.id, type=pdsa, record_no=n, data={"cycle-number": n}))
        session.add(Worksheet(team_id=real_team.id, type_id=measures.id, type=measures, record_no=n, data={}))
    db.session.commit()
    sql_statements.clear()
    poster(client, real_team)
    assert len(sql_statements) == before, "\n".join(s[:100] for s in sql_statements)
