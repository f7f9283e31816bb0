"""The process-map worksheet's page draws the current and future state as swimlane maps from what the team
saved, keeps user text inert, and lists the steps with a notice when Graphviz is missing."""

from __future__ import annotations

import re

import pytest

from qtp.worksheets import process_map_dot
from tests.helpers import login, post_form, text_of

FORM = {
    "process-name": "Chemotherapy order to infusion start",
    "start": "Order signed",
    "end": "Infusion running",
    "current-state-0-actor": "Oncologist",
    "current-state-0-action": "Signs the order",
    "current-state-0-kind": "step",
    "current-state-1-actor": "Pharmacist",
    "current-state-1-action": "Labs within limits?",
    "current-state-1-kind": "decision",
    "current-state-1-yes-branch": "Prepares the drugs",
    "current-state-1-no-branch": "Asks for a new dose <script>alert(1)</script>",
    "current-state-1-notes": "Labs arrive late: 1 to 2 hours",
    "current-state-2-actor": "Pharmacist",
    "current-state-2-action": "Prepares the drugs",
    "current-state-2-kind": "delay",
    "current-state-3-actor": "",
    "current-state-3-action": "Infusion starts",
    "current-state-3-kind": "hand-off",
    "future-state-0-actor": "Pharmacist",
    "future-state-0-action": "Releases premixed drugs",
    "future-state-0-kind": "step",
    "future-state-0-notes": "Labs drawn the day before",
}


@pytest.fixture
def page_url(app, real_team):
    client = app.test_client()
    login(client, real_team.people["leader"].email)
    url = f"/teams/{real_team.id}/worksheets/process-map/1"
    response = post_form(client, url, {"base_version": "", **FORM}, token_from=url)
    assert response.status_code == 303
    return client, url


def test_the_page_draws_both_states_as_swimlane_maps(page_url):
    client, url = page_url
    html = text_of(client.get(url))
    section = html[html.index('<section class="diagram process-map"') :]
    svgs = re.findall(r"<svg [^>]*class=\"qtp-diagram process-map\"", section)
    assert len(svgs) == 4  # each state left to right (wide screens) and top to bottom (phones)
    assert all('role="img"' in s and "aria-labelledby=" in s for s in svgs)
    assert section.index("Current state") < section.index("Future state")
    assert 'role="region" tabindex="0"' in section and "scroll it sideways" in section
    assert ">Oncologist<" in section and ">Pharmacist<" in section and "Role not given" in section
    assert ">Yes<" in section and ">No<" in section and ">Delay<" in section
    # the notes: a callout in the map, numbered the same in the list below it
    assert ">Note 1<" in section and ">Note 2<" in section
    assert re.search(r'note-no">1\.</span> <strong>Labs within limits\?</strong>: Labs arrive late', section)
    assert re.search(r'note-no">2\.</span> <strong>Releases premixed drugs</strong>', section)
    # user text is text
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)" in section


def test_without_graphviz_the_page_lists_the_steps(page_url, monkeypatch):
    client, url = page_url
    monkeypatch.setattr(process_map_dot, "dot_binary", lambda: None)
    response = client.get(url)
    assert response.status_code == 200
    html = text_of(response)
    assert "qtp-diagram process-map" not in html
    assert "The map cannot be drawn right now, so its steps are listed in order." in html
    steps = re.findall(r"<li><strong>([^<]+)</strong>: ([^<]+?) <span", html)
    assert steps == [
        ("Oncologist", "Signs the order"),
        ("Pharmacist", "Labs within limits?"),
        ("Pharmacist", "Prepares the drugs"),
        ("Role not given", "Infusion starts"),
        ("Pharmacist", "Releases premixed drugs"),
    ]
    assert "Yes: Prepares the drugs (→ 3)" in html


def test_the_map_is_in_the_readers_language(page_url, real_team, session):
    client, url = page_url
    real_team.people["leader"].locale = "pt_BR"
    session.commit()
    html = text_of(client.get(url))
    assert "Estado atual" in html and "Função não informada" in html and ">Nota 1<" in html
    assert "role para o lado" in html


def test_other_worksheets_have_no_process_map(page_url, real_team):
    client, _ = page_url
    assert "process-map-heading" not in text_of(client.get(f"/teams/{real_team.id}/worksheets/aim/1"))
