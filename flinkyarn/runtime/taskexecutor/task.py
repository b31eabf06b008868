"""
:class:`Task`: one subtask attempt running in a TaskExecutor's slot, simulated (Flink's
``org.apache.flink.runtime.taskmanager.Task``).

A task is DEPLOYING when submitted, INITIALIZING after ``flinkyarn.simulation.task.deploy-time``
and RUNNING after ``…task.initialize-time`` more.  Then:

- a bounded source produces its records (:mod:`~flinkyarn.runtime.taskexecutor.workload`) and
  FINISHES when the last one is out;
- an unbounded source runs until it is cancelled or failed;
- any other task waits for the end of every partition it reads
  (:class:`~flinkyarn.runtime.taskexecutor.input_gate.InputGate`) and FINISHES
  ``…task.end-of-input-time`` after the last one ended — or FAILS as soon as one broke.

A FLIP-40 driver task (its operator carries a
:class:`~flinkyarn.graph.driver_program.DriverProgram`) runs the program's ``main()`` once
RUNNING, as :class:`~flinkyarn.driver.task.FlinkDriver` does, and FINISHES when ``main()``
returns — or FAILS with what it raised; cancelling or failing it from outside abandons
``main()``.  Like the invokable class of a real task, the driver's code is loaded only when such a
task runs.

A synchronous savepoint (stop-with-savepoint) stops a source where it is: it produces nothing
more, and FINISHES once the savepoint is confirmed complete, so that the tasks behind it see the
end of their input and finish too; should the savepoint be aborted instead, the source carries on
from where it stopped.

Cancelling moves a running task to CANCELING and, once its code has stopped
(``end-of-input-time`` later), to CANCELED; failing it from outside moves it to FAILED at once
and it is gone once its code has stopped.  A task's produced partitions end when it finishes
and break when it does not.  Its owner (the TaskExecutor) hears of INITIALIZING and RUNNING and,
once the task has freed its resources, of its final state.
"""

from flinkyarn.graph.driver_program import DriverProgram
from flinkyarn.runtime.taskexecutor.input_gate import InputGate
from flinkyarn.runtime.taskexecutor.workload import input_partitions, source_workload
from flinkyarn.states import ExecutionState
from yarnemu.timers import call_later_ms, now_ms

__all__ = ["Task", "TASK_LOGGER"]

TASK_LOGGER = "org.apache.flink.runtime.taskmanager.Task"

_S = ExecutionState
_NEXT = {
    _S.CREATED: (_S.DEPLOYING, _S.CANCELING, _S.FAILED),
    _S.DEPLOYING: (_S.INITIALIZING, _S.CANCELING, _S.FAILED),
    _S.INITIALIZING: (_S.RUNNING, _S.CANCELING, _S.FAILED),
    _S.RUNNING: (_S.FINISHED, _S.CANCELING, _S.FAILED),
    _S.CANCELING: (_S.CANCELED,),
}
"""The task's own lifecycle (``Task#transitionState``); anything else is a bug."""

_CANCELLED = "org.apache.flink.runtime.execution.CancelTaskException"


