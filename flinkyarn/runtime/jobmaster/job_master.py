"""
:class:`JobMaster`: one job's master in the JobManager process, as Flink's ``JobMaster`` with its
``DefaultScheduler``.

- It builds the ExecutionGraph, declares the job's slot requirements to the ResourceManager
  (as many slots as the sum over slot sharing groups of each group's largest parallelism; of the
  cluster's default profile, or of the resources its one slot sharing group declares), accepts
  the slots TaskExecutors offer, and deploys region by region (pipelined region scheduling: the
  tasks of a pipelined region are deployed together once all of them have slots; a region whose
  slots do not come within ``slot.request.timeout`` fails with NoResourceAvailableException).
- Tasks report their states; when every task finished, the job is FINISHED.
- Each failed task (also one of a lost TaskManager, or of a timed-out slot request) is one
  failure for the restart strategy, which decides whether and after how long (counted from the
  failure) to restart: ``jobmanager.execution.failover-strategy`` ``region`` restarts the
  pipelined region of the failed task, ``full`` restarts every task; either way the job is
  RESTARTING until no restart is pending (``DefaultScheduler#restartTasksWithDelay``).  A task that
  fails while its region is being cancelled for a restart is CANCELED and not counted again.
  Without a restart the job FAILS ("Recovery is suppressed by …"); a failure that is not
  recoverable (``SuppressRestartsException``) fails it whatever the strategy ("The failure is not
  recoverable").
- With checkpointing enabled, a restart restores the latest completed checkpoint.
- Heartbeats: the JobMaster asks its TaskExecutors (``heartbeat.interval``/``timeout``) and
  answers the ResourceManager's.
- Stop-with-savepoint (:meth:`JobMaster.stop_with_savepoint`): a synchronous savepoint to the
  cluster's HDFS, then the job finishes (see
  :mod:`~flinkyarn.runtime.jobmaster.stop_with_savepoint`).
"""

from twisted.internet.defer import fail

from flinkyarn.events import JobRestarting, JobStatusChanged, TaskStateChanged, CheckpointCompleted
from flinkyarn.graph.errors import IllegalStateException
from flinkyarn.graph.job_settings import JobType
from flinkyarn.runtime.errors import (
    CheckpointException,
    NoResourceAvailableException,
    TimeoutException,
)
from flinkyarn.runtime.gateways import JOB_MASTER_NAME
from flinkyarn.runtime.heartbeat import TIMED_OUT, HeartbeatReceiver, HeartbeatSender
from flinkyarn.runtime.jobmaster.checkpoint_coordinator import (
    JOB_FAILOVER_REGION,
    NOT_ALL_TASKS_RUNNING,
    CheckpointCoordinator,
)
from flinkyarn.runtime.jobmaster.restart_backoff import restart_backoff_time_strategy
from flinkyarn.runtime.jobmaster.slot_pool import SlotPool, TaskManagerConnection
from flinkyarn.runtime.jobmaster.stop_with_savepoint import (
    SUSPEND_SAVEPOINT,
    TERMINATE_SAVEPOINT,
    StopWithSavepoint,
)
from flinkyarn.runtime.messages import (
    InputPartition,
    JobResult,
    RegistrationDecline,
    RegistrationSuccess,
    ResourceProfile,
    ResourceRequirement,
    ResourceRequirements,
    SerializedThrowable,
    TaskDeploymentDescriptor,
)
from flinkyarn.config import options
from flinkyarn.config.restart import restart_strategy
from flinkyarn.states import ApplicationStatus, ExecutionState, JobStatus

__all__ = ["JobMaster", "FailureRecord", "SUPPRESS_RESTARTS_EXCEPTION"]

_LOGGER = "org.apache.flink.runtime.jobmaster.JobMaster"
_SCHEDULER = "org.apache.flink.runtime.scheduler.DefaultScheduler"
_EXECUTION_GRAPH = "org.apache.flink.runtime.executiongraph.ExecutionGraph"
_CHECKPOINTS = "org.apache.flink.runtime.checkpoint.CheckpointCoordinator"

SUPPRESS_RESTARTS_EXCEPTION = "org.apache.flink.runtime.execution.SuppressRestartsException"
"""A task failure of this class is not recoverable: the job fails whatever the restart
strategy (Flink's ``ThrowableType.NonRecoverableError``)."""

# A reported task state → the Execution method that moves the attempt there.
_REPORTED_STATES = {
    ExecutionState.INITIALIZING: "switch_to_initializing",
    ExecutionState.RUNNING: "switch_to_running",
    ExecutionState.FINISHED: "mark_finished",
    ExecutionState.CANCELED: "complete_cancelling",
}


