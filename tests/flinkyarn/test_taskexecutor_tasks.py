"""
Tests of simulated tasks in a TaskExecutor: submission into an allocated slot, the timings of
DEPLOYING → INITIALIZING → RUNNING → FINISHED for sources, cancellation, injected failures and
checkpoints, each state reported to the JobMaster.
"""

import pytest

from flinkyarn.graph.simulation import BoundedSource, ProcessingCost, UnboundedSource
from flinkyarn.runtime.errors import CheckpointException, TaskException, TaskSubmissionException
from flinkyarn.runtime.messages import SerializedThrowable

from .taskexecutor_doubles import TaskExecutorCluster, input_from


@pytest.fixture
def flink(tmp_path):
    return TaskExecutorCluster(tmp_path)


@pytest.fixture
def slot(flink):
    """A registered TaskManager with a slot for a job: ``(container, registration, job master,
    allocation id)``."""
    container, registration = flink.start_registered_task_manager("node-1")
    job_master = flink.job_manager.add_job_master()
    allocation_id = flink.allocate_slot(registration, job_master)
    return container, registration, job_master, allocation_id


def deploy(flink, slot, *simulations, **kw):
    """Submit a task with ``simulations`` in the slot; :return: ``(tdd, submission time)``."""
    container, registration, job_master, allocation_id = slot
    tdd = flink.tdd(job_master, allocation_id, simulations=simulations, **kw)
    submitted = flink.now_ms()
    assert flink.submit(job_master, registration, tdd) is None
    return tdd, submitted


def relative_states(job_master, tdd, start):
    return [(time - start, state) for time, state in job_master.states_of(tdd.execution_attempt_id)]


def test_a_bounded_source_runs_through_its_states_on_time(flink, slot):
    """A bounded source is INITIALIZING after 100 ms, RUNNING after 300 ms, done when produced."""
    tdd, submitted = deploy(flink, slot, BoundedSource(1000, 100.0))
    flink.run(20)
    job_master = slot[2]
    assert relative_states(job_master, tdd, submitted) == [
        (100, "INITIALIZING"), (300, "RUNNING"), (10300, "FINISHED")]
    final = job_master.final_state(tdd.execution_attempt_id)
    assert (final.records_out, final.error, final.job_id) == (1000, None, job_master.job_id)


def test_the_simulated_timings_are_configurable(flink):
    """Deploy and initialize times come from ``flinkyarn.simulation.task.*``."""
    flink.flink_conf.update({"flinkyarn.simulation.task.deploy-time": "1s",
                             "flinkyarn.simulation.task.initialize-time": "2s",
                             "flinkyarn.simulation.source.default-rate": "500"})
    container, registration = flink.start_registered_task_manager()
    job_master = flink.job_manager.add_job_master()
    allocation_id = flink.allocate_slot(registration, job_master)
    tdd, submitted = deploy(flink, (container, registration, job_master, allocation_id),
                            BoundedSource(1000))
    flink.run(10)
    assert relative_states(job_master, tdd, submitted) == [
        (1000, "INITIALIZING"), (3000, "RUNNING"), (5000, "FINISHED")]


def test_each_subtask_produces_its_share_at_its_share_of_the_rate(flink, slot):
    """Subtask 1 of 3 of 1000 records at 300/s produces 333 records at 100/s."""
    tdd, submitted = deploy(flink, slot, BoundedSource(1000, 300.0), index=1, parallelism=3)
    flink.run(10)
    assert relative_states(slot[2], tdd, submitted)[-1] == (300 + 3330, "FINISHED")
    assert slot[2].final_state(tdd.execution_attempt_id).records_out == 333


def test_a_restored_source_produces_only_what_is_left(flink, slot):
    """A source restored at offset 400 of 1000 produces the other 600 records."""
    tdd, submitted = deploy(flink, slot, BoundedSource(1000, 100.0), restored_offset=400)
    flink.run(10)
    assert relative_states(slot[2], tdd, submitted)[-1] == (300 + 6000, "FINISHED")
    assert slot[2].final_state(tdd.execution_attempt_id).records_out == 600


def test_the_slowest_chained_operator_caps_the_source_rate(flink, slot):
    """A chained operator processing 250 records/s slows a default-rate source to 250/s."""
    tdd, submitted = deploy(flink, slot, BoundedSource(1000), ProcessingCost(None),
                            ProcessingCost(250.0), ProcessingCost(1000.0))
    flink.run(10)
    assert relative_states(slot[2], tdd, submitted)[-1] == (300 + 4000, "FINISHED")


