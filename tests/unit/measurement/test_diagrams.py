"""Driver and fishbone diagrams (and the worksheet pictures): accessible, inert, linked, wrapped, deterministic."""

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml

from qtp.measurement.diagrams import DiagramLabels, driver_diagram_svg, split_codes, text_width, wrap
from qtp.measurement.fishbone import fishbone_svg
from qtp.measurement.svg import is_other_category, pareto_svg
from qtp.worksheets.diagrams import diagram_for, fishbone_categories

NS = "{http://www.w3.org/2000/svg}"
WORKSHEETS = Path(__file__).resolve().parents[3] / "courses" / "worksheets"
HOSTILE = '<script>alert(1)</script>"><img src=x onerror=alert(1)> & <svg/onload=alert(1)>'

AIM = "Increase symptom calls answered within 2 hours from 48% to 75% by 30 June."
PRIMARIES = [
    {"code": "P1", "description": "Triage nurse available to answer calls", "measure": "% first-attempt answers"},
    {"code": "P2", "description": "Patients know when and whom to call"},
]
SECONDARIES = [
    {"code": "S1", "description": "Dedicated triage line", "primary-codes": "P1"},
    {"code": "S2", "description": "Education at the first visit", "primary-codes": "p2, P1"},
    {"code": "S3", "description": "Orphan with unknown codes", "primary-codes": "P9 X"},
]
CHANGES = [
    {"code": "C1", "description": "Wallet card", "secondary-codes": "S2"},
    {"code": "C2", "description": "Break cover", "secondary-codes": "S1;S3 S7"},
]


def parse(svg):
    """Parse our own output (not outside input, hence no defusedxml)."""
    return ET.fromstring(svg)  # noqa: S314


def texts_of(root):
    return [el.text or "" for el in root.iter(NS + "text")]


def check_accessible(svg):
    root = parse(svg)
    assert root.tag == NS + "svg"
    assert root.get("role") == "img"
    assert root.get("width") == "100%"
    title_id, desc_id = root.get("aria-labelledby").split()
    assert root.find(NS + "title").get("id") == title_id and root.find(NS + "title").text
    assert root.find(NS + "desc").get("id") == desc_id and root.find(NS + "desc").text
    for el in root.iter():
        assert not el.tag.endswith("script") and not el.tag.endswith("foreignObject")
        assert not [name for name in el.attrib if name.lower().startswith("on")]
        assert "href" not in "".join(el.attrib)
    return root


def links(root):
    return root.find(f"{NS}g[@class='links']").findall(NS + "path")


def boxes(root, kind):
    return [g for g in root.iter(NS + "g") if g.get("class") == f"box {kind}"]


# -- driver diagram --


def test_driver_diagram_structure_and_links():
    svg = driver_diagram_svg(AIM, PRIMARIES, SECONDARIES, CHANGES)
    root = check_accessible(svg)
    assert len(boxes(root, "aim")) == 1
    assert [len(boxes(root, k)) for k in ("primary", "secondary", "change")] == [2, 3, 2]
    # aim -> P1, P2; S1 -> P1; S2 -> P2, P1 (case-insensitive); S3 -> nothing known; C1 -> S2; C2 -> S1, S3
    assert len(links(root)) == 2 + 1 + 2 + 0 + 1 + 2
    texts = texts_of(root)
    for heading in ("Aim", "Primary drivers", "Secondary drivers", "Change ideas"):
        assert heading in texts
    assert "Measure: % first-attempt answers" in " ".join(texts)
    desc = root.find(NS + "desc").text
    assert AIM in desc and "S2 Education at the first visit (\u2192 P2, P1)" in desc
    assert svg == driver_diagram_svg(AIM, PRIMARIES, SECONDARIES, CHANGES)  # deterministic


def test_driver_links_join_the_right_boxes():
    root = parse(driver_diagram_svg(AIM, PRIMARIES[:1], SECONDARIES[:1], []))
    (aim_link, p_to_s) = links(root)
    primary = boxes(root, "primary")[0].find(NS + "rect")
    secondary = boxes(root, "secondary")[0].find(NS + "rect")
    start = p_to_s.get("d").split()[0]  # "M<x>"
    assert float(start[1:]) == pytest.approx(float(primary.get("x")) + float(primary.get("width")), abs=0.11)
    end_x = float(p_to_s.get("d").split()[-2])
    assert end_x == pytest.approx(float(secondary.get("x")) - 5, abs=0.11)
    assert aim_link.get("d").startswith("M")


def test_secondaries_are_ordered_by_the_primary_they_feed():
    secondaries = [
        {"code": "SB", "description": "feeds P2", "primary-codes": "P2"},
        {"code": "SA", "description": "feeds P1", "primary-codes": "P1"},
        {"code": "SZ", "description": "feeds nothing", "primary-codes": ""},
    ]
    root = parse(driver_diagram_svg(AIM, PRIMARIES, secondaries, []))
    codes = [g.find(NS + "text").text for g in boxes(root, "secondary")]
    assert codes == ["SA", "SB", "SZ"]


