"""
Tests of the simulated shuffle between TaskExecutors: consumers finish once the partitions they
read have ended, and fail — in Flink's words — when a producer fails, is cancelled, never shows
up, or its TaskManager process dies.
"""

import pytest

from flinkyarn.graph.simulation import BoundedSource, UnboundedSource
from flinkyarn.runtime.messages import SerializedThrowable

from .taskexecutor_doubles import TaskExecutorCluster, input_from


class Pipeline:
    """A producer TaskManager on node-1 and a consumer TaskManager on node-2, one job."""

    def __init__(self, flink):
        self.flink = flink
        self.producer_container, self.producer_tm = flink.start_registered_task_manager("node-1")
        self.consumer_container, self.consumer_tm = flink.start_registered_task_manager("node-2")
        self.job_master = flink.job_manager.add_job_master()
        self.producer_slot = flink.allocate_slot(self.producer_tm, self.job_master)
        self.consumer_slot = flink.allocate_slot(self.consumer_tm, self.job_master)

    def produce(self, *partitions, simulation=BoundedSource(1000, 1000.0)):
        """Deploy a producer of ``partitions``; :return: its tdd and submission time."""
        tdd = self.flink.tdd(self.job_master, self.producer_slot, simulations=(simulation,),
                             produced=partitions)
        submitted = self.flink.now_ms()
        assert self.flink.submit(self.job_master, self.producer_tm, tdd) is None
        return tdd, submitted

    def consume(self, *partitions):
        """Deploy a consumer of ``partitions`` (produced on node-1); :return: tdd, time."""
        inputs = (tuple(input_from(self.job_master, self.producer_tm, partition)
                        for partition in partitions),)
        tdd = self.flink.tdd(self.job_master, self.consumer_slot, name="Sink: print",
                             inputs=inputs)
        submitted = self.flink.now_ms()
        assert self.flink.submit(self.job_master, self.consumer_tm, tdd) is None
        return tdd, submitted

    def states(self, tdd):
        return self.job_master.states_of(tdd.execution_attempt_id)

    def final(self, tdd):
        return self.job_master.final_state(tdd.execution_attempt_id)


@pytest.fixture
def flink(tmp_path):
    return TaskExecutorCluster(tmp_path)


@pytest.fixture
def pipeline(flink):
    return Pipeline(flink)


def test_a_consumer_finishes_once_its_inputs_ended(flink, pipeline):
    """A consumer FINISHES end-of-input-time (10 ms) after the last partition it reads ended."""
    _, first = flink.partition_id(0)
    _, second = flink.partition_id(1)
    producer, _ = pipeline.produce(first, second)
    consumer, _ = pipeline.consume(first, second)
    flink.run(5)
    [(producer_finished, _)] = [entry for entry in pipeline.states(producer)
                                if entry[1] == "FINISHED"]
    assert pipeline.states(consumer)[-1] == (producer_finished + 10, "FINISHED")
    assert pipeline.final(consumer).records_out == 0


def test_a_consumer_of_an_ended_partition_finishes_at_once(flink, pipeline):
    """A consumer deployed after its producer finished finishes right after it runs."""
    _, partition = flink.partition_id()
    pipeline.produce(partition, simulation=BoundedSource(10, 1000.0))
    flink.run(5)
    consumer, submitted = pipeline.consume(partition)
    flink.run(5)
    assert [(time - submitted, state) for time, state in pipeline.states(consumer)] == [
        (100, "INITIALIZING"), (300, "RUNNING"), (310, "FINISHED")]


def test_a_consumer_asks_again_for_a_partition_not_there_yet(flink, pipeline):
    """A partition whose producer is not deployed yet is asked for again, with back-off."""
    _, partition = flink.partition_id()
    consumer, submitted = pipeline.consume(partition)
    flink.run(0.5)
    pipeline.produce(partition, simulation=BoundedSource(100, 1000.0))
    flink.run(5)
    assert str(pipeline.final(consumer).state) == "FINISHED"


def test_a_partition_that_never_appears_fails_the_consumer(flink, pipeline):
    """Without the partition after the whole back-off (22.7 s), the consumer fails."""
    _, partition = flink.partition_id()
    consumer, submitted = pipeline.consume(partition)
    flink.run(60)
    time, state = pipeline.states(consumer)[-1]
    assert (time - submitted - 300, state) == (22700, "FAILED")
    assert pipeline.final(consumer).error == SerializedThrowable(
        "org.apache.flink.runtime.io.network.partition.PartitionNotFoundException",
        f"Partition {partition} not found.")


