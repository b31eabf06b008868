"""
Tests for :mod:`yarnemu.records.states` and :mod:`yarnemu.records.exit_status`.
"""

import pytest

from yarnemu.records.exit_status import ContainerExitStatus, ProcessExitCode, describe_exit_status
from yarnemu.records.states import (
    ContainerState,
    NMContainerState,
    NodeState,
    RMAppAttemptState,
    RMAppState,
    YarnApplicationAttemptState,
    YarnApplicationState,
    public_container_state,
    yarn_application_attempt_state,
    yarn_application_state,
)


def test_enums_keep_hadoops_names_and_order():
    """The state enums list Hadoop's values in Hadoop's declaration order."""
    assert [s.value for s in RMAppState] == [
        "NEW", "NEW_SAVING", "SUBMITTED", "ACCEPTED", "RUNNING", "FINAL_SAVING", "FINISHING",
        "FINISHED", "FAILED", "KILLING", "KILLED"]
    assert [s.value for s in YarnApplicationState] == [
        "NEW", "NEW_SAVING", "SUBMITTED", "ACCEPTED", "RUNNING", "FINISHED", "FAILED", "KILLED"]
    assert [s.value for s in NodeState] == [
        "NEW", "RUNNING", "UNHEALTHY", "DECOMMISSIONED", "LOST", "REBOOTED", "DECOMMISSIONING",
        "SHUTDOWN"]
    assert [s.value for s in ContainerState] == ["NEW", "RUNNING", "COMPLETE", "SCHEDULED"]


@pytest.mark.parametrize("state, before_final, before_killing, expected", [
    (RMAppState.NEW, None, None, YarnApplicationState.NEW),
    (RMAppState.RUNNING, None, None, YarnApplicationState.RUNNING),
    (RMAppState.FINISHING, None, None, YarnApplicationState.FINISHED),
    (RMAppState.FINISHED, None, None, YarnApplicationState.FINISHED),
    (RMAppState.KILLED, None, None, YarnApplicationState.KILLED),
    (RMAppState.FINAL_SAVING, RMAppState.RUNNING, None, YarnApplicationState.RUNNING),
    (RMAppState.KILLING, None, RMAppState.ACCEPTED, YarnApplicationState.ACCEPTED),
    (RMAppState.FINAL_SAVING, RMAppState.KILLING, RMAppState.RUNNING, YarnApplicationState.RUNNING),
    (RMAppState.KILLING, None, None, YarnApplicationState.KILLED),
])
def test_internal_app_states_map_to_the_eight_client_states(state, before_final, before_killing,
                                                            expected):
    """RMAppState maps to YarnApplicationState as RMAppImpl#createApplicationState does."""
    assert yarn_application_state(state, before_final, before_killing) is expected


def test_every_internal_state_maps_to_a_client_state():
    """Each of the eleven internal states has a client-visible form."""
    for state in RMAppState:
        assert isinstance(yarn_application_state(state, RMAppState.RUNNING, RMAppState.RUNNING),
                          YarnApplicationState)


def test_attempt_states_map_to_their_client_form():
    """LAUNCHED_UNMANAGED_SAVING shows as ALLOCATED_SAVING and FINAL_SAVING as its origin."""
    assert yarn_application_attempt_state(RMAppAttemptState.LAUNCHED_UNMANAGED_SAVING) is (
        YarnApplicationAttemptState.ALLOCATED_SAVING)
    assert yarn_application_attempt_state(RMAppAttemptState.FINAL_SAVING,
                                          RMAppAttemptState.RUNNING) is (
        YarnApplicationAttemptState.RUNNING)


def test_nm_container_states_map_to_the_public_ones():
    """Before launch a container shows SCHEDULED, after DONE it is COMPLETE, else RUNNING."""
    assert public_container_state(NMContainerState.LOCALIZING) is ContainerState.SCHEDULED
    assert public_container_state(NMContainerState.KILLING) is ContainerState.RUNNING
    assert public_container_state(NMContainerState.DONE) is ContainerState.COMPLETE


def test_unusable_node_states():
    """UNHEALTHY, DECOMMISSIONED, LOST and SHUTDOWN are unusable, as NodeState#isUnusable says."""
    assert {s for s in NodeState if s.is_unusable} == {
        NodeState.UNHEALTHY, NodeState.DECOMMISSIONED, NodeState.LOST, NodeState.SHUTDOWN}


def test_the_full_container_exit_status_table():
    """ContainerExitStatus holds YARN's full table of special exit statuses."""
    assert {s.name: s.value for s in ContainerExitStatus} == {
        "SUCCESS": 0, "INVALID": -1000, "ABORTED": -100, "DISKS_FAILED": -101, "PREEMPTED": -102,
        "KILLED_EXCEEDED_VMEM": -103, "KILLED_EXCEEDED_PMEM": -104, "KILLED_BY_APPMASTER": -105,
        "KILLED_BY_RESOURCEMANAGER": -106, "KILLED_AFTER_APP_COMPLETION": -107,
        "KILLED_BY_CONTAINER_SCHEDULER": -108, "KILLED_FOR_EXCESS_LOGS": -109}
    assert {c.name: c.value for c in ProcessExitCode} == {
        "SUCCESS": 0, "FORCE_KILLED": 137, "TERMINATED": 143, "LOST": 154}


def test_exit_statuses_are_described():
    """Special statuses get YARN's meaning; other codes are plain exit codes."""
    assert "lost" in describe_exit_status(-100)
    assert describe_exit_status(3) == "exit code 3"
