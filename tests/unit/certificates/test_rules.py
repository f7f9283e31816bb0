"""The completion rule: each condition says how far along the participant is and what is left."""

import pytest

from qtp.certificates.rules import Facts, evaluate, is_complete

SIX_MONTH = ["modules", "knowledge_checks", "worksheets", "learning_sessions"]


def facts(**changes) -> Facts:
    base = dict(
        modules=["01", "02", "03"],
        completed={"01", "02", "03"},
        checked_modules=["01", "02"],
        best_scores={"01": 80, "02": 95},
        pass_mark=80,
        required_worksheets=["charter", "storyboard"],
        approved_worksheets={"charter", "storyboard"},
        sessions=["ls1", "ls2", "ls3"],
        attended={"ls1", "ls2", "ls3"},
    )
    base.update(changes)
    return Facts(**base)


def test_everything_done_completes_the_six_month_program():
    conditions = evaluate(SIX_MONTH, facts())
    assert [c.key for c in conditions] == SIX_MONTH and is_complete(conditions)


@pytest.mark.parametrize(
    ("change", "key", "missing"),
    [
        ({"completed": {"01", "03"}}, "modules", ["02"]),
        ({"best_scores": {"01": 79, "02": 95}}, "knowledge_checks", ["01"]),  # below the pass mark
        ({"best_scores": {"01": 90}}, "knowledge_checks", ["02"]),  # never taken
        ({"approved_worksheets": {"charter"}}, "worksheets", ["storyboard"]),
        ({"attended": {"ls1", "ls3"}}, "learning_sessions", ["ls2"]),
    ],
)
def test_each_missing_piece_fails_its_condition_only(change, key, missing):
    conditions = {c.key: c for c in evaluate(SIX_MONTH, facts(**change))}
    assert not conditions[key].met and conditions[key].missing == missing
    assert all(c.met for k, c in conditions.items() if k != key)
    assert not is_complete(list(conditions.values()))


def test_the_one_day_rule_asks_for_modules_and_the_workshop_only():
    conditions = evaluate(["modules", "learning_sessions"], facts(approved_worksheets=set(), best_scores={}))
    assert is_complete(conditions)
    assert not is_complete([])  # a program without a rule completes nobody
    with pytest.raises(ValueError):
        evaluate(["attendance"], facts())
