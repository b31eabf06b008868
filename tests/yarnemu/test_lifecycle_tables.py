"""
Tests for :mod:`yarnemu.lifecycle`: the transition tables and their machinery.
"""

import pytest

from yarnemu.errors import InvalidStateTransitionException
from yarnemu.lifecycle.machine import TransitionTable
from yarnemu.lifecycle.nmcontainer import NM_CONTAINER_TRANSITIONS, ContainerEventType
from yarnemu.lifecycle.rmapp import RM_APP_TRANSITIONS, RMAppEventType
from yarnemu.lifecycle.rmattempt import RM_APP_ATTEMPT_TRANSITIONS, RMAppAttemptEventType
from yarnemu.lifecycle.rmcontainer import RM_CONTAINER_TRANSITIONS, RMContainerEventType
from yarnemu.lifecycle.rmnode import RM_NODE_TRANSITIONS, RMNodeEventType
from yarnemu.records.states import (
    NMContainerState,
    NodeState,
    RMAppAttemptState,
    RMAppState,
    RMContainerState,
)


def test_a_table_refuses_inputs_it_does_not_allow():
    """An input with no arc in the current state raises InvalidStateTransitionException."""
    with pytest.raises(InvalidStateTransitionException) as error:
        RM_APP_TRANSITIONS.next_state(RMAppState.NEW, RMAppEventType.ATTEMPT_REGISTERED)
    assert error.value.message == "Invalid event: ATTEMPT_REGISTERED at NEW"


def test_ignored_inputs_change_nothing():
    """An input Hadoop ignores in a state gives ``None`` (stay put) instead of an error."""
    assert RM_APP_TRANSITIONS.next_state(RMAppState.KILLED, RMAppEventType.KILL) is None
    assert RM_CONTAINER_TRANSITIONS.next_state(RMContainerState.COMPLETED,
                                               RMContainerEventType.KILL) is None


def test_a_target_outside_the_allowed_ones_is_refused():
    """Asking for a target the arc does not allow raises."""
    with pytest.raises(InvalidStateTransitionException):
        RM_APP_TRANSITIONS.next_state(RMAppState.ACCEPTED, RMAppEventType.ATTEMPT_FAILED,
                                      RMAppState.FINISHED)
    assert RM_APP_TRANSITIONS.next_state(RMAppState.ACCEPTED, RMAppEventType.ATTEMPT_FAILED,
                                         RMAppState.ACCEPTED) is RMAppState.ACCEPTED


def test_an_ambiguous_arc_needs_a_target():
    """An arc with several targets cannot be taken without choosing one."""
    with pytest.raises(ValueError):
        RM_APP_TRANSITIONS.next_state(RMAppState.ACCEPTED, RMAppEventType.ATTEMPT_FAILED)


def test_duplicate_and_contradictory_definitions_are_refused():
    """A table with two arcs for one (state, input), or an arc also ignored, is a bug."""
    with pytest.raises(ValueError):
        TransitionTable("t", arcs=[("A", "go", "B"), ("A", "go", "C")])
    with pytest.raises(ValueError):
        TransitionTable("t", arcs=[("A", "go", "B")], ignored=[("A", "go")])


def test_tuples_expand_over_states_and_inputs():
    """Tuples of states and of inputs in an arc expand to every combination."""
    table = TransitionTable("t", arcs=[(("A", "B"), ("x", "y"), "C")])
    assert {(state, event) for state, event, _ in table.arcs()} == {
        ("A", "x"), ("A", "y"), ("B", "x"), ("B", "y")}


