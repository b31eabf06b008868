"""
Tests of :mod:`flinkyarn.runtime.taskexecutor.workload`: what a simulated task's source
produces, and how fast, from its deployment descriptor alone.
"""

import pytest

from flinkyarn.graph.simulation import BoundedSource, ProcessingCost, UnboundedSource
from flinkyarn.runtime.messages import InputPartition
from flinkyarn.runtime.taskexecutor.workload import (
    SourceWorkload,
    input_partitions,
    source_workload,
)


class Operator:
    def __init__(self, simulation):
        self.simulation = simulation


class Descriptor:
    """The fields of a TaskDeploymentDescriptor the workload reads."""

    def __init__(self, *simulations, index=0, parallelism=1, restored_offset=0, inputs=()):
        self.operators = tuple(Operator(simulation) for simulation in simulations)
        self.subtask_index = index
        self.number_of_subtasks = parallelism
        self.restored_offset = restored_offset
        self.inputs = inputs


def test_a_bounded_source_subtask_gets_its_share_of_records_and_rate():
    """Subtask 0 of 3 of 1000 records at 300/s produces 334 records at 100/s."""
    workload = source_workload(Descriptor(BoundedSource(1000, 300.0), parallelism=3), 5.0)
    assert workload == SourceWorkload(334, 100.0)
    assert workload.duration_ms == 3340


def test_a_source_without_a_rate_uses_the_default_rate():
    """A bounded source without a rate produces at the default rate."""
    assert source_workload(Descriptor(BoundedSource(10)), 5.0).records_per_second == 5.0


def test_the_slowest_chained_operator_caps_the_rate():
    """ProcessingCost rates cap the source's rate; costs without a rate do not."""
    workload = source_workload(Descriptor(UnboundedSource(1000.0), ProcessingCost(None),
                                          ProcessingCost(40.0), None, ProcessingCost(60.0)), 5.0)
    assert workload == SourceWorkload(None, 40.0)
    assert workload.duration_ms is None


def test_a_restored_offset_is_skipped():
    """A restored bounded source produces what is left after its offset, never less than 0."""
    assert source_workload(Descriptor(BoundedSource(100), restored_offset=30), 1.0).records == 70
    assert source_workload(Descriptor(BoundedSource(100), restored_offset=300), 1.0).records == 0


def test_production_is_paced_and_capped():
    """Records produced grow with the rate, up to the records of a bounded source."""
    workload = SourceWorkload(100, 30.0, restored_offset=5)
    assert [workload.produced_after(ms) for ms in (-5, 0, 99, 1000, 3333, 3334, 10000)] == [
        0, 0, 2, 30, 99, 100, 100]
    assert workload.offset_after(1000) == 35
    assert workload.duration_ms == 3334


def test_tasks_without_a_simulated_source_have_no_workload():
    """A task whose head operator is no simulated source has no source workload."""
    assert source_workload(Descriptor(ProcessingCost(10.0)), 5.0) is None
    assert source_workload(Descriptor(None), 5.0) is None
    assert source_workload(Descriptor(), 5.0) is None


@pytest.mark.parametrize("inputs", [
    ((InputPartition("a", "h", 1), InputPartition("b", "h", 1)), (InputPartition("c", "h", 2),)),
    (InputPartition("a", "h", 1), InputPartition("b", "h", 1), InputPartition("c", "h", 2)),
])
def test_input_partitions_flattens_the_gates(inputs):
    """The partitions of every input gate are read in order (a bare partition is a gate)."""
    assert [p.partition_id for p in input_partitions(Descriptor(inputs=inputs))] == ["a", "b", "c"]
