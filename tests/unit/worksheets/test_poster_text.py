"""Shortening the poster's texts so that it fits its page: cut at a word, marked with an ellipsis and a note."""

from __future__ import annotations

from qtp.worksheets.export import TeamHeader
from qtp.worksheets.export_storyboard import Block, Cycle, Figure, PosterDocument, clip, shortened


def test_clip_cuts_at_a_word_and_adds_an_ellipsis():
    assert clip("short text", 50) == "short text"
    assert clip("The nurse answered, every call within two hours.", 22) == "The nurse answered\u2026"
    assert clip("x" * 30, 10) == "x" * 10 + "\u2026"


def poster(**changes) -> PosterDocument:
    cycles = [Cycle(f"PDSA {n}", "", "Adopt", "adopt", [("We predicted", "word " * 100)]) for n in range(1, 6)]
    values = {
        "lang": "en",
        "size": "a3",
        "title": "Storyboard",
        "team": TeamHeader("Project", "Clinic", "City", "Cohort"),
        "members": "",
        "aim": "Increase the share of calls answered within 2 hours.",
        "aim_facts": [],
        "chart": Figure("Calls", "<svg/>", ["Median: 50%.", "Shift: points 11-18.", "Trend.", "Runs."]),
        "driver": None,
        "blocks": [Block("lessons", "Lessons learned", "lesson " * 300), Block("changes", "Changes", cycles=cycles)],
        "numbers": [],
        "generated_on": "December 7, 2026",
    }
    return PosterDocument(**{**values, **changes})


def test_shortened_clips_texts_and_counts_the_cycles_left_out():
    doc = shortened(poster(), 200, 2, compact=True)
    lessons, changes = doc.blocks
    assert len(lessons.text) <= 201 and lessons.text.endswith("\u2026") and lessons.text_clipped
    assert [c.heading for c in changes.cycles] == ["PDSA 1", "PDSA 2"] and changes.hidden == 3
    assert all(len(text) <= 101 for c in changes.cycles for _label, text in c.facts)
    assert doc.aim == poster().aim  # short enough: left whole
    assert doc.clipped and doc.compact


def test_a_poster_that_fits_is_not_marked_shortened():
    short = poster(blocks=[Block("lessons", "Lessons learned", "Name one person for each task.")])
    assert not shortened(short, 1200).clipped
    assert short.text_columns == 3 and not short.is_sparse