@pytest.mark.parametrize("table, path", [
    (RM_APP_TRANSITIONS, [
        (RMAppState.NEW, RMAppEventType.START, RMAppState.NEW_SAVING),
        (RMAppState.NEW_SAVING, RMAppEventType.APP_NEW_SAVED, RMAppState.SUBMITTED),
        (RMAppState.SUBMITTED, RMAppEventType.APP_ACCEPTED, RMAppState.ACCEPTED),
        (RMAppState.ACCEPTED, RMAppEventType.ATTEMPT_REGISTERED, RMAppState.RUNNING),
        (RMAppState.RUNNING, RMAppEventType.ATTEMPT_UNREGISTERED, RMAppState.FINAL_SAVING),
        (RMAppState.FINAL_SAVING, RMAppEventType.APP_UPDATE_SAVED, RMAppState.FINISHING),
        (RMAppState.FINISHING, RMAppEventType.ATTEMPT_FINISHED, RMAppState.FINISHED),
    ]),
    (RM_APP_ATTEMPT_TRANSITIONS, [
        (RMAppAttemptState.NEW, RMAppAttemptEventType.START, RMAppAttemptState.SUBMITTED),
        (RMAppAttemptState.SUBMITTED, RMAppAttemptEventType.ATTEMPT_ADDED, RMAppAttemptState.SCHEDULED),
        (RMAppAttemptState.SCHEDULED, RMAppAttemptEventType.CONTAINER_ALLOCATED,
         RMAppAttemptState.ALLOCATED_SAVING),
        (RMAppAttemptState.ALLOCATED_SAVING, RMAppAttemptEventType.ATTEMPT_NEW_SAVED,
         RMAppAttemptState.ALLOCATED),
        (RMAppAttemptState.ALLOCATED, RMAppAttemptEventType.LAUNCHED, RMAppAttemptState.LAUNCHED),
        (RMAppAttemptState.LAUNCHED, RMAppAttemptEventType.REGISTERED, RMAppAttemptState.RUNNING),
        (RMAppAttemptState.RUNNING, RMAppAttemptEventType.UNREGISTERED, RMAppAttemptState.FINAL_SAVING),
        (RMAppAttemptState.FINAL_SAVING, RMAppAttemptEventType.ATTEMPT_UPDATE_SAVED,
         RMAppAttemptState.FINISHING),
        (RMAppAttemptState.FINISHING, RMAppAttemptEventType.CONTAINER_FINISHED,
         RMAppAttemptState.FINISHED),
    ]),
    (RM_CONTAINER_TRANSITIONS, [
        (RMContainerState.NEW, RMContainerEventType.START, RMContainerState.ALLOCATED),
        (RMContainerState.ALLOCATED, RMContainerEventType.ACQUIRED, RMContainerState.ACQUIRED),
        (RMContainerState.ACQUIRED, RMContainerEventType.LAUNCHED, RMContainerState.RUNNING),
        (RMContainerState.RUNNING, RMContainerEventType.FINISHED, RMContainerState.COMPLETED),
    ]),
    (RM_NODE_TRANSITIONS, [
        (NodeState.NEW, RMNodeEventType.STARTED, NodeState.RUNNING),
        (NodeState.RUNNING, RMNodeEventType.EXPIRE, NodeState.LOST),
    ]),
    (NM_CONTAINER_TRANSITIONS, [
        (NMContainerState.NEW, ContainerEventType.INIT_CONTAINER, NMContainerState.LOCALIZING),
        (NMContainerState.LOCALIZING, ContainerEventType.RESOURCE_LOCALIZED,
         NMContainerState.SCHEDULED),
        (NMContainerState.SCHEDULED, ContainerEventType.CONTAINER_LAUNCHED, NMContainerState.RUNNING),
        (NMContainerState.RUNNING, ContainerEventType.CONTAINER_EXITED_WITH_SUCCESS,
         NMContainerState.EXITED_WITH_SUCCESS),
        (NMContainerState.EXITED_WITH_SUCCESS, ContainerEventType.CONTAINER_RESOURCES_CLEANEDUP,
         NMContainerState.DONE),
    ]),
])
def test_the_happy_paths_are_in_the_tables(table, path):
    """Each lifecycle's happy path, as Hadoop documents it, is a chain of allowed arcs."""
    for state, event, target in path:
        assert table.next_state(state, event, target) is target


def test_terminal_node_states_have_no_way_out():
    """LOST, REBOOTED, DECOMMISSIONED and SHUTDOWN nodes accept no transition."""
    for state, _, _ in RM_NODE_TRANSITIONS.arcs():
        assert not state.is_inactive
