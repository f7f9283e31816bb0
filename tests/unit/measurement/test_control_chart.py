"""Control charts: limits computed by hand, the special-cause signals, input validation."""

import math

import pytest

from qtp.measurement.control_chart import ControlSignal, c_chart, detect_signals, p_chart, u_chart, xmr_chart


def test_p_chart_limits_for_a_known_p_bar_and_n():
    c = p_chart([18, 22, 20, 20], [100] * 4)
    assert c.centre == pytest.approx(0.2)
    assert c.values == pytest.approx([0.18, 0.22, 0.2, 0.2])
    # sigma = sqrt(0.2 * 0.8 / 100) = 0.04; limits 0.2 +- 0.12
    assert c.sigma == pytest.approx([0.04] * 4)
    assert c.upper == pytest.approx([0.32] * 4)
    assert c.lower == pytest.approx([0.08] * 4)
    assert c.signals == []


def test_p_chart_limits_vary_with_n_and_are_clipped_at_0_and_1():
    c = p_chart([5, 20], [25, 100])  # p bar = 25/125 = 0.2
    # n = 25: sigma = 0.08, 0.2 - 0.24 < 0 -> 0;  n = 100: sigma = 0.04
    assert c.upper == pytest.approx([0.44, 0.32])
    assert c.lower == pytest.approx([0.0, 0.08])
    high = p_chart([4, 3], [4, 4])  # p bar = 7/8, n = 4: sigma = sqrt(0.875*0.125/4) = 0.165 -> 1.37
    assert high.upper == [1.0, 1.0]


def test_u_chart_by_hand():
    c = u_chart([4, 6, 5, 5], [10] * 4)  # u bar = 0.5, sigma = sqrt(0.05) = 0.2236
    assert c.centre == pytest.approx(0.5)
    assert c.upper == pytest.approx([0.5 + 3 * math.sqrt(0.05)] * 4)
    assert c.lower == [0.0] * 4


def test_c_chart_by_hand():
    c = c_chart([16, 14, 18, 16])  # c bar = 16, sigma = 4
    assert (c.centre, c.upper[0], c.lower[0]) == (16, 28, 4)
    assert c_chart([4, 5, 3, 4]).lower == [0.0] * 4  # 4 - 6 < 0


def test_xmr_constants():
    c = xmr_chart([10, 12, 11, 13, 12])
    assert c.moving_ranges == [2, 1, 2, 1]
    assert c.mr_centre == 1.5 and c.centre == pytest.approx(11.6)
    assert c.upper == pytest.approx([11.6 + 2.66 * 1.5] * 5)  # 15.59
    assert c.lower == pytest.approx([11.6 - 2.66 * 1.5] * 5)  # 7.61
    assert c.mr_upper == pytest.approx(3.27 * 1.5)  # 4.905
    assert c.sigma == pytest.approx([1.5 / 1.128] * 5)


def test_xmr_lower_limit_clipped_at_zero_unless_asked():
    assert xmr_chart([1, 5, 1, 5]).lower == [0.0] * 4  # 3 - 2.66 * 4 < 0
    assert xmr_chart([1, 5, 1, 5], clip_at_zero=False).lower == pytest.approx([3 - 2.66 * 4] * 4)


def test_xmr_moving_range_signal():
    c = xmr_chart([10, 11, 10, 11, 10, 11, 10, 11, 25, 11])
    assert ControlSignal("moving-range", 7, 8, "above") in c.signals
    assert ControlSignal("outside-limits", 8, 8, "above") in c.signals


def _signals(values):
    n = len(values)
    return detect_signals(values, 0.0, [3.0] * n, [-3.0] * n, [1.0] * n)


def test_point_outside_the_limits():
    assert _signals([0.5, -0.5, 3.5, 0.5, -4]) == [
        ControlSignal("outside-limits", 2, 2, "above"),
        ControlSignal("outside-limits", 4, 4, "below"),
    ]


def test_eight_in_a_row_on_one_side():
    assert _signals([0.5] * 8 + [-0.5]) == [ControlSignal("shift", 0, 7, "above")]
    assert _signals([0.5] * 7 + [-0.5]) == []
    assert _signals([-0.5] * 4 + [0.0] + [-0.5] * 4) == [ControlSignal("shift", 0, 8, "below")]  # 0 skipped


def test_six_rising_or_falling():
    assert _signals([-1.5, -1, -0.5, 0.2, 0.5, 1.2]) == [ControlSignal("trend", 0, 5, "up")]
    assert _signals([-1, -0.5, 0.2, 0.5, 1.2]) == []
    assert _signals([1.2, 0.5, 0.5, 0.2, -0.5, -1, -1.5]) == [ControlSignal("trend", 0, 6, "down")]


def test_two_of_three_beyond_two_sigma_on_the_same_side():
    assert _signals([0.1, 2.5, -0.3, 2.2, 0.1]) == [ControlSignal("two-of-three", 1, 3, "above")]
    assert _signals([0.1, -2.5, -2.2, 0.1]) == [ControlSignal("two-of-three", 1, 2, "below")]
    assert _signals([2.5, -2.5, 0.0]) == []
    assert _signals([2.5, 0.1, 0.1, 2.5]) == []


def test_fifteen_in_a_row_within_one_sigma():
    assert _signals([0.5, -0.5] * 7 + [0.5]) == [ControlSignal("within-one-sigma", 0, 14)]
    assert _signals([0.5, -0.5] * 7) == []


def test_zone_rules_need_a_positive_sigma():
    c = p_chart([0] * 20, [10] * 20)  # p bar = 0: sigma 0, no zone signals for a flat series
    assert c.signals == [] and c.upper == [0.0] * 20
    assert xmr_chart([5] * 20).signals == []


def test_signal_indices():
    c = c_chart([4, 4, 4, 4, 4, 4, 4, 4, 4, 30])
    assert ControlSignal("outside-limits", 9, 9, "above") in c.signals
    assert ControlSignal("shift", 0, 8, "below") in c.signals
    assert c.signal_indices == set(range(10))


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: p_chart([1, 2], [3]), "same length"),
        (lambda: p_chart([], []), "at least one point"),
        (lambda: p_chart([1, 2], [3, 0]), r"denominators\[1\] is 0: it must be greater than 0"),
        (lambda: p_chart([4], [3]), "cannot be greater than"),
        (lambda: p_chart([-1], [3]), "negative"),
        (lambda: p_chart([1, None], [3, 3]), r"numerators\[1\] is None"),
        (lambda: u_chart([1], [0]), "greater than 0"),
        (lambda: u_chart([-1], [2]), "negative"),
        (lambda: u_chart([1, 2], [2]), "same length"),
        (lambda: c_chart([]), "at least one point"),
        (lambda: c_chart([1, -2]), "negative"),
        (lambda: xmr_chart([3]), "at least two points"),
        (lambda: xmr_chart([3, float("nan")]), "finite"),
    ],
)
def test_invalid_input_is_refused_with_a_message(call, message):
    with pytest.raises(ValueError, match=message):
        call()
