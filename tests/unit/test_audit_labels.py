"""Every audit action the code records has a sentence for people (the activity list, the audit log)."""

import re
from pathlib import Path

from qtp.core.audit_labels import ACTION_LABELS, action_label

ROOT = Path(__file__).resolve().parents[2] / "qtp"
CALL = re.compile(r"audit\.record\(\s*[^,()]+(?:\([^()]*\))?,\s*[^,()]+(?:\([^()]*\))?,\s*(f?)\"([^\"]+)\"")


def recorded_actions() -> dict[str, str]:
    found = {}
    for path in ROOT.rglob("*.py"):
        for match in CALL.finditer(path.read_text(encoding="utf-8")):
            assert not match.group(1), f"{path}: an audit action built at run time cannot be labelled"
            found[match.group(2)] = str(path)
    return found


def test_every_recorded_action_has_a_label():
    actions = recorded_actions()
    assert len(actions) >= 50, "the scan found the audit calls"
    missing = {action: path for action, path in actions.items() if action not in ACTION_LABELS}
    assert not missing


def test_a_label_is_a_sentence_and_an_unknown_key_shows_itself(app):
    with app.test_request_context():
        assert action_label("account.signed_in") == "Signed in"
        assert action_label("something.new") == "something.new"
    assert all(str(label)[0].isupper() and "." not in str(label) for label in ACTION_LABELS.values())
