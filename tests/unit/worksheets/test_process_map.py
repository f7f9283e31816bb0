"""Process maps as swimlane flowcharts: lanes in first-appearance order, decisions with labelled branches,
hostile text kept as text in DOT and SVG, the same bytes for the same input, a text list without Graphviz."""

from __future__ import annotations

import re
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml

from qtp.worksheets import process_map_dot
from qtp.worksheets.diagrams import process_map_for
from qtp.worksheets.process_map import MapLabels, build_state

NS = "{http://www.w3.org/2000/svg}"
TEXTS = yaml.safe_load(
    (Path(__file__).resolve().parents[3] / "courses" / "worksheets" / "process-map.en.yaml").read_text("utf-8")
)
HOSTILE = '<script>alert(1)</script>"]; a -> b [label="x"]; </TD>&amp;'
MAP = {
    "process-name": "Chemotherapy order to infusion start",
    "start": "The oncologist signs the order",
    "end": "The patient is in the infusion chair",
    "current-state": [
        {"actor": "Oncologist", "action": "Signs the chemotherapy order", "kind": "step"},
        {"actor": "Pharmacist", "action": "Checks the order and the labs", "kind": "hand-off"},
        {
            "actor": "pharmacist ",  # the same lane: case and spaces do not matter
            "action": "Labs within limits?",
            "kind": "decision",
            "yes-branch": "Prepares the drugs",
            "no-branch": "Oncologist adjusts the dose",
            "notes": "Labs drawn the same morning: 1 to 2 hours of waiting",
        },
        {"actor": "", "action": "Waits for the patient to be called", "kind": "delay", "notes": "30 to 90 min"},
        {"actor": "Pharmacist", "action": "Prepares the drugs", "kind": "step"},
        {"actor": "Infusion nurse", "action": "Starts the infusion", "kind": "step"},
    ],
    "future-state": [
        {"actor": "Infusion nurse", "action": "Checks labs drawn the day before", "kind": "step"},
        {
            "actor": "Infusion nurse",
            "action": "Ready?",
            "kind": "decision",
            "yes-branch": "step 3",
            "no-branch": "The patient is in the infusion chair",
        },
        {"actor": "Pharmacist", "action": "Releases premixed drugs", "kind": "step"},
    ],
}


def parse(svg):
    return ET.fromstring(svg)  # noqa: S314 (our own output)


def lines_of(root):
    return [(float(t.get("y")), t.text or "") for t in root.iter(NS + "text")]


@pytest.fixture(autouse=True)
def fresh_layouts():
    """Every test runs dot itself: no layout kept from another test."""
    process_map_dot._LAYOUTS.clear()
    yield
    process_map_dot._LAYOUTS.clear()


def draw(data=MAP, **kwargs):
    pm = process_map_for(data, TEXTS, **kwargs)
    assert pm is not None
    return pm


def test_lanes_are_the_actors_in_the_order_they_first_appear(app):
    with app.test_request_context():
        pm = draw()
        current = pm.states[0]
        assert current.lanes == ["Oncologist", "Pharmacist", "Role not given", "Infusion nurse"]
        assert [s.lane for s in current.steps] == [0, 1, 1, 2, 1, 3]
        root = parse(current.svg)
        heading_y = {text: y for y, text in lines_of(root) if text in current.lanes}
        assert list(heading_y) and sorted(heading_y, key=heading_y.get) == current.lanes  # top to bottom
        # a band per lane, in the lanes' order, each the whole length of the map
        bands = [el for g in root.iter(NS + "g") if g.get("class") == "lanes" for el in g]
        points = [re.findall(r"(-?[\d.]+),(-?[\d.]+)", b.get("points")) for b in bands]
        assert len(bands) == 4 and len({tuple(sorted({float(x) for x, _ in p})) for p in points}) == 1
        tops = [min(float(y) for _, y in p) for p in points]
        assert tops == sorted(tops)


def test_lanes_keep_their_order_in_any_map(app):
    """dot alone does not keep clusters in order: the lanes are held by a grid of ranks (many shapes tried)."""
    rows = []
    for i in range(18):
        kind = ("step", "delay", "decision", "hand-off")[i * 7 % 4]
        row = {"actor": f"Role {(i * 5 + i // 3) % 5}", "action": f"Action {i}", "kind": kind}
        if kind == "decision":
            row |= {"yes-branch": f"Action {min(i + 3, 17)}", "no-branch": "Stop"}
        rows.append(row)
    with app.test_request_context():
        for direction in ("LR", "TB"):
            state = process_map_for({"current-state": rows}, TEXTS, direction=direction).states[0]
            root = parse(state.svg)
            axis = 1 if direction == "LR" else 0
            heads = {t.text: float(t.get("xy"[axis])) for t in root.iter(NS + "text") if t.text in state.lanes}
            assert sorted(heads, key=heads.get) == state.lanes, direction