def test_driver_text_is_escaped_and_inert():
    hostile = [{"code": "<b>", "description": HOSTILE, "measure": HOSTILE}]
    svg = driver_diagram_svg(HOSTILE, hostile, [{**hostile[0], "primary-codes": "<B>"}], [])
    assert "<script" not in svg and "<img" not in svg and "<svg/onload" not in svg
    root = check_accessible(svg)
    joined = "".join(texts_of(root))
    assert "<script>" in joined  # shown as text
    assert "&amp;" in svg


def test_long_text_is_wrapped_to_the_box():
    long = "Patients receive a wallet card " * 8 + "Supercalifragilisticexpialidocious" * 3
    root = parse(driver_diagram_svg(AIM, [{"code": "P1", "description": long}], [], []))
    box = boxes(root, "primary")[0]
    rect = box.find(NS + "rect")
    lines = box.findall(NS + "text")
    assert len(lines) > 5
    for line in lines:
        assert float(line.get("x")) + text_width(line.text) <= float(rect.get("x")) + float(rect.get("width"))
    assert float(rect.get("height")) >= len(lines) * 14


def test_wrap_breaks_words_and_cuts_with_an_ellipsis():
    assert wrap("", 100) == []
    assert wrap("one two", 500) == ["one two"]
    lines = wrap("W" * 60, 100)
    assert all(text_width(line) <= 100 for line in lines) and "".join(lines).replace("-", "") == "W" * 60
    assert all(line.endswith("-") for line in lines[:-1])  # the word goes on: a hyphen says so
    parts = wrap("Antecedentes/justificación", 90)
    assert parts[0] == "Antecedentes/" and all(text_width(line) <= 90 for line in parts)
    assert wrap("Direcionadores secundários", 70)[0].endswith("-")
    cut = wrap("word " * 100, 100, max_lines=2)
    assert len(cut) == 2 and cut[-1].endswith("\u2026") and text_width(cut[-1]) <= 100
    assert wrap("a\x00b\x1fc", 100) == ["abc"]


def test_split_codes():
    assert split_codes("P1, p2;P3  P1") == ["P1", "P2", "P3"]
    assert split_codes(None) == []


def test_empty_driver_diagram_says_so():
    svg = driver_diagram_svg("", [], [], [], DiagramLabels(no_data="Nada que dibujar"))
    root = check_accessible(svg)
    assert "Nada que dibujar" in texts_of(root)


def test_aim_alone_is_drawn():
    root = check_accessible(driver_diagram_svg(AIM, [], [], []))
    assert len(boxes(root, "aim")) == 1 and links(root) == []


def _contrast(a: str, b: str) -> float:
    def luminance(colour: str) -> float:
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_every_text_colour_meets_contrast_on_its_fill():
    from qtp.measurement import diagrams

    for tint in diagrams.TINTS.values():
        assert _contrast(diagrams.TEXT_INK, tint) >= 7
        assert _contrast(diagrams.INK, tint) >= 4.5  # measures in italics
    assert _contrast("#ffffff", diagrams.SERIES) >= 7  # the aim and the effect
    for border in diagrams.BORDERS.values():
        assert _contrast(border, "#ffffff") >= 3  # box outlines


# -- fishbone --

CAUSES = [
    ("People", ["Triage nurse also covers the infusion floor", "No cover for breaks"]),
    ("Methods", ["No callback protocol after 4 pm"]),
    ("Equipment", ["One phone line"]),
    ("Environment", ["Noisy infusion area"]),
    ("Materials", []),
]


def test_fishbone_structure():
    svg = fishbone_svg("Calls not answered within 2 hours", CAUSES)
    root = check_accessible(svg)
    head = root.find(f"{NS}g[@class='head']")
    assert "Calls not answered within 2 hours" in " ".join(t.text for t in head.iter(NS + "text"))
    spine = root.find(f"{NS}g[@class='spine']").find(NS + "line")
    spine_y = float(spine.get("y1"))
    assert float(head.find(NS + "rect").get("x")) > float(spine.get("x2"))  # the head is on the right
    bones = [g for g in root.iter(NS + "g") if g.get("class") == "bone"]
    assert len(bones) == 5
    sides = [float(b.find(f"{NS}rect[@class='category']").get("y")) < spine_y for b in bones]
    assert sides == [True, False, True, False, True]  # alternately above and below
    names = [b.findall(NS + "text")[0].text for b in bones]
    assert names == ["People", "Methods", "Equipment", "Environment", "Materials"]
    assert "No cover for breaks" in " ".join(texts_of(root))
    desc = root.find(NS + "desc").text
    assert "People: Triage nurse also covers the infusion floor; No cover for breaks." in desc
    assert svg == fishbone_svg("Calls not answered within 2 hours", CAUSES)


