"""SVG charts: standalone, accessible, inert with hostile labels, deterministic."""

import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest

from qtp.measurement.control_chart import p_chart
from qtp.measurement.run_chart import analyze
from qtp.measurement.svg import Annotation, ChartLabels, Point, control_chart_svg, pareto_svg, run_chart_svg

NS = "{http://www.w3.org/2000/svg}"
HOSTILE = ["<script>alert(1)</script>", "A & B", '"><img src=x onerror=alert(1)>', "<svg/onload=alert(1)>"]
VALUES = [10, 12, 11, 13, 12, 15, 16, 17, 15, 16, 18, 19]


def parse(svg):
    """Parse our own output: the SVG under test, not outside input (hence no defusedxml)."""
    return ET.fromstring(svg)  # noqa: S314


def _points(values, labels=None):
    labels = labels or [f"2024-{i + 1:02d}" for i in range(len(values))]
    return [Point(label, v) for label, v in zip(labels, values, strict=False)]


def _run_svg(**kw):
    values = kw.pop("values", VALUES)
    args = {"title": "Calls addressed within 2 hours", "description": "Monthly percentage, median 12."}
    args.update(kw)
    baseline = args.pop("baseline", None)
    return run_chart_svg(_points(values, args.pop("labels", None)), analyze(values, baseline), **args)


def _check_standalone(svg):
    root = parse(svg)
    assert root.tag == NS + "svg"
    assert root.get("role") == "img"
    assert root.get("viewBox") == "0 0 720 360" and root.get("width") == "100%"
    assert "sans-serif" in root.get("font-family")
    title_id, desc_id = root.get("aria-labelledby").split()
    assert root.find(NS + "title").get("id") == title_id
    assert root.find(NS + "desc").get("id") == desc_id
    for el in root.iter():
        assert el.tag.split("}")[1] not in ("script", "foreignObject", "image", "use", "a", "style")
        for name in el.attrib:
            assert not name.lower().startswith("on")
            assert "href" not in name
    assert "url(" not in svg and "javascript" not in svg.lower()
    return root


def _texts(root):
    return ["".join(el.itertext()) for el in root.iter() if el.tag in (NS + "text", NS + "title", NS + "desc")]


def _classes(root, cls):
    return [el for el in root.iter() if cls in (el.get("class") or "").split()]


def test_run_chart_is_standalone_and_accessible():
    root = _check_standalone(_run_svg())
    assert root.find(NS + "title").text == "Calls addressed within 2 hours"
    assert root.find(NS + "desc").text == "Monthly percentage, median 12."


def test_run_chart_has_median_and_target_lines():
    root = _check_standalone(_run_svg(target=17))
    assert len(_classes(root, "median")) == 1 and len(_classes(root, "target")) == 1
    texts = _texts(root)
    assert "Median 15" in texts and "Target 17" in texts
    median_y = float(_classes(root, "median")[0].get("y1"))
    target_y = float(_classes(root, "target")[0].get("y1"))
    assert target_y < median_y  # 17 is drawn above 15


def test_frozen_median_is_drawn_over_the_baseline_and_extended():
    root = _check_standalone(_run_svg(baseline=5))
    baseline_line = _classes(root, "median-baseline")[0]
    extended = _classes(root, "median-extended")[0]
    assert baseline_line.get("x2") == extended.get("x1")
    assert baseline_line.get("stroke-dasharray") != extended.get("stroke-dasharray")
    assert "Median 12" in _texts(root)
    assert {"Median (baseline)", "Median (extended)"} <= set(_texts(root))


def test_shift_and_trend_points_have_their_own_shapes():
    root = _check_standalone(_run_svg(values=[1, 3, 1, 3, 1, 8, 9, 8, 9, 8, 9, 3, 1, 9]))
    series = _classes(root, "series")[0]
    squares = [el for el in series if el.tag == NS + "rect"]
    assert len(squares) == 6 and all(el.get("fill") == "#a4262c" for el in squares)
    assert len([el for el in series if el.tag == NS + "circle"]) == 8
    root = _check_standalone(_run_svg(values=[5, 1, 2, 3, 4, 6, 2, 8]))
    triangles = [el for el in _classes(root, "series")[0] if el.tag == NS + "polygon"]
    assert len(triangles) == 5  # the trend 1, 2, 3, 4, 6
    assert "Trend" in _texts(root)