def test_a_decision_links_its_branches_to_later_steps_or_draws_a_note(app):
    with app.test_request_context():
        pm = draw()
        decision = pm.states[0].steps[2]
        assert (decision.yes_to, decision.no_to) == (5, None)  # "Oncologist adjusts the dose" is no step
        future = pm.states[1].steps[1]
        assert (future.yes_to, future.no_to) == (3, 0)  # "step 3", and the end
        source = process_map_dot.build_dot(pm.name, pm.start, pm.end, pm.states[0], pm.labels)
        assert re.search(r"\bs3 -> s5 \[label=<<TABLE[^\n]*<B>Yes</B>", source)
        assert re.search(r"\bs3 -> s3n \[label=<<TABLE[^\n]*<B>No</B>", source)
        texts = [t for _, t in lines_of(parse(pm.states[0].svg))]
        assert "Yes" in texts and "No" in texts and "Oncologist adjusts the" in " ".join(texts)
        assert "Delay" in texts and "Hand-off" in texts and "Note 1" in texts and "Note 2" in texts
        assert [s.note_no for s in pm.states[0].notes] == [1, 2]


def test_the_last_step_of_a_branch_does_not_run_into_the_other_branch():
    labels = MapLabels()
    rows = [
        {"actor": "Nurse", "action": "Red flag?", "kind": "decision", "yes-branch": "See", "no-branch": "Advise"},
        {"actor": "Oncologist", "action": "See", "kind": "step"},
        {"actor": "Nurse", "action": "Advise", "kind": "step"},
    ]
    state = build_state("current-state", "Current state", rows, labels)
    assert [s.flows_to for s in state.steps] == [None, 0, 0]


def test_hostile_text_stays_text_in_dot_and_svg(app):
    data = {
        "process-name": HOSTILE,
        "start": HOSTILE,
        "current-state": [
            {"actor": HOSTILE, "action": HOSTILE, "kind": "step", "notes": HOSTILE},
            {"actor": "B", "action": "Ok?", "kind": "decision", "yes-branch": HOSTILE, "no-branch": "\x00\x1b"},
            {"actor": "<b>", "action": "x\x00y", "kind": "nonsense"},
        ],
    }
    with app.test_request_context():
        pm = draw(data)
        state = pm.states[0]
        source = process_map_dot.build_dot(pm.name, pm.start, pm.end, state, pm.labels)
        assert "<script>" not in source and "a -> b" not in source and "\x00" not in source
        assert "&lt;script&gt;" in source and "&quot;]; a -&gt; b [label=&quot;x&quot;]" in source
        # the graph has our nodes only: three steps, start, end, a branch note, a heading per lane
        nodes = set(re.findall(r"^\s*(\w+) \[", source, re.MULTILINE)) - {"graph", "node", "edge"}
        nodes = {n for n in nodes if not re.fullmatch(r"p\d+_\d+", n)}  # the lanes' invisible placeholders
        assert nodes == {"start", "end", "s1", "s2", "s3", "s2y", "h0", "h1", "h2"}
        root = parse(state.svg)
        for el in root.iter():
            assert el.tag.replace(NS, "") not in ("script", "foreignObject", "a", "image", "style")
            assert not [k for k in el.attrib if k.lower().startswith("on") or "href" in k]
        drawn = " ".join(t for _, t in lines_of(root))
        assert "<script>alert(1)</script" in drawn.replace(" ", "") and "</TD>&amp;" in drawn  # as text
        assert HOSTILE in root.find(NS + "desc").text and HOSTILE in root.find(NS + "title").text
        assert state.steps[2].kind == "step" and state.steps[2].action == "xy"


