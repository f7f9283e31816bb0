"""The glossaries and the language rules of `qtp content check` (issue 19): avoided terms, numbers, percent
style, quotation marks, words of the wrong language and misnamed worksheet fields, each reported as
`file:line: message`; and the real courses and UI catalogues follow their glossaries."""

from pathlib import Path

import pytest

from qtp.catalog.content import load_content
from qtp.catalog.content_base import ContentSet, Reporter
from qtp.catalog.content_glossary import check_text, load_glossaries
from qtp.catalog.content_language import check_language, misnamed
from tests.content.builder import LOCALES, write_glossary, write_program

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def tree(tmp_path) -> Path:
    root = tmp_path / "courses"
    write_program(root)
    return root


def glossaries(root: Path) -> tuple[dict, ContentSet]:
    content = ContentSet()
    return load_glossaries(root, LOCALES, Reporter(root, content)), content


def messages(root: Path, locale: str, text: str) -> list[str]:
    found, content = glossaries(root)
    assert content.errors == []
    return [finding.message for finding in check_text(found[locale], text)]


def language_problems(root: Path) -> list[str]:
    content = load_content(root, LOCALES)
    catalogues = root.parent / "translations"
    check_language(content, root, LOCALES, catalogues if catalogues.is_dir() else None, Reporter(root, content))
    return [str(problem) for problem in content.problems]


# --- numbers, percent, quotes, terms ---------------------------------------------------------------------


@pytest.mark.parametrize("text", ["El índice kappa fue 0.94.", "La media subió a 41.1 días", "un IC de 2.66"])
@pytest.mark.parametrize("locale", ["es", "pt_BR"])
def test_english_decimal_points_are_reported(tree, locale, text):
    found = messages(tree, locale, text)
    assert len(found) == 1 and "decimals take a comma" in found[0]


def test_decimal_commas_and_grouped_thousands_pass(tree):
    assert messages(tree, "es", "Fue 0,94 en 11.800 pacientes y 1180 visitas; 1.250.000 dosis.") == []
    assert messages(tree, "pt_BR", "Foi 0,94 em 1.180 pacientes e 11.800 visitas.") == []


def test_a_point_in_a_four_digit_number_is_spanish_only(tree):
    assert messages(tree, "es", "De 1.180 pacientes") == [
        "“1.180”: write four-digit numbers without a separator (1180)"
    ]
    assert messages(tree, "pt_BR", "De 1.180 pacientes") == []


def test_versions_dates_code_urls_and_exceptions_are_not_numbers(tree):
    text = "Open Badges 3.0, `ratio = 0.94`, https://example.org/v1.2/x, 2026-03-04 y el archivo run-1.2.pdf"
    assert messages(tree, "es", text) == []


def test_percent_style_per_language(tree):
    assert messages(tree, "es", "subió al 52 % y al 61 %") == []
    assert messages(tree, "es", "subió al 52%") == ["percent: write numbers with % as “52 %”"]
    assert messages(tree, "pt_BR", "subiu para 52%") == []
    assert messages(tree, "pt_BR", "subiu para 52 %") == ["percent: write numbers with % as “52%”"]
    assert messages(tree, "es", "el % de llamadas") == []


def test_the_other_quotation_marks_are_reported(tree):
    assert messages(tree, "es", "la frase “sin causa”") == []
    for text in ("la frase «sin causa»", 'la frase "sin causa"'):
        found = messages(tree, "es", text)
        assert len(found) == 2 and "quotes with “…”" in found[0]


def test_front_matter_quotes_are_yaml_not_text(tree):
    lesson = tree / "test-program" / "02-aims" / "es.md"
    text = lesson.read_text().replace("title:", 'title: "Objetivos"\nold_title:', 1)
    lesson.write_text(text.replace("\n---\n", '\n---\nUn "objetivo" claro.\n', 1).replace("\n---\n", "\n---\n", 1))
    found = [p for p in language_problems(tree) if "02-aims/es.md" in p]
    body_line = text.split("\n").index("---", 1) + 2
    assert (
        found
        == [f'courses/test-program/02-aims/es.md:{body_line}: quotation mark ": this language quotes with “…”'] * 2
    )