def test_a_dying_producer_process_fails_its_consumers(flink, pipeline):
    """When the producer's TaskManager dies, the consumer fails with a RemoteTransportException."""
    _, partition = flink.partition_id()
    pipeline.produce(partition, simulation=UnboundedSource(100.0))
    consumer, _ = pipeline.consume(partition)
    flink.run(5)
    stopped = flink.now_ms()
    flink.stop_container(pipeline.producer_container)
    flink.run(1)
    assert pipeline.states(consumer)[-1] == (stopped, "FAILED")
    host, port = pipeline.job_master.data_address(pipeline.producer_tm.resource_id)
    assert pipeline.final(consumer).error == SerializedThrowable(
        "org.apache.flink.runtime.io.network.netty.exception.RemoteTransportException",
        f"Connection unexpectedly closed by remote task manager '{host}:{port}'. This might "
        f"indicate that the remote task manager was lost.")
    assert flink.run_until_exit(pipeline.producer_container) == 143


def test_a_lost_producer_node_fails_its_consumers(flink, pipeline):
    """A producer whose node is lost (no SIGTERM, the process is just gone) fails consumers."""
    _, partition = flink.partition_id()
    pipeline.produce(partition, simulation=UnboundedSource(100.0))
    consumer, _ = pipeline.consume(partition)
    flink.run(5)
    flink.cluster.node_managers["node-1"].fail()
    flink.run(1)
    assert str(pipeline.final(consumer).state) == "FAILED"
    assert pipeline.final(consumer).error.exception_class.endswith("RemoteTransportException")


def test_a_consumer_of_a_dead_task_manager_cannot_connect(flink, pipeline):
    """Asking a TaskManager that is already gone fails with 'Connecting … has failed'."""
    _, partition = flink.partition_id()
    flink.stop_container(pipeline.producer_container)
    flink.run(1)
    consumer, _ = pipeline.consume(partition)
    flink.run(1)
    host, port = pipeline.job_master.data_address(pipeline.producer_tm.resource_id)
    assert pipeline.final(consumer).error == SerializedThrowable(
        "org.apache.flink.runtime.io.network.netty.exception.RemoteTransportException",
        f"Connecting to remote task manager '{host}:{port}' has failed. This might indicate "
        f"that the remote task manager has been lost.")


def test_a_failed_producer_fails_its_consumers(flink, pipeline):
    """A producer that fails fails its consumers with a ProducerFailedException."""
    _, partition = flink.partition_id()
    producer, _ = pipeline.produce(partition, simulation=UnboundedSource(100.0))
    consumer, _ = pipeline.consume(partition)
    flink.run(5)
    pipeline.job_master.gateway(pipeline.producer_tm.resource_id).fail_task(
        producer.execution_attempt_id, "boom")
    flink.run(1)
    assert [state for _, state in pipeline.states(consumer)][-1] == "FAILED"
    assert pipeline.final(consumer).error == SerializedThrowable(
        "org.apache.flink.runtime.io.network.partition.ProducerFailedException",
        "org.apache.flink.util.FlinkRuntimeException: boom")


def test_a_cancelled_producer_fails_its_consumers(flink, pipeline):
    """A cancelled producer fails its consumers with a ProducerFailedException."""
    _, partition = flink.partition_id()
    producer, _ = pipeline.produce(partition, simulation=UnboundedSource(100.0))
    consumer, _ = pipeline.consume(partition)
    flink.run(5)
    pipeline.job_master.gateway(pipeline.producer_tm.resource_id).cancel_task(
        producer.execution_attempt_id)
    flink.run(1)
    assert pipeline.final(consumer).error == SerializedThrowable(
        "org.apache.flink.runtime.io.network.partition.ProducerFailedException",
        "org.apache.flink.runtime.execution.CancelTaskException")


def test_a_restarted_producer_serves_its_new_consumers(flink, pipeline):
    """After a failed attempt, a new producer attempt of the same partition ends it anew."""
    _, partition = flink.partition_id()
    producer, _ = pipeline.produce(partition, simulation=UnboundedSource(100.0))
    consumer, _ = pipeline.consume(partition)
    flink.run(2)
    pipeline.job_master.gateway(pipeline.producer_tm.resource_id).fail_task(
        producer.execution_attempt_id, "boom")
    flink.run(1)
    pipeline.produce(partition, simulation=BoundedSource(100, 1000.0))
    consumer, _ = pipeline.consume(partition)
    flink.run(2)
    assert str(pipeline.final(consumer).state) == "FINISHED"