def test_fishbone_text_is_escaped_and_wrapped():
    svg = fishbone_svg(HOSTILE, [(HOSTILE, [HOSTILE, "long cause " * 40])])
    assert "<script" not in svg and "<img" not in svg
    root = check_accessible(svg)
    bone = next(g for g in root.iter(NS + "g") if g.get("class") == "bone")
    texts = bone.findall(NS + "text")
    assert texts[-1].text.endswith("\u2026")  # a very long cause is cut after a few lines
    assert all(float(t.get("x")) - text_width(t.text) >= 0 for t in texts if t.get("text-anchor") == "end")


def test_many_categories_widen_the_fishbone():
    many = [(f"Category {k}", [f"cause {k}"]) for k in range(9)]
    root = check_accessible(fishbone_svg("Effect", many))
    assert float(root.get("viewBox").split()[2]) > 800


def test_empty_fishbone_says_so():
    root = check_accessible(fishbone_svg("", [], DiagramLabels(no_data="Nothing yet")))
    assert "Nothing yet" in texts_of(root)


# -- Pareto: the catch-all category stays last --


@pytest.mark.parametrize("name", ["Other", "others", "Otros", "Otro", "Outros", "Outras causas", "Other (specify)"])
def test_other_categories_are_recognised(name):
    assert is_other_category(name)


@pytest.mark.parametrize("name", ["Other staff unavailable", "Otorrino", "Pharmacy", "Mother tongue", ""])
def test_ordinary_categories_are_not_other(name):
    assert not is_other_category(name)


def test_pareto_keeps_other_last_even_when_it_is_large():
    svg = pareto_svg([("Otros", 40), ("Lab", 30), ("Pharmacy", 10)], title="t", description="d")
    root = parse(svg)
    bars = [el for el in root.find(f"{NS}g[@class='bars']") if el.tag == NS + "rect"]
    assert [el.find(NS + "title").text for el in bars] == ["Lab: 30", "Pharmacy: 10", "Otros: 40"]


# -- the worksheet pictures --


def texts_for(slug, locale="en"):
    return yaml.safe_load((WORKSHEETS / f"{slug}.{locale}.yaml").read_text("utf-8"))


def test_diagram_for_the_driver_diagram_uses_the_aim_ref_and_translated_headings():
    data = {"primary-drivers": PRIMARIES, "secondary-drivers": SECONDARIES, "change-ideas": CHANGES}
    svg = diagram_for("driver-diagram", data, {"aim": "Aumentar <b>x</b>"}, texts_for("driver-diagram", "es"))
    root = check_accessible(svg)
    texts = texts_of(root)
    assert "Aumentar <b>x</b>" in " ".join(texts)
    assert texts_for("driver-diagram", "es")["fields"]["primary-drivers"]["label"] in texts
    assert root.find(NS + "title").text == texts_for("driver-diagram", "es")["title"]


def test_diagram_for_the_fishbone_translates_categories_and_keeps_custom_names():
    data = {
        "effect": "Llamadas sin respuesta",
        "causes": [
            {"category": "people", "cause": "Sin cobertura"},
            {"category": "custom", "custom-category": "Educación del paciente", "cause": "Sin folleto"},
            {"category": "people", "cause": "Rotación"},
            {"category": "custom", "custom-category": "educación  del paciente", "cause": "Sin teach-back"},
            {"category": "custom", "custom-category": "", "cause": "Sin nombre"},
        ],
    }
    texts = texts_for("fishbone", "es")
    people = texts["fields"]["causes"]["fields"]["category"]["choices"]["people"]
    custom = texts["fields"]["causes"]["fields"]["category"]["choices"]["custom"]
    assert fishbone_categories(data, texts) == [
        (people, ["Sin cobertura", "Rotación"]),
        ("Educación del paciente", ["Sin folleto", "Sin teach-back"]),
        (custom, ["Sin nombre"]),
    ]
    root = check_accessible(diagram_for("fishbone", data, {}, texts))
    assert people in texts_of(root) and "Llamadas sin respuesta" in " ".join(texts_of(root))


def test_diagram_for_the_pareto_chart():
    data = {
        "unit": "delays",
        "categories": [
            {"name": "Other", "count": 50},
            {"name": "Lab", "count": 30},
            {"name": "Prior auth", "count": 9},
        ],
    }
    svg = diagram_for("pareto", data, {}, texts_for("pareto"))
    root = parse(svg)
    bars = [el.find(NS + "title").text for el in root.find(f"{NS}g[@class='bars']") if el.tag == NS + "rect"]
    assert bars == ["Lab: 30", "Prior auth: 9", "Other: 50"]
    desc = root.find(NS + "desc").text
    assert "89 delays" in desc and "Lab" in desc and "Other" not in desc.split("The largest:")[1]


@pytest.mark.parametrize("slug", ["driver-diagram", "fishbone", "pareto"])
def test_diagram_for_empty_data_draws_an_empty_picture(slug):
    check_accessible(diagram_for(slug, {}, {}, texts_for(slug)))


@pytest.mark.parametrize("slug", ["charter", "aim", "measures", "pdsa", "unknown"])
def test_other_types_have_no_picture(slug):
    assert diagram_for(slug, {"x": 1}, {}, {"title": "t", "fields": {}}) is None
