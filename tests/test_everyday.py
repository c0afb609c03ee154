"""Issue 17's measure: everyday requests come out fully right (tests/everyday.py, checked by
tests/everyday_check.py from the plans), and the ones that are not are listed."""

import pytest

from everyday import ALL_CASES
from everyday_check import check
from seespeech import imagine
from seespeech.pictures.prompt import prompt_from_text

#: the share of everyday requests that must be fully right (measured: see docs/pictures.md)
TARGET = 0.90


@pytest.fixture(scope="module")
def verdicts():
    found = {}
    for case in ALL_CASES:
        plan = imagine(prompt_from_text(case["text"]), seed=0).plans[0]
        found[case["id"]] = check(case, plan)
    return found


def test_at_least_ninety_percent_of_everyday_requests_are_fully_right(verdicts):
    wrong = {k: v for k, v in verdicts.items() if v}
    right = len(verdicts) - len(wrong)
    assert right / len(verdicts) >= TARGET, (f"{right}/{len(verdicts)} fully right", wrong)


@pytest.mark.parametrize("seed", [1, 7])
def test_other_seeds_are_right_as_often(seed):
    """The layout is not tuned to seed 0: other seeds pass nearly as many."""
    right = sum(not check(c, imagine(prompt_from_text(c["text"]), seed=seed).plans[0]) for c in ALL_CASES)
    assert right / len(ALL_CASES) >= TARGET - 0.05, right


def test_the_checker_can_fail():
    """A plan that drew the wrong thing, too small, in the wrong place, is caught on each count."""
    case = {"text": "a cat on a sofa", "objects": {"cat": 1, "sofa": 1}, "relations": [("cat", "on", "sofa")],
            "place": "living room"}
    plan = {"size": [512, 512], "setting": {"place": "outdoors", "time": "day", "weather": []},
            "objects": [{"noun": "cat", "asset": {"name": "cat"}, "boxes": [[10, 10, 20, 20]], "layers": [2]},
                        {"noun": "sofa", "asset": {"name": "couch"}, "boxes": [[200, 300, 400, 400]], "layers": [1]}],
            "unmatched": []}
    problems = " ".join(check(case, plan))
    assert "0.04% of the picture" in problems and "cat on sofa: does not hold" in problems
    assert "place outdoors" in problems
