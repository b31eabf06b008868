"""Tests for :mod:`flinkyarn.runtime.resourcemanager.threshold_meter`."""

from yarnemu.clock import VirtualClock

from flinkyarn.runtime.resourcemanager.threshold_meter import ThresholdMeter


def test_threshold_is_reached_with_as_many_events_as_allowed():
    """The meter reports reaching the threshold once the events in the interval equal it, in
    Flink's words."""
    meter = ThresholdMeter(VirtualClock(0), 3.0)
    meter.mark_event()
    meter.mark_event()
    assert meter.exceeded() is None
    meter.mark_event()
    assert meter.exceeded() == ("3 events detected in the recent interval, reaching the "
                                "threshold 3.000000.")


def test_events_older_than_the_interval_do_not_count():
    """Only the last minute's events count."""
    clock = VirtualClock(0)
    meter = ThresholdMeter(clock, 2.0)
    meter.mark_event()
    clock.advance(61)
    meter.mark_event()
    assert meter.exceeded() is None
    assert meter.count == 2