def test_the_svg_is_standalone_accessible_and_deterministic(app):
    with app.test_request_context():
        first = draw().states[0].svg
        again = draw().states[0].svg
        tall = draw(direction="TB").states[0].svg
    assert first == again and first != tall
    assert "<!--" not in first and 'pt"' not in first and "xlink" not in first and "<!DOCTYPE" not in first
    root = parse(first)
    assert root.get("role") == "img" and root.get("viewBox").startswith("0 0 ")
    assert float(root.get("width")) == float(root.get("viewBox").split()[2])  # its own size: never shrunk
    title_id, desc_id = root.get("aria-labelledby").split()
    assert [t.get("id") for t in root.iter(NS + "title")] == [title_id]  # Graphviz's node titles are gone
    assert [el.get("id") for el in root.iter() if el.get("id")] == [title_id, desc_id]
    desc = root.find(NS + "desc").text
    for part in ("Oncologist", "Signs the chemotherapy order", "Yes: Prepares the drugs (\u2192 5)", "Note 1: Labs"):
        assert part in desc
    assert all(t.get("font-family") is None for t in root.iter(NS + "text"))
    sizes = {float(t.get("font-size")) for t in root.iter(NS + "text")}
    assert min(sizes) >= 11  # readable at the map's own size


def test_the_page_labels_come_from_the_readers_language(app):
    texts = yaml.safe_load(
        (Path(__file__).resolve().parents[3] / "courses" / "worksheets" / "process-map.es.yaml").read_text("utf-8")
    )
    with app.test_request_context(headers={"Accept-Language": "es"}):
        pm = process_map_for(MAP, texts)
    assert pm.states[0].heading == "Estado actual" and pm.labels.kinds["delay"] == "Demora"
    assert pm.states[0].lanes[2] == "Rol sin indicar"
    assert "Sí" in [t for _, t in lines_of(parse(pm.states[0].svg))]


def test_without_dot_the_steps_are_listed_instead(app, monkeypatch):
    monkeypatch.setattr(process_map_dot, "dot_binary", lambda: None)
    with app.test_request_context():
        pm = draw(narrow=True)
    assert not pm.is_drawn and all(s.svg is None and s.svg_narrow is None for s in pm.states)
    assert [s.action for s in pm.states[0].steps][0] == "Signs the chemotherapy order"


@pytest.mark.parametrize(
    "failure",
    [
        subprocess.TimeoutExpired(["dot"], 10),
        OSError("exec format error"),
        subprocess.CompletedProcess(["dot"], 1, b"", b"syntax error"),
        subprocess.CompletedProcess(["dot"], 0, b"<svg not xml", b""),
    ],
)
def test_a_failing_dot_gives_the_list_too(app, monkeypatch, failure):
    def fake_run(*args, **kwargs):
        if isinstance(failure, BaseException):
            raise failure
        return failure

    monkeypatch.setattr(process_map_dot, "_run", fake_run)
    with app.test_request_context():
        pm = draw()
    assert not pm.is_drawn and pm.states[0].svg is None


def test_dot_runs_with_a_timeout_and_only_the_shipped_fonts(app, monkeypatch):
    seen = {}
    real_run = subprocess.run

    def spy(*args, **kwargs):
        seen.update(kwargs)
        return real_run(*args, **kwargs)

    monkeypatch.setattr(process_map_dot, "_run", spy)
    with app.test_request_context():
        draw()
    assert seen["timeout"] == process_map_dot.TIMEOUT and seen["input"]
    conf = Path(seen["env"]["FONTCONFIG_FILE"]).read_text("utf-8")
    assert str(process_map_dot.FONTS) in conf and "/usr/share/fonts" not in conf


def test_a_map_drawn_again_reuses_its_layout_but_not_a_failure(app, monkeypatch):
    calls = []
    real_run = subprocess.run

    def counting(*args, **kwargs):
        calls.append(1)
        return real_run(*args, **kwargs)

    monkeypatch.setattr(process_map_dot, "_run", counting)
    with app.test_request_context():
        first = draw()
        runs = len(calls)  # one per state drawn
        again = draw()
    assert runs >= 1 and len(calls) == runs and first.states[0].svg == again.states[0].svg
    process_map_dot._LAYOUTS.clear()
    monkeypatch.setattr(process_map_dot, "_run", lambda *a, **k: subprocess.CompletedProcess(a, 1, b"", b"boom"))
    with app.test_request_context():
        assert draw().states[0].svg is None
    monkeypatch.setattr(process_map_dot, "_run", counting)
    with app.test_request_context():
        assert draw().states[0].svg == first.states[0].svg and len(calls) == 2 * runs


def test_no_steps_no_map(app):
    with app.test_request_context():
        assert process_map_for({"process-name": "x", "current-state": [{"action": " "}]}, TEXTS) is None
        only_future = process_map_for({"future-state": [{"action": "Call", "kind": "step"}]}, TEXTS)
    assert only_future.states[0].steps == [] and only_future.states[1].svg