class FailureRecord:
    """
    One entry of the job's exception history (for REST ``/jobs/{id}/exceptions``).

    :ivar location: ``host:dataPort`` of the failed task's TaskManager, or ``None``.
    :ivar task_manager_id: that TaskManager's resource id, or ``None``.
    """

    def __init__(self, timestamp, error, task_name=None, location=None, task_manager_id=None):
        self.timestamp = timestamp
        self.error = error
        self.task_name = task_name
        self.location = location
        self.task_manager_id = task_manager_id


class JobMaster:
    """
    :param rpc_service: the JobManager process's :class:`~flinkyarn.runtime.rpc.RpcService`.
    :param job_graph: the :class:`~flinkyarn.graph.job_graph.JobGraph` to run.
    :param config: the cluster's :class:`~flinkyarn.config.Configuration`.
    :param log: the process's :class:`~flinkyarn.runtime.process.FlinkLog`.
    :param clock: the process's scoped clock.
    :param events: the cluster's event log (or ``None``).
    :param application_id: the YARN application this cluster is.
    :param resource_id: the JobManager process's ResourceID (the JobMaster gets one of its own).
    :param str resource_manager_address: where the ResourceManager is.
    :param ids: an :class:`~flinkyarn.ids.IdGenerator`.
    :param on_terminated: called with this JobMaster once the job is globally terminal.
    :param int initialization_timestamp: when the Dispatcher received the job.
    :param savepoint_storage: the
        :class:`~flinkyarn.runtime.jobmaster.savepoint_storage.SavepointStorage` savepoints are
        written to (``None``: the job cannot take any).

    :ivar graph: the :class:`~flinkyarn.graph.execution_graph.ExecutionGraph`.
    :ivar int restarts: Flink's ``numRestarts``.
    :ivar failures: the :class:`FailureRecord` history, oldest first.
    :ivar root_failure: the failure that ended the job, if it failed.
    """

    def __init__(self, rpc_service, job_graph, config, log, clock, events, application_id,
                 resource_id, resource_manager_address, ids, on_terminated,
                 initialization_timestamp, savepoint_storage=None):
        self._rpc = rpc_service
        self.job_graph = job_graph
        self.config = config
        self._log = log
        self._clock = clock
        self._events = events
        self.application_id = application_id
        # Each JobMaster has a ResourceID of its own (heartbeats are matched by it).
        self.resource_id = ids.resource_id()
        self.process_resource_id = resource_id
        self._rm_address = resource_manager_address
        self._ids = ids
        self._on_terminated = on_terminated
        self.job_master_id = ids.allocation_id()
        self.address = None
        self.graph = None
        self._initialization_timestamp = initialization_timestamp
        self.pool = SlotPool()
        # The profile its slot requests carry: UNKNOWN (a default slot) unless the job declares
        # resources (a FLIP-40 driver does).
        self._slot_profile = ResourceProfile.from_resource_spec(job_graph.slot_resource_spec())
        self.restarts = 0
        self.failures = []
        self.root_failure = None
        self._rm = None
        self._rm_registered = False
        self._declared = 0
        self._slot_request_timers = {}
        self._restarts = []
        self._regions = None
        self._restore = ({}, None)
        self._restored_offsets = {}
        self._terminated = False
        self._savepoint_storage = savepoint_storage
        self._stopping = None
        checkpointing = job_graph.checkpointing
        interval = checkpointing.interval_ms
        if interval is None:
            configured = config.get(options.CHECKPOINTING_INTERVAL)
            interval = configured.millis if configured is not None else None
        self.checkpoint_interval_ms = interval
        self.strategy = restart_strategy(config, checkpointing=interval is not None)
        self._backoff = restart_backoff_time_strategy(self.strategy, ids)
        self._failover_full = config.get(options.FAILOVER_STRATEGY) == "full"
        self.checkpoints = None
        if interval is not None:
            self.checkpoints = CheckpointCoordinator(
                clock, interval, config.get(options.MAX_RETAINED_CHECKPOINTS),
                self._trigger_checkpoint, self._checkpoint_completed, self._now,
                self._final_offset, abort_task=self._abort_checkpoint)
        self._task_managers = HeartbeatSender(
            clock, config.get(options.HEARTBEAT_INTERVAL), config.get(options.HEARTBEAT_TIMEOUT),
            config.get(options.HEARTBEAT_RPC_FAILURE_THRESHOLD), self._task_manager_heartbeat_lost)
        self._rm_heartbeats = HeartbeatReceiver(clock, config.get(options.HEARTBEAT_TIMEOUT),
                                                self._resource_manager_heartbeat_lost)

    # Identity

    @property
    def job_id(self):
        return self.job_graph.job_id

    @property
    def job_name(self):
        return self.job_graph.name

    @property
    def status(self):
        return self.graph.state if self.graph is not None else JobStatus.INITIALIZING

    def _now(self):
        return int(round(self._clock.seconds() * 1000))

    # Start

    def start(self):
        """Build the ExecutionGraph, connect to the ResourceManager and start scheduling."""
        from flinkyarn.graph.execution_graph import ExecutionGraph

        self.address = self._rpc.start_server(self, JOB_MASTER_NAME)
        now = self._now()
        self._log.info(_LOGGER, f"Initializing job '{self.job_name}' ({self.job_id}).")
        self._log.info(_LOGGER, f"Using restart back off time strategy {self._backoff} for "
                                f"{self.job_name} ({self.job_id}).")
        self.graph = ExecutionGraph(self.job_graph, self._ids, now,
                                    initialization_timestamp=self._initialization_timestamp)
        # The graph is born CREATED; the job was INITIALIZING at the Dispatcher until now.
        self._announce_job_status(JobStatus.INITIALIZING, JobStatus.CREATED)
        self._log.info(_LOGGER, f"Starting execution of job '{self.job_name}' ({self.job_id}) "
                                f"under job master id {self.job_master_id}.")
        self._connect_to_resource_manager()
        self._job_event(JobStatus.CREATED, "START_SCHEDULING")
        if self.checkpoints is not None:
            self.checkpoints.start(self.graph.current_executions)
        self._schedule(self.graph.execution_vertices())

    def _connect_to_resource_manager(self):
        self._rm = self._rpc.connect(self._rm_address)
        d = self._rm.register_job_master(self.job_master_id, self.resource_id, self.address,
                                         self.job_id)
        d.addCallbacks(self._registered_at_resource_manager, self._resource_manager_unreachable)

    def _registered_at_resource_manager(self, response):
        if self._terminated:
            return
        if not isinstance(response, RegistrationSuccess):
            self._resource_manager_unreachable(None)
            return
        self._log.info(_LOGGER, f"JobManager successfully registered at ResourceManager, leader "
                                f"id: {response.registration_id}.")
        self._rm_registered = True
        self._rm_heartbeats.monitor(response.resource_id)
        self._declare_requirements(self._declared, force=True)

    def _resource_manager_unreachable(self, failure):
        if self._terminated:
            return
        self._rm_registered = False
        self._clock.callLater(1.0, self._connect_to_resource_manager)

    # Requirements and slots

    def _required_slots(self):
        return self.job_graph.required_slots()

    def _declare_requirements(self, count, force=False):
        if count == self._declared and not force:
            return
        self._declared = count
        if not self._rm_registered:
            return
        requirements = ResourceRequirements(
            self.job_id, self.address,
            [ResourceRequirement(self._slot_profile, count)] if count else [])
        self._rm.declare_required_resources(self.job_master_id, requirements).addErrback(
            lambda failure: None)

    def register_task_manager(self, task_executor_address, resource_id, data_host, data_port,
                              job_id):
        """A TaskExecutor with slots for this job connects (see ``IJobMasterGateway``)."""
        if job_id != self.job_id or self._terminated:
            return RegistrationDecline(f"The JobMaster of job {self.job_id} does not accept "
                                       f"TaskManagers for job {job_id}.")
        if resource_id not in self.pool.task_managers:
            gateway = self._rpc.connect(task_executor_address)
            self.pool.register_task_manager(TaskManagerConnection(
                resource_id, gateway, task_executor_address, data_host, data_port))
            self._task_managers.monitor(
                resource_id, lambda: gateway.heartbeat_from_job_manager(self.resource_id))
            self._log.info(_LOGGER, f"Registering TaskManager with ResourceID {resource_id} "
                                    f"({task_executor_address}) at JobManager.")
        return RegistrationSuccess(f"jobmaster-registration-{resource_id}", self.resource_id)

    def offer_slots(self, resource_id, offers):
        """Accept slots while the job needs them; then deploy the regions that have theirs."""
        if self._terminated:
            return []
        accepted = self.pool.offer(resource_id, offers, self._required_slots())
        if accepted:
            self._try_deploy()
        return accepted

    def fail_slot(self, resource_id, allocation_id, cause):
        slot = self.pool.remove_slot(allocation_id)
        if slot is not None:
            self._fail_executions_in(lambda e: e.assigned_allocation == allocation_id, cause)

    # Scheduling and deployment

    def _sharing_key(self, task):
        return (task.job_vertex.slot_sharing_group, task.subtask_index)

    def _schedule(self, tasks):
        now = self._now()
        for task in tasks:
            execution = task.current_execution
            if execution.state is ExecutionState.CREATED:
                self._execution_event(execution, "schedule", now)
        self._declare_requirements(self._required_slots())
        self._try_deploy()
        self._start_slot_request_timers()

    def _region_of(self, task):
        if self._regions is None:
            self._regions = {vertex_id: region for region in self.graph.pipelined_regions()
                             for vertex_id in region.vertex_ids}
        return self._regions[task.id]

    def _waiting_regions(self):
        """:return: each region with tasks waiting for slots → those tasks, regions in order."""
        waiting = {}
        for task in self.graph.execution_vertices():
            if task.execution_state is ExecutionState.SCHEDULED:
                waiting.setdefault(self._region_of(task), []).append(task)
        return waiting

    def _start_slot_request_timers(self):
        """Time each region still waiting for slots (``PhysicalSlotRequestBulkChecker``)."""
        timeout = self.config.get(options.SLOT_REQUEST_TIMEOUT)
        for region in self._waiting_regions():
            if region not in self._slot_request_timers:
                self._slot_request_timers[region] = self._clock.callLater(
                    timeout / 1000.0, self._slot_request_timed_out, region, timeout)

    def _stop_slot_request_timers(self, keep=()):
        """Stop the slot request timers, but those of the regions in ``keep``."""
        for region in list(self._slot_request_timers):
            if region not in keep:
                timer = self._slot_request_timers.pop(region)
                if timer.active():
                    timer.cancel()

    def _try_deploy(self):
        """Deploy each region whose scheduled tasks can all have slots (Flink allocates and
        deploys region by region)."""
        if self.status not in (JobStatus.RUNNING, JobStatus.RESTARTING):
            return
        offsets, checkpoint_id = self._restore
        free = self.pool.free_slot_count()
        for region, waiting in self._waiting_regions().items():
            keys = sorted({self._sharing_key(task) for task in waiting})
            needed = sum(1 for key in keys if self.pool.shared_slot(key) is None)
            if needed <= free and self.pool.assign(keys):
                free -= needed
                for task in waiting:
                    self._deploy(task, offsets, checkpoint_id)
        self._stop_slot_request_timers(keep=self._waiting_regions())

    def _deploy(self, task, offsets, checkpoint_id):
        slot = self.pool.shared_slot(self._sharing_key(task))
        connection = self.pool.task_managers[slot.resource_id]
        execution = task.current_execution
        now = self._now()
        self._log.info(_EXECUTION_GRAPH, (
            f"Deploying {task.task_name_with_subtask_index} (attempt #{execution.attempt_number}) "
            f"with attempt id {execution.attempt_id} and vertex id {task.id} to "
            f"{connection.resource_id} @ {connection.data_host} with allocation id "
            f"{slot.allocation_id}"))
        self._execution_event(execution, "deploy", now, slot.allocation_id, slot.resource_id)
        self._restored_offsets[execution.attempt_id] = offsets.get(
            (task.job_vertex.id, task.subtask_index), 0)
        tdd = TaskDeploymentDescriptor(
            job_id=self.job_id,
            job_name=self.job_name,
            execution_attempt_id=execution.attempt_id,
            job_vertex_id=task.job_vertex.id,
            task_name=task.job_vertex.name,
            task_name_with_subtask_index=task.task_name_with_subtask_index,
            subtask_index=task.subtask_index,
            number_of_subtasks=task.job_vertex.parallelism,
            attempt_number=execution.attempt_number,
            allocation_id=slot.allocation_id,
            job_master_address=self.address,
            operators=task.job_vertex.job_vertex.operators,
            inputs=[tuple(self._input_partition(pid) for pid in group)
                    for group in task.consumed_partition_groups],
            produced_partitions=[partition.id for partition in task.produced_partitions],
            restored_offset=self._restored_offsets[execution.attempt_id],
            restored_checkpoint_id=checkpoint_id,
        )
        d = connection.gateway.submit_task(tdd, self.job_master_id)
        d.addErrback(self._deployment_failed, execution)

    def task_manager_location(self, resource_id):
        """:return: ``host:dataPort`` of a registered TaskManager (Flink's location string), or
        ``None``."""
        connection = self.pool.task_managers.get(resource_id) if resource_id else None
        if connection is None:
            return None
        return f"{connection.data_host}:{connection.data_port}"

    def _input_partition(self, partition_id):
        producer = self.graph.partition(partition_id).producer
        execution = producer.current_execution
        connection = self.pool.task_managers.get(execution.assigned_resource)
        if connection is None:
            return InputPartition(partition_id, "", 0)
        return InputPartition(partition_id, connection.data_host, connection.data_port)

    def _deployment_failed(self, failure, execution):
        if execution is not execution.vertex.current_execution or execution.state.is_terminal:
            return
        error = SerializedThrowable.of(failure.value)
        self._task_failed(execution, error)

    # Task states

    def update_task_execution_state(self, task_execution_state):
        """A task changed state (see ``IJobMasterGateway``)."""
        if self.graph is None:
            return False
        execution = self.graph.execution(task_execution_state.execution_attempt_id)
        if execution is None or execution is not execution.vertex.current_execution:
            return False
        state = task_execution_state.state
        execution.records_out = task_execution_state.records_out
        if state is ExecutionState.FAILED:
            self._task_failed(execution, task_execution_state.error)
            return True
        method = _REPORTED_STATES.get(state)
        if method is None:
            return False
        self._execution_event(execution, method, self._now())
        if state is ExecutionState.FINISHED and self.status is JobStatus.RUNNING:
            if self.graph.all_tasks_finished():
                self._job_finished()
        self._check_progress()
        return True

    def _task_failed(self, execution, error):
        location = str(execution.assigned_resource or "")
        now = self._now()
        was = execution.state
        self._execution_event(execution, "fail", now, str(error))
        # A task being cancelled (for a restart, say) is CANCELED instead: not a new failure.
        if execution.state is ExecutionState.FAILED and was is not ExecutionState.FAILED:
            self._log.info(_EXECUTION_GRAPH, (
                f"{execution.task_name_with_subtask_index} ({execution.attempt_id}) switched from "
                f"{was.value} to FAILED on {location or 'not deployed'}."))
            self._failover(execution, error)
        self._check_progress()

    def _fail_executions_in(self, predicate, cause):
        """Fail, one by one, the executions ``predicate`` picks (each is a failure of its own,
        unless a failover triggered by an earlier one has cancelled it meanwhile)."""
        for task in self.graph.execution_vertices():
            execution = task.current_execution
            if not execution.state.is_terminal and predicate(execution):
                self._task_failed(execution, cause)

    # Failover

    def _failover(self, execution, error):
        """One failed execution: restart (the failover strategy's tasks, after the restart
        strategy's delay) or fail the job."""
        if self.status not in (JobStatus.RUNNING, JobStatus.RESTARTING):
            return
        now = self._now()
        self.failures.append(FailureRecord(
            now, error, execution.task_name_with_subtask_index,
            self.task_manager_location(execution.assigned_resource),
            str(execution.assigned_resource) if execution.assigned_resource else None))
        if self._stopping is not None:
            self._stopping.job_failed_over(error)
        if self.checkpoints is not None:
            self.checkpoints.abort_pending(JOB_FAILOVER_REGION)
        if getattr(error, "exception_class", None) == SUPPRESS_RESTARTS_EXCEPTION:
            # ExecutionFailureHandler: a NonRecoverableError is never restarted.
            self._fail_job(SerializedThrowable("org.apache.flink.runtime.JobException",
                                               "The failure is not recoverable"), error)
            return
        self._backoff.notify_failure(now)
        if not self._backoff.can_restart():
            self._fail_job(SerializedThrowable(
                "org.apache.flink.runtime.JobException",
                f"Recovery is suppressed by {self._backoff}"), error)
            return
        self.restarts += 1
        delay = self._backoff.backoff_time_ms()
        if self._events is not None:
            self._events.emit(JobRestarting(now, self.application_id, self.job_id,
                                            self.restarts, delay, str(error)))
        if self._failover_full:
            tasks = {task.id for task in self.graph.execution_vertices()}
        else:
            tasks = set(self._region_of(execution.vertex).vertex_ids)
        self._log.info(_SCHEDULER, f"{len(tasks)} tasks will be restarted to recover the failed "
                                   f"task {execution.attempt_id}.")
        # A task in an earlier pending restart is restarted by this one (its later version).
        for earlier in self._restarts:
            earlier.tasks -= tasks
        self._restarts = [earlier for earlier in self._restarts if earlier.tasks]
        restart = _PendingRestart(tasks)
        self._restarts.append(restart)
        if self.status is JobStatus.RUNNING:
            self._job_event(JobStatus.RUNNING, "RESTART")
        self._cancel_tasks([self.graph.execution_vertex(vid) for vid in sorted(tasks)])
        self._stop_slot_request_timers(keep=self._waiting_regions())
        # The delay runs from the failure; the restart also waits for the cancellations.
        self._clock.callLater(delay / 1000.0, self._restart_due, restart)
        self._check_progress()

    def _cancel_tasks(self, tasks):
        now = self._now()
        for task in tasks:
            execution = task.current_execution
            # One being cancelled already is CANCELED when its TaskExecutor says it is gone
            # (``Execution#cancel`` leaves a CANCELING attempt alone).
            if execution.state.is_terminal or execution.state is ExecutionState.CANCELING:
                continue
            deployed = execution.state in (ExecutionState.DEPLOYING, ExecutionState.INITIALIZING,
                                           ExecutionState.RUNNING)
            self._execution_event(execution, "cancel", now)
            if not deployed:
                self._execution_event(execution, "complete_cancelling", now)
                continue
            connection = self.pool.task_managers.get(execution.assigned_resource)
            if connection is None:
                self._execution_event(execution, "complete_cancelling", now)
            else:
                connection.gateway.cancel_task(execution.attempt_id).addErrback(
                    self._cancel_failed, execution)

    def _cancel_failed(self, failure, execution):
        # The TaskExecutor is unreachable: the task is as good as cancelled.
        if execution.state is ExecutionState.CANCELING:
            self._execution_event(execution, "complete_cancelling", self._now())
            self._check_progress()

    def _check_progress(self):
        """Move cancellation, failure and restarts on once the tasks they wait for are terminal."""
        if self.graph is None or self._terminated:
            return
        status = self.status
        if status in (JobStatus.CANCELLING, JobStatus.FAILING):
            if self.graph.all_tasks_terminal():
                self._job_event(status, "ALL_TASKS_TERMINAL")
                self._terminate()
            return
        for restart in list(self._restarts):
            if (restart.due and restart in self._restarts
                    and all(self.graph.execution_vertex(vid).execution_state.is_terminal
                            for vid in restart.tasks)):
                self._restarts.remove(restart)
                self._restart_tasks(restart)

    def _restart_due(self, restart):
        restart.due = True
        self._check_progress()

    def _restart_tasks(self, restart):
        if self._terminated or self.status not in (JobStatus.RUNNING, JobStatus.RESTARTING):
            return
        if not self._restarts and self.status is JobStatus.RESTARTING:
            self._job_event(JobStatus.RESTARTING, "RESTARTED")
        now = self._now()
        tasks = [self.graph.execution_vertex(vid) for vid in sorted(restart.tasks)]
        for task in tasks:
            slot = self.pool.shared_slot(self._sharing_key(task))
            if slot is not None and slot.resource_id not in self.pool.task_managers:
                self.pool.remove_slot(slot.allocation_id)
            self._restored_offsets.pop(task.current_execution.attempt_id, None)
            task.reset_for_new_execution(now)
        if self.checkpoints is not None:
            offsets, checkpoint_id = self.checkpoints.restore_offsets()
            self._restore = (offsets, checkpoint_id)
            if checkpoint_id is not None:
                self._log.info(_CHECKPOINTS, (
                    f"Restoring job {self.job_id} from Checkpoint {checkpoint_id} @ "
                    f"{self.checkpoints.latest.trigger_timestamp} for {self.job_id} located at "
                    f"<checkpoint-not-externally-addressable>."))
        self._schedule(tasks)

    def _fail_job(self, error, cause):
        self.root_failure = SerializedThrowable(
            error.exception_class, f"{error.message}\nCaused by: {cause}")
        self._log.info(_EXECUTION_GRAPH, f"Job {self.job_name} ({self.job_id}) failed: "
                                         f"{error.exception_class}: {error.message}")
        self._stop_slot_request_timers()
        self._restarts = []
        self._job_event(self.status, "FAIL", str(self.root_failure))
        self._cancel_tasks(self.graph.execution_vertices())
        self._check_progress()

    def _slot_request_timed_out(self, region, timeout_ms):
        """A region's slots did not come in time: each of its waiting tasks fails."""
        self._slot_request_timers.pop(region, None)
        if self._terminated:
            return
        cause = TimeoutException(f"Timeout has occurred: {timeout_ms} ms")
        error = NoResourceAvailableException(
            "Slot request bulk is not fulfillable! Could not allocate the required slot within "
            "slot request timeout")
        serialized = SerializedThrowable(error.java_class,
                                         f"{error.message}\nCaused by: {cause.java_class}: "
                                         f"{cause.message}")
        for vertex_id in region.vertex_ids:
            execution = self.graph.execution_vertex(vertex_id).current_execution
            if execution.state is ExecutionState.SCHEDULED:
                self._task_failed(execution, serialized)

    # Finishing, cancelling

    def _job_finished(self):
        self._job_event(JobStatus.RUNNING, "FINISH")
        self._terminate()

    # Stop with savepoint

    def stop_with_savepoint(self, target_directory, drain=False):
        """
        Stop the job with a savepoint in ``target_directory`` (``SchedulerBase#stopWithSavepoint``);
        ``drain`` is Flink's ``--drain`` (a "Terminate Savepoint" after MAX_WATERMARK, which the
        simulated operators need not act on).

        :return: a Deferred firing with the savepoint's location once the job is FINISHED, or
            failing: ``IllegalStateException`` for a batch job or no target directory, a
            ``CheckpointException`` if the savepoint could not be taken (not every task runs, the
            directory could not be made, another stop is in progress, it was aborted), a
            ``StopWithSavepointStoppingException`` if the job did not finish after it.
        """
        if self.job_graph.job_type is JobType.BATCH:
            return fail(IllegalStateException(f"Job {self.job_id} is not a streaming job."))
        if target_directory is None or self._savepoint_storage is None:
            return fail(IllegalStateException(
                "No savepoint directory configured. You can either specify a directory while "
                "cancelling via -s :targetDirectory or configure a cluster-wide default via key "
                "'state.savepoints.dir'."))
        if self._stopping is not None:
            return fail(CheckpointException("A stop-with-savepoint of the job is in progress."))
        if self.graph is None or self._terminated:
            return fail(CheckpointException(NOT_ALL_TASKS_RUNNING))
        self._log.info(_SCHEDULER, f"Triggering stop-with-savepoint for job {self.job_id}.")
        if self.checkpoints is None:
            # Flink's streaming jobs always have a coordinator; periodic checkpoints are off.
            self.checkpoints = CheckpointCoordinator(
                self._clock, None, self.config.get(options.MAX_RETAINED_CHECKPOINTS),
                self._trigger_checkpoint, self._checkpoint_completed, self._now,
                self._final_offset, abort_task=self._abort_checkpoint)
            self.checkpoints.start(self.graph.current_executions)
        storage = self._savepoint_storage
        stop = StopWithSavepoint(self.job_id, self.checkpoints, self._confirm_savepoint,
                                 self._stopped)
        self._stopping = stop
        stop.start(TERMINATE_SAVEPOINT if drain else SUSPEND_SAVEPOINT,
                   lambda: storage.initialize_location(target_directory, self.job_id),
                   lambda location, stats: storage.write_metadata(location, self.job_id, stats))
        return stop.result

    def _stopped(self, stop):
        if self._stopping is stop:
            self._stopping = None

    def cancel(self):
        """Cancel the job (from the Dispatcher / REST)."""
        if self.graph is None or self.status.is_globally_terminal:
            return
        self._log.info(_LOGGER, f"Trying to cancel job {self.job_id}.")
        self._stop_slot_request_timers()
        self._restarts = []
        self._job_event(self.status, "CANCEL")
        if self.status.is_globally_terminal:
            self._terminate()
            return
        self._cancel_tasks(self.graph.execution_vertices())
        self._check_progress()

    def _terminate(self):
        if self._terminated:
            return
        self._terminated = True
        status = self.status
        self._log.info(_LOGGER, f"Job {self.job_name} ({self.job_id}) reached terminal state "
                                f"{status.value}.")
        self._stop_slot_request_timers()
        if self.checkpoints is not None:
            self.checkpoints.stop()
        self._task_managers.stop()
        self._rm_heartbeats.stop()
        for slot in self.pool.release_all():
            connection = self.pool.task_managers.get(slot.resource_id)
            if connection is not None:
                connection.gateway.free_slot(slot.allocation_id, f"Stopping JobMaster for job "
                                             f"'{self.job_name}' ({self.job_id}).").addErrback(
                    lambda failure: None)
        if self._rm is not None:
            self._rm.disconnect_job_manager(self.job_id, status, "The job reached a terminal "
                                            "state.").addErrback(lambda failure: None)
        self._rpc.stop_server(self.address)
        if self._stopping is not None:
            self._stopping.job_terminated(status)
        self._on_terminated(self)

    def job_result(self):
        """:return: the :class:`JobResult` of a terminal job."""
        status = self.status
        start = self.graph.state_timestamp(JobStatus.INITIALIZING) or \
            self.graph.state_timestamp(JobStatus.CREATED)
        end = self.graph.state_timestamp(status)
        error = None
        if status is JobStatus.FAILED:
            error = self.root_failure or SerializedThrowable("org.apache.flink.runtime.JobException",
                                                             "Job failed")
        elif status is JobStatus.CANCELED:
            error = SerializedThrowable("org.apache.flink.runtime.client.JobCancellationException",
                                        f"Job {self.job_id} was cancelled.")
        return JobResult(self.job_id, self.job_name, status, ApplicationStatus.from_job_status(status),
                         max(0, end - start), error)

    # TaskManager and ResourceManager connections

    def disconnect_task_manager(self, resource_id, cause):
        """A TaskExecutor is gone: its slots fail, and so do the tasks in them."""
        self._task_manager_lost(resource_id, str(cause))

    def _task_manager_heartbeat_lost(self, resource_id, how):
        if how is TIMED_OUT:
            message = f"The heartbeat of TaskManager with id {resource_id} timed out."
        else:
            message = f"TaskManager with id {resource_id} is no longer reachable."
        self._log.info(_LOGGER, message)
        self._task_manager_lost(resource_id, message)

    def _task_manager_lost(self, resource_id, cause):
        if resource_id not in self.pool.task_managers:
            return
        self._task_managers.unmonitor(resource_id)
        lost = {slot.allocation_id for slot in self.pool.release_task_manager(resource_id)}
        if self.graph is None or self._terminated:
            return
        error = SerializedThrowable("org.apache.flink.util.FlinkException",
                                    f"TaskExecutor {resource_id} is gone: {cause}")
        self._fail_executions_in(
            lambda e: e.assigned_resource == resource_id or e.assigned_allocation in lost, error)

    def heartbeat_from_task_manager(self, resource_id):
        """TaskExecutors answer through the heartbeat RPC's result; nothing to do here."""

    def heartbeat_from_resource_manager(self, resource_manager_resource_id):
        self._rm_heartbeats.received(resource_manager_resource_id)

    def _resource_manager_heartbeat_lost(self, resource_id, how):
        self._log.info(_LOGGER, f"The heartbeat of ResourceManager with id {resource_id} timed out.")
        self._rm_registered = False
        if not self._terminated:
            self._connect_to_resource_manager()

    def disconnect_resource_manager(self, resource_manager_id, cause):
        self._resource_manager_heartbeat_lost(resource_manager_id, TIMED_OUT)

    # Checkpoints

    def _trigger_checkpoint(self, execution, checkpoint_id, timestamp,
                            synchronous_savepoint=False):
        connection = self.pool.task_managers.get(execution.assigned_resource)
        if connection is None:
            return
        if synchronous_savepoint:
            d = connection.gateway.trigger_checkpoint(execution.attempt_id, checkpoint_id,
                                                      timestamp, True)
        else:
            d = connection.gateway.trigger_checkpoint(execution.attempt_id, checkpoint_id,
                                                      timestamp)
        d.addErrback(lambda failure: None)

    def _abort_checkpoint(self, execution, checkpoint_id, timestamp):
        """A synchronous savepoint was aborted: its task (a stopped source) carries on."""
        connection = self.pool.task_managers.get(execution.assigned_resource)
        if connection is not None:
            connection.gateway.abort_checkpoint(execution.attempt_id, checkpoint_id,
                                                timestamp).addErrback(lambda failure: None)

    def _confirm_savepoint(self, stats):
        """The synchronous savepoint completed: the running tasks finish."""
        for execution in self.graph.current_executions():
            connection = self.pool.task_managers.get(execution.assigned_resource)
            if execution.state is ExecutionState.RUNNING and connection is not None:
                connection.gateway.confirm_checkpoint(
                    execution.attempt_id, stats.checkpoint_id,
                    stats.trigger_timestamp).addErrback(lambda failure: None)

    def _final_offset(self, execution):
        """The source offset a finished execution ended at: where it started, plus what it
        produced."""
        return (self._restored_offsets.get(execution.attempt_id, 0)
                + getattr(execution, "records_out", 0))

    def acknowledge_checkpoint(self, execution_attempt_id, checkpoint_id, offset):
        if self.checkpoints is not None:
            self.checkpoints.acknowledge(execution_attempt_id, checkpoint_id, offset)

    def _checkpoint_completed(self, stats):
        duration = stats.completion_timestamp - stats.trigger_timestamp
        self._log.info(_CHECKPOINTS, (
            f"Completed checkpoint {stats.checkpoint_id} for job {self.job_id} (0 bytes, "
            f"checkpointDuration={duration} ms, finalizationTime=0 ms)."))
        if self._events is not None:
            self._events.emit(CheckpointCompleted(stats.completion_timestamp, self.application_id,
                                                  self.job_id, stats.checkpoint_id, duration))

    # Transitions, with their events and log lines

    def _job_event(self, expected_from, event, error=""):
        old = self.graph.state
        new = self.graph.transition(event, self._now())
        if new is not old:
            self._announce_job_status(old, new, error)

    def _announce_job_status(self, old, new, error=""):
        self._log.info(_EXECUTION_GRAPH, f"Job {self.job_name} ({self.job_id}) switched from "
                                         f"state {old.value} to {new.value}.")
        if self._events is not None:
            self._events.emit(JobStatusChanged(self._now(), self.application_id, self.job_id,
                                               self.job_name, old, new, error))

    def _execution_event(self, execution, method, now, *args):
        old = execution.state
        getattr(execution, method)(now, *args)
        new = execution.state
        if new is not old and self._events is not None:
            self._events.emit(TaskStateChanged(
                now, self.application_id, self.job_id, execution.task_name_with_subtask_index,
                execution.attempt_id, old, new, str(execution.assigned_resource or "")))


class _PendingRestart:
    """A failover being prepared: the tasks to restart, and whether its delay has passed."""

    def __init__(self, tasks):
        self.tasks = tasks
        self.due = False