def test_a_source_without_a_rate_produces_at_the_default_rate(flink, slot):
    """``flinkyarn.simulation.source.default-rate`` (100000/s) paces a source without a rate."""
    tdd, submitted = deploy(flink, slot, BoundedSource(250000))
    flink.run(10)
    assert relative_states(slot[2], tdd, submitted)[-1] == (300 + 2500, "FINISHED")


def test_records_out_counts_what_was_produced_by_each_report(flink, slot):
    """Every state report carries the records produced so far."""
    tdd, _ = deploy(flink, slot, UnboundedSource(50.0))
    flink.run(2.3)
    gateway = slot[2].gateway(slot[1].resource_id)
    gateway.cancel_task(tdd.execution_attempt_id)
    flink.run(1)
    assert [state.records_out for _, state in slot[2].states] == [0, 0, 100]


def test_an_unbounded_source_runs_until_cancelled(flink, slot):
    """An unbounded source keeps RUNNING; cancelled, it is CANCELED once its code stopped."""
    container, registration, job_master, _ = slot
    tdd, submitted = deploy(flink, slot, UnboundedSource(10.0))
    flink.run(3600)
    assert [state for _, state in relative_states(job_master, tdd, submitted)] == [
        "INITIALIZING", "RUNNING"]
    cancelled = flink.now_ms()
    job_master.gateway(registration.resource_id).cancel_task(tdd.execution_attempt_id)
    flink.run(1)
    assert relative_states(job_master, tdd, cancelled)[-1] == (10, "CANCELED")
    label = f"Source: numbers (1/1)#0 ({tdd.execution_attempt_id})"
    lines = flink.log_lines(container)
    assert lines.index(f"Attempting to cancel task {label}.") < lines.index(
        f"{label} switched from RUNNING to CANCELING.") < lines.index(
        f"{label} switched from CANCELING to CANCELED.") < lines.index(
        f"Freeing task resources for {label}.") < lines.index(
        f"Un-registering task and sending final execution state CANCELED to JobManager for "
        f"task Source: numbers (1/1)#0 {tdd.execution_attempt_id}.")


def test_a_task_cancelled_while_deploying_is_canceled(flink, slot):
    """Cancelling a DEPLOYING task cancels it without it ever running."""
    container, registration, job_master, _ = slot
    tdd, submitted = deploy(flink, slot, UnboundedSource(10.0))
    job_master.gateway(registration.resource_id).cancel_task(tdd.execution_attempt_id)
    flink.run(1)
    assert relative_states(job_master, tdd, submitted) == [(10, "CANCELED")]


def test_fail_task_fails_it_with_the_simulated_cause(flink, slot):
    """fail_task makes the task FAILED with a FlinkRuntimeException carrying the cause."""
    container, registration, job_master, _ = slot
    tdd, _ = deploy(flink, slot, UnboundedSource(10.0))
    flink.run(5)
    failed = flink.now_ms()
    job_master.gateway(registration.resource_id).fail_task(tdd.execution_attempt_id, "boom")
    flink.run(1)
    final = job_master.final_state(tdd.execution_attempt_id)
    assert (job_master.states[-1][0] - failed, str(final.state)) == (10, "FAILED")
    assert final.error == SerializedThrowable("org.apache.flink.util.FlinkRuntimeException",
                                              "boom")
    assert any(line.endswith("switched from RUNNING to FAILED with failure cause: "
                             "org.apache.flink.util.FlinkRuntimeException: boom")
               for line in flink.log_lines(container))


def test_a_finished_task_can_be_followed_by_another_in_its_slot(flink, slot):
    """The slot stays the job's after a task finished: the next task of the job may run there."""
    first, _ = deploy(flink, slot, BoundedSource(10, 100.0))
    flink.run(1)
    second, submitted = deploy(flink, slot, BoundedSource(10, 100.0))
    flink.run(1)
    assert relative_states(slot[2], second, submitted)[-1] == (400, "FINISHED")


def test_submitting_without_the_slot_is_refused(flink, slot):
    """A task for an allocation the job does not hold is refused with TaskSubmissionException."""
    container, registration, job_master, _ = slot
    other = flink.ids.allocation_id()
    tdd = flink.tdd(job_master, other, simulations=(BoundedSource(1),))
    failure = flink.submit(job_master, registration, tdd)
    assert failure.value == TaskSubmissionException(
        f"No task slot allocated for job ID {job_master.job_id} and allocation ID {other}.")
    stranger = flink.job_manager.add_job_master()
    tdd = flink.tdd(stranger, slot[3], simulations=(BoundedSource(1),))
    assert flink.submit(stranger, registration, tdd).check(TaskSubmissionException)