class Task:
    """
    :param tdd: its :class:`~flinkyarn.runtime.messages.TaskDeploymentDescriptor`.
    :param clock: the process's clock.
    :param configuration: the ``TaskManagerConfiguration`` (timings, default source rate).
    :param log: the process's :class:`~flinkyarn.runtime.process.FlinkLog`.
    :param partitions: the process's ``ResultPartitionManager``.
    :param network: the cluster's network, to reach the producers of its inputs.
    :param listener: told ``task_state_changed(task)`` (INITIALIZING, RUNNING),
        ``task_terminated(task)`` (once, in a final state) and
        ``task_checkpoint_acknowledged(task, checkpoint_id, offset)``.

    :ivar state: its :class:`~flinkyarn.states.ExecutionState`.
    :ivar failure_cause: the ``SerializedThrowable`` it failed with, or ``None``.
    """

    def __init__(self, tdd, clock, configuration, log, partitions, network, listener):
        self.tdd = tdd
        self._clock = clock
        self._configuration = configuration
        self._log = log
        self._partitions = partitions
        self._network = network
        self._listener = listener
        self._workload = source_workload(tdd, configuration.default_source_rate)
        self._driver = None
        head = tdd.operators[0].simulation if tdd.operators else None
        if isinstance(head, DriverProgram):
            from flinkyarn.driver.task import FlinkDriver

            self._driver = FlinkDriver(head, tdd, clock, log, network, configuration)
        self.state = _S.CREATED
        self.failure_cause = None
        self._running_since_ms = None
        self._stopped_at_ms = None
        self._paused_since_ms = None
        self._paused_ms = 0
        self._synchronous_savepoint = None
        self._timer = None
        self._input = None
        self.name = f"{tdd.task_name_with_subtask_index}#{tdd.attempt_number}"
        self.label = f"{self.name} ({tdd.execution_attempt_id})"

    @property
    def attempt_id(self):
        return self.tdd.execution_attempt_id

    @property
    def job_id(self):
        return self.tdd.job_id

    @property
    def allocation_id(self):
        return self.tdd.allocation_id

    # What it has done so far

    def records_out(self):
        """:return: records its source produced in this attempt so far (0 for non-sources)."""
        elapsed = self._elapsed_ms()
        return 0 if elapsed is None else self._workload.produced_after(elapsed)

    def source_offset(self):
        """:return: its source's offset over all attempts (0 for non-sources)."""
        elapsed = self._elapsed_ms()
        if elapsed is None:
            return self._workload.restored_offset if self._workload is not None else 0
        return self._workload.offset_after(elapsed)

    def _elapsed_ms(self):
        """:return: how long its source has been producing (not counting pauses), or ``None``."""
        if self._workload is None or self._running_since_ms is None:
            return None
        end = self._stopped_at_ms if self._stopped_at_ms is not None else now_ms(self._clock)
        if self._paused_since_ms is not None:
            end = min(end, self._paused_since_ms)
        return end - self._running_since_ms - self._paused_ms

    # Lifecycle

    def start(self):
        """Start deploying (``Task#startTaskThread``)."""
        for partition_id in self.tdd.produced_partitions:
            self._partitions.register(partition_id, self.attempt_id)
        self._switch(_S.DEPLOYING)
        self._info(f"Loading JAR files for task {self.label} [DEPLOYING].")
        self._info(f"Registering task at network: {self.label} [DEPLOYING].")
        self._timer = call_later_ms(self._clock, self._configuration.deploy_ms, self._initialize)

    def _initialize(self):
        self._switch(_S.INITIALIZING)
        self._listener.task_state_changed(self)
        self._timer = call_later_ms(self._clock, self._configuration.initialize_ms, self._run)

    def _run(self):
        self._switch(_S.RUNNING)
        self._running_since_ms = now_ms(self._clock)
        self._listener.task_state_changed(self)
        if self._driver is not None:
            self._driver.start(self._finish, self._input_failed)
            return
        if self._workload is not None:
            if self._workload.bounded:
                self._timer = call_later_ms(self._clock, self._workload.duration_ms, self._finish)
            return
        self._input = InputGate(self._network, self._clock, input_partitions(self.tdd),
                                self._configuration, self._input_ended, self._input_failed)
        self._input.open()

    def _input_ended(self):
        self._timer = call_later_ms(self._clock, self._configuration.end_of_input_ms, self._finish)

    def _input_failed(self, cause):
        if self.state is not _S.RUNNING:
            return
        self.failure_cause = cause
        self._switch(_S.FAILED)
        self._stop_work()
        self._release()

    def _finish(self):
        self._stop_work()
        self._switch(_S.FINISHED)
        for partition_id in self.tdd.produced_partitions:
            self._partitions.finish(partition_id, self.attempt_id)
        self._release()

    def cancel(self):
        """Cancel it (``Task#cancelExecution``): CANCELING now, CANCELED once stopped."""
        self._info(f"Attempting to cancel task {self.label}.")
        if not self._can_stop():
            return
        self._switch(_S.CANCELING)
        self._stop_work()
        if self._driver is not None:
            self._driver.stop()
        self._timer = call_later_ms(self._clock, self._configuration.end_of_input_ms, self._canceled)

    def _canceled(self):
        self._switch(_S.CANCELED)
        self._release()

    def fail_externally(self, cause):
        """
        Fail it from outside (``Task#failExternally``): FAILED now with ``cause`` (a
        ``SerializedThrowable``), gone once its code has stopped.
        """
        self._info(f"Attempting to fail task externally {self.label}.")
        if not self._can_stop():
            return
        self.failure_cause = cause
        self._switch(_S.FAILED)
        self._stop_work()
        if self._driver is not None:
            self._driver.stop()
        self._timer = call_later_ms(self._clock, self._configuration.end_of_input_ms, self._release)

    def _can_stop(self):
        if self.state.is_terminal or self.state is _S.CANCELING:
            self._info(f"Task {self.name} is already in state {self.state}")
            return False
        return True

    def _stop_work(self):
        if self._stopped_at_ms is None:
            self._stopped_at_ms = now_ms(self._clock)
        if self._timer is not None and self._timer.active():
            self._timer.cancel()
        self._timer = None
        if self._input is not None:
            self._input.close()

    def _release(self):
        self._info(f"Freeing task resources for {self.label}.")
        if self.state is not _S.FINISHED:
            cause = self.failure_cause if self.failure_cause is not None else _CANCELLED
            for partition_id in self.tdd.produced_partitions:
                self._partitions.fail(partition_id, self.attempt_id, cause)
        self._listener.task_terminated(self)

    # Checkpoints

    def trigger_checkpoint(self, checkpoint_id, synchronous_savepoint=False):
        """
        Take a checkpoint: a RUNNING task snapshots its source offset now and acknowledges
        ``flinkyarn.simulation.checkpoint.duration`` later, unless it was cancelled or failed
        meanwhile.  For a synchronous savepoint a source first stops producing.

        :return: whether the task is RUNNING (a non-running task declines).
        """
        if self.state is not _S.RUNNING:
            self._info(f"Declining checkpoint request for non-running task {self.label}.")
            return False
        if synchronous_savepoint:
            self._synchronous_savepoint = checkpoint_id
            self._pause_source()
        offset = self.source_offset()
        call_later_ms(self._clock, self._configuration.checkpoint_ms, self._checkpoint_done,
                 checkpoint_id, offset)
        return True

    def _checkpoint_done(self, checkpoint_id, offset):
        if self.state in (_S.RUNNING, _S.FINISHED):
            self._listener.task_checkpoint_acknowledged(self, checkpoint_id, offset)

    def notify_checkpoint_complete(self, checkpoint_id):
        """
        A checkpoint completed (``notifyCheckpointComplete``).  Its synchronous savepoint done, a
        source FINISHES; any other task finishes once its input ends.
        """
        if checkpoint_id != self._synchronous_savepoint or self.state is not _S.RUNNING:
            return
        self._synchronous_savepoint = None
        if self._workload is not None:
            self._finish()

    def notify_checkpoint_aborted(self, checkpoint_id):
        """A checkpoint was aborted (``notifyCheckpointAborted``): a source it stopped resumes."""
        if checkpoint_id != self._synchronous_savepoint:
            return
        self._synchronous_savepoint = None
        if self.state is _S.RUNNING and self._paused_since_ms is not None:
            self._paused_ms += now_ms(self._clock) - self._paused_since_ms
            self._paused_since_ms = None
            if self._workload.bounded:
                remaining = self._workload.duration_ms - self._elapsed_ms()
                self._timer = call_later_ms(self._clock, max(remaining, 0), self._finish)

    def _pause_source(self):
        """A source stops producing: its offset stays where it is."""
        if self._workload is None or self._paused_since_ms is not None:
            return
        self._paused_since_ms = now_ms(self._clock)
        if self._timer is not None and self._timer.active():
            self._timer.cancel()
        self._timer = None

    # State

    def _switch(self, target):
        if target not in _NEXT.get(self.state, ()):
            raise RuntimeError(f"{self.label}: no transition from {self.state} to {target}")
        source, self.state = self.state, target
        message = f"{self.label} switched from {source} to {target}."
        if target is _S.FAILED and self.failure_cause is not None:
            self._log.warn(TASK_LOGGER, f"{self.label} switched from {source} to {target} with "
                                        f"failure cause: {self.failure_cause}")
        else:
            self._info(message)

    def _info(self, message):
        self._log.info(TASK_LOGGER, message)
