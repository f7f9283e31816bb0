"""The bundle page lists a program's decks one module a row, by title, PowerPoint and PDF side by side."""

from qtp.licensing.queries import deck_rows


def _entry(path):
    return {"path": path, "size": 10}


def test_decks_are_grouped_by_module_in_the_programs_order_and_titled():
    paths = ("slides/02-aim.pptx", "slides/01-why.pdf", "slides/01-why.pptx", "slides/02-aim.pdf")
    entries = [_entry(p) for p in paths]
    entries.append(_entry("slides/extra.pdf"))
    titles = {"01-why": (1, "Por qué la calidad"), "02-aim": (2, "El objetivo SMART")}
    rows = deck_rows(entries, titles)
    assert [(r.number, r.title) for r in rows] == [(1, "Por qué la calidad"), (2, "El objetivo SMART"), (None, "extra")]
    assert rows[0].pptx["path"] == "slides/01-why.pptx" and rows[0].pdf["path"] == "slides/01-why.pdf"
    assert rows[2].pptx is None and rows[2].pdf["path"] == "slides/extra.pdf"