def test_annotations_are_drawn_at_their_points():
    root = _check_standalone(_run_svg(annotations=[Annotation(5, "PDSA 1"), (8, "PDSA 2")]))
    group = _classes(root, "annotations")[0]
    assert [t.text for t in group if t.tag == NS + "text"] == ["PDSA 1", "PDSA 2"]
    with pytest.raises(ValueError, match="outside the series"):
        _run_svg(annotations=[(12, "late")])


@pytest.mark.parametrize("hostile", HOSTILE)
def test_hostile_text_is_escaped_everywhere(hostile):
    svg = _run_svg(
        title=hostile,
        description=hostile,
        labels=[hostile] * len(VALUES),
        annotations=[(1, hostile)],
        y_label=hostile,
        target=14,
    )
    root = _check_standalone(svg)
    assert "<script" not in svg and "<img" not in svg and "<svg/" not in svg
    assert root.find(NS + "title").text == hostile and root.find(NS + "desc").text == hostile
    assert any(t.startswith(hostile[:10]) for t in _texts(root) if t != hostile)  # axis/annotation text too


def test_forbidden_xml_characters_are_dropped():
    root = _check_standalone(_run_svg(title="bad\x00\x0bname\ufffe", labels=["a\x1fb"] * len(VALUES)))
    assert root.find(NS + "title").text == "badname"


def test_translated_chart_words():
    labels = ChartLabels(median="Mediana", target="Meta", data="Dados")
    svg = run_chart_svg(_points(VALUES), analyze(VALUES), title="t", description="d", target=17, labels=labels)
    texts = _texts(_check_standalone(svg))
    assert "Mediana 15" in texts and "Meta 17" in texts and "Dados" in texts


def test_value_format_string_or_callable():
    svg = _run_svg(values=[0.1, 0.2, 0.3], value_format="{:.0%}")
    assert "Median 20%" in _texts(parse(svg))
    svg = _run_svg(values=[0.1, 0.2, 0.3], value_format=lambda v: f"{v * 100:.1f} %")
    assert "Median 20.0 %" in _texts(parse(svg))


def test_output_is_deterministic_and_ids_differ_between_charts():
    assert _run_svg(target=17) == _run_svg(target=17)
    a, b = parse(_run_svg(title="A")), parse(_run_svg(title="B"))
    assert a.get("aria-labelledby") != b.get("aria-labelledby")
    explicit = parse(_run_svg(chart_id='m 7"><x'))
    assert explicit.get("aria-labelledby") == "c-m-7---x-title c-m-7---x-desc"


def test_empty_and_flat_series():
    root = _check_standalone(run_chart_svg([], analyze([]), title="t", description="d"))
    assert "No data yet" in _texts(root)
    _check_standalone(_run_svg(values=[4] * 6))
    _check_standalone(_run_svg(values=[0.0] * 3))
    _check_standalone(_run_svg(values=[7]))


def test_decimal_values_from_the_database_are_drawn():
    values = [Decimal("0.48"), Decimal("0.52"), Decimal("0.73")]
    svg = run_chart_svg(_points(values), analyze(values), title="t", description="d", target=Decimal("0.8"))
    assert "Median 0.52" in _texts(_check_standalone(svg))


def test_points_must_match_the_analysis():
    with pytest.raises(ValueError, match="points"):
        run_chart_svg(_points([1, 2]), analyze([1, 2, 3]), title="t", description="d")


def test_colours_are_the_accessible_palette():
    svg = _run_svg(target=17, values=[1, 3, 1, 3, 1, 8, 9, 8, 9, 8, 9, 3, 1, 9])
    for colour in ("#0b5d6b", "#a4262c", "#4f5d68"):
        assert colour in svg


def test_control_chart_svg():
    chart = p_chart([18, 22, 20, 20, 40, 21], [100] * 6)
    svg = control_chart_svg(
        _points([18, 22, 20, 20, 40, 21], ["Jan", "Feb", "Mar", "Apr", "<May>", "Jun & Jul"]),
        chart,
        title="Consent documented",
        description="p chart",
        value_format="{:.0%}",
        annotations=[(2, "PDSA 1")],
    )
    root = _check_standalone(svg)
    assert len(_classes(root, "upper-limit")) == 1 and len(_classes(root, "lower-limit")) == 1
    assert len(_classes(root, "centre")) == 1
    series = _classes(root, "series")[0]
    diamonds = [el for el in series if el.tag == NS + "polygon"]
    assert len(diamonds) == len(chart.signal_indices) == 1
    assert "<May>: 40%" in _texts(root)
    assert svg == control_chart_svg(
        _points([18, 22, 20, 20, 40, 21], ["Jan", "Feb", "Mar", "Apr", "<May>", "Jun & Jul"]),
        chart,
        title="Consent documented",
        description="p chart",
        value_format="{:.0%}",
        annotations=[(2, "PDSA 1")],
    )


