"""
Tests for :mod:`yarnemu.events` and :mod:`yarnemu.timeline`.
"""

import io
import json

import pytest

from yarnemu.clock import VirtualClock
from yarnemu.events import AppStateChanged, ContainerAllocated, EventLog, event_to_json
from yarnemu.records.ids import ApplicationAttemptId, ApplicationId, ContainerId, NodeId
from yarnemu.records.resource import Resource
from yarnemu.records.states import NodeType, RMAppState
from yarnemu.timeline import TimelinePrinter, format_event, format_offset

APP = ApplicationId(1767225600000, 1)


def test_events_are_stamped_with_virtual_milliseconds():
    """``EventLog.now`` is the clock's time in integer epoch ms."""
    clock = VirtualClock(1767225600.0)
    clock.advance(1.25)
    assert EventLog(clock).now() == 1767225601250


def test_listeners_see_every_event_in_order_and_can_unsubscribe():
    """Listeners are called for each emitted event, in order, until they unsubscribe."""
    log = EventLog(VirtualClock())
    seen = []
    unsubscribe = log.subscribe(seen.append)
    first = AppStateChanged(1, APP, RMAppState.NEW, RMAppState.NEW_SAVING, "START")
    log.emit(first)
    unsubscribe()
    log.emit(AppStateChanged(2, APP, RMAppState.NEW_SAVING, RMAppState.SUBMITTED, "APP_NEW_SAVED"))
    assert seen == [first] and len(log.events) == 2


def test_a_bounded_log_keeps_the_latest_events():
    """With ``max_events`` only the most recent events are kept."""
    log = EventLog(VirtualClock(), max_events=2)
    for time in range(5):
        log.log("test", "INFO", f"line {time}")
    assert [event.message for event in log.events] == ["line 3", "line 4"]


def test_json_lines_are_stable_and_typed():
    """Events serialize with time, kind and their fields; ids, enums and resources as JSON."""
    container = ContainerId(ApplicationAttemptId(APP, 1), 2)
    event = ContainerAllocated(5, container, NodeId("node-0", 45454), Resource(1024, 1), 1,
                               NodeType.OFF_SWITCH, "default")
    assert event_to_json(event) == {
        "time": 5, "kind": "container.allocated",
        "container_id": "container_1767225600000_0001_01_000002", "node_id": "node-0:45454",
        "resource": {"memory": 1024, "vCores": 1}, "priority": 1, "locality": "OFF_SWITCH",
        "queue": "default"}
    log = EventLog(VirtualClock())
    log.emit(event)
    stream = io.StringIO()
    log.write_jsonl(stream)
    assert json.loads(stream.getvalue()) == event_to_json(event)
    assert stream.getvalue().count("\n") == 1


def test_timeline_lines_show_offset_component_subject_and_what_happened():
    """A timeline line reads as offset, component, id and description."""
    event = AppStateChanged(1767225601500, APP, RMAppState.ACCEPTED, RMAppState.RUNNING,
                            "ATTEMPT_REGISTERED")
    line = format_event(event, 1767225600000)
    assert line.split() == ["+00:01.500", "RM", str(APP), "ACCEPTED", "->", "RUNNING", "on",
                            "ATTEMPT_REGISTERED"]
    assert format_offset(3_723_004) == "+1:02:03.004"


def test_timeline_printer_hides_the_nodemanagers_own_container_states_by_default():
    """The printer skips ``nm.container.state`` unless asked for it."""
    stream = io.StringIO()
    log = EventLog(VirtualClock())
    log.subscribe(TimelinePrinter(stream, 0))
    log.log("NM", "WARN", "hello")
    assert "hello" in stream.getvalue()


def test_timeline_printer_can_select_events_by_predicate():
    """With ``select`` only the events it accepts are printed; ``kinds`` and ``select`` exclude
    each other."""
    stream = io.StringIO()
    log = EventLog(VirtualClock())
    log.subscribe(TimelinePrinter(stream, 0, select=lambda event: event.level == "WARN"))
    log.log("NM", "WARN", "shown")
    log.log("NM", "INFO", "hidden")
    assert "shown" in stream.getvalue() and "hidden" not in stream.getvalue()
    with pytest.raises(ValueError):
        TimelinePrinter(stream, 0, kinds={"log"}, select=lambda event: True)