def test_requests_about_unknown_tasks_fail(flink, slot):
    """Cancelling or checkpointing a task that is not here fails; failing it is ignored."""
    container, registration, job_master, _ = slot
    tdd = flink.tdd(job_master, slot[3])
    gateway = job_master.gateway(registration.resource_id)
    results = []
    gateway.cancel_task(tdd.execution_attempt_id).addBoth(results.append)
    gateway.trigger_checkpoint(tdd.execution_attempt_id, 1, 0).addBoth(results.append)
    gateway.fail_task(tdd.execution_attempt_id, "boom").addBoth(results.append)
    flink.run(0.001)
    assert results[0].value == TaskException(
        f"Cannot find task to stop for execution {tdd.execution_attempt_id}.")
    assert results[1].check(CheckpointException)
    assert results[2] is None


def test_a_checkpoint_is_acknowledged_with_the_source_offset(flink, slot):
    """A RUNNING source acknowledges a checkpoint after its duration with its offset then."""
    container, registration, job_master, _ = slot
    tdd, submitted = deploy(flink, slot, UnboundedSource(20.0), restored_offset=1000)
    flink.run(5)
    triggered = flink.now_ms()
    job_master.gateway(registration.resource_id).trigger_checkpoint(
        tdd.execution_attempt_id, 7, triggered)
    flink.run(1)
    [(acknowledged, arguments)] = job_master.of("acknowledge_checkpoint")
    running_for = triggered - (submitted + 300)
    assert acknowledged - triggered == 100
    assert arguments == (tdd.execution_attempt_id, 7, 1000 + running_for * 20 // 1000)


def test_a_checkpoint_of_a_non_source_acknowledges_offset_zero(flink, slot):
    """A task that is no source acknowledges checkpoints with offset 0."""
    container, registration, job_master, _ = slot
    _, partition = flink.partition_id()
    deploy(flink, slot, UnboundedSource(5.0), produced=(partition,))
    # The consumer reads the producer's partition on the same TaskExecutor.
    consumer_slot = flink.allocate_slot(registration, job_master, 1)
    consumer = flink.tdd(job_master, consumer_slot, name="Sink",
                         inputs=((input_from(job_master, registration, partition),),))
    flink.submit(job_master, registration, consumer)
    flink.run(1)
    job_master.gateway(registration.resource_id).trigger_checkpoint(
        consumer.execution_attempt_id, 1, flink.now_ms())
    flink.run(1)
    [(_, arguments)] = job_master.of("acknowledge_checkpoint")
    assert arguments == (consumer.execution_attempt_id, 1, 0)


def test_a_task_that_is_not_running_declines_a_checkpoint(flink, slot):
    """A DEPLOYING task does not acknowledge a checkpoint."""
    container, registration, job_master, _ = slot
    tdd, _ = deploy(flink, slot, UnboundedSource(20.0))
    job_master.gateway(registration.resource_id).trigger_checkpoint(
        tdd.execution_attempt_id, 1, flink.now_ms())
    flink.run(1)
    assert job_master.of("acknowledge_checkpoint") == []


def test_a_checkpoint_interrupted_by_a_failure_is_not_acknowledged(flink, slot):
    """A task that fails while snapshotting never acknowledges the checkpoint."""
    container, registration, job_master, _ = slot
    tdd, _ = deploy(flink, slot, UnboundedSource(20.0))
    flink.run(1)
    gateway = job_master.gateway(registration.resource_id)
    gateway.trigger_checkpoint(tdd.execution_attempt_id, 1, flink.now_ms())
    gateway.fail_task(tdd.execution_attempt_id, "boom")
    flink.run(1)
    assert job_master.of("acknowledge_checkpoint") == []


def test_a_task_its_job_master_does_not_know_is_failed(flink, slot):
    """A task whose state update the JobMaster answers as unknown is failed."""
    container, registration, job_master, _ = slot
    job_master.knows = lambda state: str(state.state) != "RUNNING"
    tdd, submitted = deploy(flink, slot, UnboundedSource(10.0))
    flink.run(1)
    assert relative_states(job_master, tdd, submitted) == [
        (100, "INITIALIZING"), (300, "RUNNING"), (310, "FAILED")]
    assert job_master.final_state(tdd.execution_attempt_id).error == SerializedThrowable(
        "org.apache.flink.runtime.executiongraph.ExecutionGraphException",
        f"The execution attempt {tdd.execution_attempt_id} was not found.")