def test_pareto_svg():
    cats = [("Missing consent", 12), ("Late lab <results>", 30), ("Other & misc", 3), ("Pharmacy", 8)]
    svg = pareto_svg(cats, title="Reasons for delay", description="Pareto of 53 delays")
    root = _check_standalone(svg)
    bars = [el for el in _classes(root, "bars")[0] if el.tag == NS + "rect"]
    heights = [float(el.get("height")) for el in bars]
    assert heights == sorted(heights, reverse=True)
    assert [el.find(NS + "title").text for el in bars][0] == "Late lab <results>: 30"
    assert len(_classes(root, "reference")) == 1 and "80%" in _texts(root)
    line = [el for el in _classes(root, "cumulative")[0] if el.tag == NS + "polyline"][0]
    last_y = float(line.get("points").split()[-1].split(",")[1])
    hundred = [el for el in root.iter(NS + "text") if el.text == "100%"][0]
    assert abs(last_y - (float(hundred.get("y")) - 4)) < 0.11
    assert svg == pareto_svg(cats, title="Reasons for delay", description="Pareto of 53 delays")


def test_pareto_edge_cases():
    assert "No data yet" in pareto_svg([], title="t", description="d")
    assert "No data yet" in pareto_svg([("a", 0)], title="t", description="d")
    with pytest.raises(ValueError):
        pareto_svg([("a", -1)], title="t", description="d")


def _line_labels(svg):
    group = next(g for g in parse(svg).iter(NS + "g") if g.get("class") == "line-labels")
    return [(float(t.get("x")), float(t.get("y")), t.text) for t in group.iter(NS + "text")]


def _point_xs(svg):
    series = next(g for g in parse(svg).iter(NS + "g") if g.get("class") == "series")
    return [float(c.get("cx")) for c in series.iter(NS + "circle")] + [
        float(r.get("x")) + 9 for r in series.iter(NS + "rect")
    ]


def test_line_labels_sit_right_of_every_point_and_never_touch_each_other():
    # the target (13) is next to the median (~14.5 here): their labels are moved apart, never drawn on points
    values = [12, 13, 14, 15, 16, 15, 14, 13, 15, 16, 14, 13]
    svg = _run_svg(values=values, target=14.4)
    labels = _line_labels(svg)
    assert [text.split()[0] for _x, _y, text in sorted(labels, key=lambda item: item[1])] in (
        ["Target", "Median"],
        ["Median", "Target"],
    )
    assert min(x for x, _y, _t in labels) > max(_point_xs(svg))
    (_x1, y1, _t1), (_x2, y2, _t2) = sorted(labels, key=lambda item: item[1])
    assert y2 - y1 >= 14


def test_pdsa_labels_are_drawn_above_the_plot_not_over_the_points():
    values = [10, 12, 11, 20, 20, 15, 16, 17, 15, 16, 18, 19]  # points at the top of the scale, under the labels
    svg = _run_svg(values=values, annotations=[Annotation(3, "PDSA 1"), Annotation(4, "PDSA 2")])
    root = parse(svg)
    group = next(g for g in root.iter(NS + "g") if g.get("class") == "annotations")
    label_bottoms = [float(t.get("y")) for t in group.iter(NS + "text")]
    series = next(g for g in root.iter(NS + "g") if g.get("class") == "series")
    highest_point = min(float(c.get("cy")) - 6 for c in series.iter(NS + "circle"))
    assert max(label_bottoms) < highest_point


def test_a_control_chart_draws_the_target_line_with_its_label():
    chart = p_chart([4, 5, 4, 6, 5, 7, 6, 5], [10] * 8)
    svg = control_chart_svg(
        _points(chart.values), chart, title="t", description="d", target=0.75, value_format="{:.0%}"
    )
    assert 'class="target"' in svg
    assert any(text == "Target 75%" for _x, _y, text in _line_labels(svg))
    assert any(text.startswith("Mean ") for _x, _y, text in _line_labels(svg))
