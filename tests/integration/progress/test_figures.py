"""A lesson's figures on the module page: the drawing of the reader's language, named by its alt text, with
its caption, placed where the lesson puts it, ids unique on the page, and never anything the sanitizer
would refuse, even when the stored copy has been tampered with."""

import re

import pytest

from qtp.catalog.models import Module, ModuleText
from tests.content.builder import write_figure, write_program
from tests.helpers import text_of
from tests.integration.progress.test_learning import base, signed_in


@pytest.fixture
def tree(tmp_path):
    root = tmp_path / "courses"
    write_program(root)
    write_figure(root / "test-program" / "01-basics")
    for locale in ("en", "es", "pt_BR"):
        slides = root / "test-program" / "01-basics" / f"slides.{locale}.md"
        text = slides.read_text()
        slides.write_text(re.sub(r"(## Slide 0[^\n]*\n\n)", r"\1[figure: anatomy]\n\n", text, count=1))
    return root


def figure_of(page: str) -> str:
    match = re.search(r'<figure class="lesson-figure">.*?</figure>', page, re.S)
    assert match, "no figure on the page"
    return match.group(0)


def test_the_spanish_page_shows_the_spanish_figure_alt_text_and_caption(app, session, cohort, participant):
    participant.locale = "es"
    session.commit()
    page = text_of(signed_in(app).get(base(cohort, "01-basics")))
    figure = figure_of(page)
    assert '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 640 200" role="img"' in figure
    assert 'aria-labelledby="fig-01-basics-anatomy"' in figure
    assert '<title id="fig-01-basics-anatomy">Un gráfico de tendencia con su mediana</title>' in figure
    assert ">Mediana</text>" in figure  # the drawing's own words are Spanish
    assert "Figura 1.</span> Las partes de un gráfico de tendencia</figcaption>" in figure
    assert 'role="region" tabindex="0" aria-label="Figura 1"' in figure
    assert "[figure:" not in page
    # placed where the lesson puts it: between the two halves of the section
    heading, placed = page.index('<h2 id="section-1">'), page.index('<figure class="lesson-figure">')
    assert heading < placed < page.index("</div>", placed + len(figure))


def test_each_language_has_its_own_drawing_and_ids_stay_unique(app, session, cohort, participant):
    page = text_of(signed_in(app).get(base(cohort, "01-basics")))
    figure = figure_of(page)
    assert ">A run chart with its median</title>" in figure and ">Median</text>" in figure
    assert "Figure 1.</span> The parts of a run chart" in figure
    assert 'marker-end="url(#fig-01-basics-anatomy_tip)"' in figure
    ids = re.findall(r'\sid="([^"]+)"', page)
    assert len(ids) == len(set(ids))


def test_a_tampered_stored_figure_is_not_shown(app, session, cohort, participant):
    text = session.query(ModuleText).join(Module).filter(Module.slug == "01-basics", ModuleText.locale == "en").one()
    stored = dict(text.figures["anatomy"])
    stored["source"] = stored["source"].replace("<defs>", '<script>alert(1)</script><defs onload="alert(2)">')
    stored["caption"] = '<img src=x onerror="alert(3)">'
    text.figures = {"anatomy": stored}
    session.commit()
    page = text_of(signed_in(app).get(base(cohort, "01-basics")))
    assert "<script>alert" not in page and "alert(2)" not in page and 'onerror="alert(3)"' not in page
    assert '<figure class="lesson-figure">' not in page and "[figure:" not in page


def test_the_staff_preview_shows_the_figure_too(app, session, synced):
    from tests.factories import make_user
    from tests.helpers import login

    make_user(session, "faculty@test.example.org", roles=["faculty"])
    session.commit()
    client = app.test_client()
    login(client, "faculty@test.example.org")
    page = text_of(client.get("/content/test-program/01-basics?locale=pt_BR"))
    assert '<title id="fig-01-basics-anatomy">Um gráfico com a mediana</title>' in figure_of(page)
    # a slide that places the figure never shows the placement line, and the drawing is on the page once
    page = text_of(client.get("/content/test-program/01-basics?locale=en"))
    assert "[figure:" not in page and "The parts of a run chart" in page
    assert page.count("<svg") == page.count('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 640 200"') == 1