def test_avoided_terms_name_the_term_to_use(tree):
    found = messages(tree, "es", "Un Gráfico  de corridas semanal")
    assert found == ["avoid “Gráfico  de corridas”: the glossary's term for “run chart” is “gráfico de tendencia”"]
    assert messages(tree, "es", "un gráfico de tendencia; los gráficos de corridas_x") == []


def test_words_of_another_language(tree):
    assert messages(tree, "es", "Storyboard e informe final: não") == ["“não” is not es: Portuguese word"]
    assert messages(tree, "pt_BR", "o niño") == ["“niño” is not pt_BR: Spanish word"]


# --- the glossary file itself -------------------------------------------------------------------------


def test_a_missing_glossary_is_an_error(tree):
    (tree / "glossary.pt_BR.yaml").unlink()
    found, content = glossaries(tree)
    assert set(found) == {"es"}
    assert [str(p) for p in content.errors] == [
        "courses/glossary.pt_BR.yaml:1: missing glossary for pt_BR (courses/README.md, 'Glossaries')"
    ]


def test_malformed_glossary_entries_are_reported_with_their_line(tree):
    write_glossary(
        tree,
        "es",
        style={"decimal_separator": ";", "thousands": "dots", "percent": "52 pct", "quotes": ["<", ">"]},
        terms=[{"en": "spread", "use": "extensión", "avoid": ["extensión"]}],
        wrong_language=[{"pattern": "(unclosed", "note": "x"}],
    )
    _found, content = glossaries(tree)
    errors = "\n".join(str(p) for p in content.errors)
    for fragment in (
        "decimal_separator must be",
        "thousands must start with",
        "percent must be one of",
        "quotes must be",
        "contains avoided 'extensión'",
        "not a valid regular expression",
    ):
        assert fragment in errors
    assert all(p.path == "courses/glossary.es.yaml" and p.line > 1 for p in content.errors)


# --- every file of a language is checked, with its line ------------------------------------------------


def test_lessons_yaml_values_figures_and_catalogues_are_checked(tree):
    lesson = tree / "test-program" / "02-aims" / "es.md"
    lesson.write_text(lesson.read_text() + "\nEl kappa fue 0.94.\n")
    module = tree / "test-program" / "02-aims" / "module.yaml"
    module.write_text(module.read_text() + "# a comment with 0.5\nnotes: {en: 'at 52%', es: 'al 52%'}\n")
    catalogue = tree.parent / "translations" / "pt_BR" / "LC_MESSAGES"
    catalogue.mkdir(parents=True)
    (catalogue / "messages.po").write_text(
        'msgid ""\nmsgstr ""\n\nmsgid "%(count)s%% of teams"\nmsgstr "%(count)s%% das equipes"\n\n'
        'msgid "Cancel"\nmsgstr "Cancelar niño"\n'
    )
    found = language_problems(tree)
    lines = len(lesson.read_text().splitlines())
    assert f"courses/test-program/02-aims/es.md:{lines}: “0.94”: decimals take a comma here (0,94)" in found
    module_line = len(module.read_text().splitlines())
    assert f"courses/test-program/02-aims/module.yaml:{module_line}: percent: write numbers with % as “52 %”" in found
    assert "translations/pt_BR/LC_MESSAGES/messages.po:7: “niño” is not pt_BR: Spanish word" in found
    assert not any("0.5" in p or "das equipes" in p or "at 52%" in p for p in found)


def test_a_clean_tree_has_no_language_problem(tree):
    assert language_problems(tree) == []


# --- worksheet field names ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "label"),
    [
        ("Why now", "Background / why now"),
        ("First step", "First step in scope"),
        ("Communication", "Communication plan"),
        ("Estratificadores", "Estratificação"),
    ],
)
def test_a_field_named_otherwise_is_found(name, label):
    assert misnamed(name, [label, "Team members"]) == label


@pytest.mark.parametrize(
    "name", ["Background / why now", "background / Why now:", "Secondary drivers and change ideas", "Measurable"]
)
def test_exact_labels_and_other_bold_phrases_pass(name):
    assert misnamed(name, ["Background / why now", "Secondary drivers", "Measurable outcome"]) is None


# --- the real content ------------------------------------------------------------------------------------


def test_courses_and_catalogues_follow_their_glossaries():
    root = ROOT / "courses"
    assert language_problems(root) == []
