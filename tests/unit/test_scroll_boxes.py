"""Every box that scrolls a wide table sideways (`.table-wrap`, `.table-scroll` in any template) is a region with
a name that a keyboard can reach: on a phone, that is how someone without a touch screen scrolls the table
(axe-core: scrollable-region-focusable). The browser tests check the pages they visit; this checks them all."""

from __future__ import annotations

import re
from pathlib import Path

QTP = Path(__file__).resolve().parents[2] / "qtp"
BOX = re.compile(r'<div class="(?:[^"]* )?(?:table-wrap|table-scroll)(?: [^"]*)?"[^>]*>')


def test_every_scroll_box_is_a_named_region_a_keyboard_can_reach():
    boxes, unnamed = 0, []
    for template in sorted(QTP.rglob("*.html")):
        for tag in BOX.findall(template.read_text(encoding="utf-8")):
            boxes += 1
            if not ('role="region"' in tag and 'tabindex="0"' in tag and 'aria-labelledby="' in tag):
                unnamed.append(f"{template.relative_to(QTP)}: {tag}")
    assert boxes > 30, "the templates were found"
    assert unnamed == []


def test_each_name_points_at_an_element_of_the_same_template():
    missing = []
    for template in sorted(QTP.rglob("*.html")):
        text = template.read_text(encoding="utf-8")
        for tag in BOX.findall(text):
            target = re.search(r'aria-labelledby="([^"]+)"', tag).group(1)
            if f'id="{target}"' not in text and template.name != "_downloads.html":  # its includers name it
                missing.append(f"{template.relative_to(QTP)}: {target}")
    assert missing == []
