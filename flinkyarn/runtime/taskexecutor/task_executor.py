"""
:class:`TaskExecutor`: the RPC endpoint of a TaskManager process (Flink's
``org.apache.flink.runtime.taskexecutor.TaskExecutor``), implementing
:class:`~flinkyarn.runtime.gateways.ITaskExecutorGateway`.

It registers at the ResourceManager (:mod:`~flinkyarn.runtime.taskexecutor.
resource_manager_connection`) and reports its slots.  When the ResourceManager allocates a slot
to a job it registers at the job's JobMaster (:mod:`~flinkyarn.runtime.taskexecutor.job_table`)
and offers the job its allocated slots; offers the JobMaster does not accept are freed, and the
ResourceManager hears of every slot that is free again.  The JobMaster deploys tasks into
accepted slots (:mod:`~flinkyarn.runtime.taskexecutor.task`), and every state change of a task is
reported back to it.  Losing a JobMaster (its heartbeat requests stop, or it disconnects) fails
the job's tasks here and frees the job's slots.
"""

from zope.interface import implementer

from flinkyarn.events import SlotsOffered
from flinkyarn.runtime.errors import (
    CheckpointException,
    FlinkException,
    SimulatedTaskFailure,
    SlotAllocationException,
    TaskException,
    TaskManagerException,
    TaskSubmissionException,
    TimeoutException,
)
from flinkyarn.runtime.gateways import TASK_EXECUTOR_NAME, ITaskExecutorGateway
from flinkyarn.runtime.heartbeat import HeartbeatReceiver
from flinkyarn.runtime.messages import (
    SerializedThrowable,
    SlotID,
    TaskExecutionState,
    TaskExecutorRegistration,
)
from flinkyarn.runtime.resourcemanager.worker_spec import WorkerResourceSpec
from flinkyarn.runtime.taskexecutor.job_table import JobTable
from flinkyarn.runtime.taskexecutor.resource_manager_connection import (
    TASK_EXECUTOR_LOGGER,
    ResourceManagerConnection,
)
from flinkyarn.runtime.taskexecutor.resources import hardware_description, memory_configuration
from flinkyarn.runtime.taskexecutor.slot_table import TaskSlotTable
from flinkyarn.runtime.taskexecutor.task import Task

__all__ = ["TaskExecutor"]


@implementer(ITaskExecutorGateway)
class TaskExecutor:
    """
    :param rpc_service: the process's :class:`~flinkyarn.runtime.rpc.RpcService`; the
        TaskExecutor is served there as ``taskmanager_<n>``.
    :param resource_id: its :class:`~flinkyarn.ids.ResourceID` (its YARN container id).
    :param configuration: its ``TaskManagerConfiguration``.
    :param str resource_manager_address: where the ResourceManager is.
    :param str data_host: the host of its data (shuffle) server.
    :param int data_port: the port of its data server.
    :param partitions: the process's ``ResultPartitionManager``.
    :param str node_id: its NodeManager's host.
    :param log: the process's :class:`~flinkyarn.runtime.process.FlinkLog`.
    :param events: the cluster's event log, or ``None``.
    :param application_id: the YARN application its container belongs to.
    :param on_fatal_error: called with the error after which the process must end.
    """

    def __init__(self, rpc_service, resource_id, configuration, resource_manager_address,
                 data_host, data_port, partitions, node_id, log, events, application_id,
                 on_fatal_error):
        self._rpc = rpc_service
        self._clock = rpc_service.clock
        self.resource_id = resource_id
        self._configuration = configuration
        self._data_host = data_host
        self._data_port = data_port
        self._partitions = partitions
        self._log = log
        self._events = events
        self._application_id = application_id
        self._on_fatal_error = on_fatal_error
        self.address = rpc_service.start_server(self, TASK_EXECUTOR_NAME)
        spec = configuration.resource_spec
        slots = configuration.num_slots
        worker = WorkerResourceSpec.from_process_spec(spec)
        default_profile = worker.default_slot_profile
        self._slots = TaskSlotTable(resource_id, slots, default_profile, self._clock,
                                    configuration.slot_timeout_ms, self._slot_timed_out, log)
        self.registration = TaskExecutorRegistration(
            address=self.address, resource_id=resource_id, data_port=data_port, jmx_port=-1,
            hardware=hardware_description(spec), memory_configuration=memory_configuration(spec),
            default_slot_profile=default_profile, total_profile=worker.total_profile,
            node_id=node_id, number_of_slots=slots)
        self._resource_manager = ResourceManagerConnection(
            self._clock, log, rpc_service, resource_manager_address, self.registration,
            configuration, self._slots.slot_report, self.fail_fatally)
        self._jobs = JobTable(self._clock, log, rpc_service, configuration, self._register_at,
                              self._job_manager_connected, self._job_manager_rejected)
        self._task_actions = _TaskManagerActions(self)
        self._job_manager_heartbeats = HeartbeatReceiver(
            self._clock, configuration.heartbeat_timeout_ms, self._job_manager_heartbeat_lost)
        self.stopped = False

    # Lifecycle (called by the process, not over RPC)

    def start(self):
        """Start: connect to the ResourceManager."""
        self._info(f"Starting RPC endpoint for org.apache.flink.runtime.taskexecutor.TaskExecutor "
                   f"at {self.address} .")
        self._resource_manager.start()

    def shut_down(self):
        """Stop: say goodbye to the ResourceManager and the JobMasters."""
        if self.stopped:
            return
        self.stopped = True
        self._info(f"Stopping TaskExecutor {self.address}.")
        cause = FlinkException("The TaskExecutor is shutting down.")
        self._resource_manager.stop(cause)
        for job in self._jobs:
            self._jobs.remove(job.job_id)
            if job.connected:
                self._info(f"Close JobManager connection for job {job.job_id}.")
                job.gateway.disconnect_task_manager(self.resource_id, cause).addErrback(_ignore)
        self._job_manager_heartbeats.stop()
        self._info(f"Stopped TaskExecutor {self.address}.")

    def fail_fatally(self, error):
        """A fatal error (Flink's ``onFatalError``): log it and let the process end."""
        self._log.error(TASK_EXECUTOR_LOGGER, f"Fatal error occurred in TaskExecutor "
                                              f"{self.address}. {SerializedThrowable.of(error)}")
        self._on_fatal_error(error)

    # ITaskExecutorGateway: slots

    def request_slot(self, slot_id, job_id, allocation_id, resource_profile, job_master_address,
                     resource_manager_id):
        self._info(f"Receive slot request {allocation_id} for job {job_id} from resource manager "
                   f"with leader id {resource_manager_id}.")
        if not self._resource_manager.established:
            raise TaskManagerException(
                f"TaskManager is not connected to the resource manager {resource_manager_id}.")
        index = slot_id.slot_number
        if not 0 <= index < self._slots.num_slots:
            raise SlotAllocationException(f"The slot {slot_id} does not exist.")
        if self._slots.is_free(index):
            if not self._slots.allocate(index, job_id, allocation_id, resource_profile):
                self._info(f"Could not allocate slot for {allocation_id}.")
                raise SlotAllocationException("Could not allocate slot.")
            self._info(f"Allocated slot for {allocation_id}.")
        elif not self._slots.is_allocated(index, job_id, allocation_id):
            message = f"The slot {slot_id} has already been allocated for a different job."
            self._info(message)
            raise SlotAllocationException(message)
        job = self._jobs.get(job_id)
        if job is None:
            self._jobs.add(job_id, job_master_address)
        elif job.connected:
            self._offer_slots(job)
        else:
            self._jobs.reconnect(job)
        return None

    def free_slot(self, allocation_id, cause):
        self._free_slot(allocation_id, cause)
        return None

    def heartbeat_from_resource_manager(self, resource_manager_resource_id):
        self._resource_manager.heartbeat_requested(resource_manager_resource_id)
        return self._slots.slot_report()

    def disconnect_resource_manager(self, cause):
        if not self.stopped:
            self._resource_manager.reconnect(_error(cause))
        return None

    # ITaskExecutorGateway: JobMasters

    def heartbeat_from_job_manager(self, job_master_resource_id):
        self._job_manager_heartbeats.received(job_master_resource_id)
        jobs = [job.job_id for job in self._jobs.connected_to(job_master_resource_id)]
        return self._slots.slot_report(job_ids=jobs)

    def disconnect_job_manager(self, job_id, cause):
        job = self._jobs.get(job_id)
        if job is not None and job.connected:
            self._disconnect_job_manager(job, _error(cause))
        return None

    # ITaskExecutorGateway: tasks

    def submit_task(self, tdd, job_master_id):
        if not self._slots.mark_active(tdd.allocation_id, tdd.job_id):
            raise TaskSubmissionException(f"No task slot allocated for job ID {tdd.job_id} and "
                                          f"allocation ID {tdd.allocation_id}.")
        task = Task(tdd, self._clock, self._configuration, self._log, self._partitions,
                    self._rpc.network, self._task_actions)
        self._info(f"Received task {task.label}, deploy into slot with allocation id "
                   f"{tdd.allocation_id}.")
        if not self._slots.add_task(task):
            raise TaskSubmissionException(
                f"TaskManager already contains a task for id {tdd.execution_attempt_id}.")
        task.start()
        return None

    def cancel_task(self, execution_attempt_id):
        task = self._slots.task(execution_attempt_id)
        if task is None:
            raise TaskException(f"Cannot find task to stop for execution {execution_attempt_id}.")
        task.cancel()
        return None

    def fail_task(self, execution_attempt_id, cause):
        task = self._slots.task(execution_attempt_id)
        if task is None:
            self._info(f"Cannot find task to fail for execution {execution_attempt_id} with "
                       f"exception: {cause}")
            return None
        message = cause if isinstance(cause, str) else getattr(cause, "message", str(cause))
        task.fail_externally(SerializedThrowable.of(SimulatedTaskFailure(message)))
        return None

    def trigger_checkpoint(self, execution_attempt_id, checkpoint_id, timestamp,
                           synchronous_savepoint=False):
        task = self._slots.task(execution_attempt_id)
        if task is None:
            raise CheckpointException(f"TaskManager received a checkpoint request for unknown "
                                      f"task {execution_attempt_id}.")
        task.trigger_checkpoint(checkpoint_id, synchronous_savepoint)
        return None

    def confirm_checkpoint(self, execution_attempt_id, checkpoint_id, timestamp):
        task = self._slots.task(execution_attempt_id)
        if task is None:
            raise CheckpointException(f"TaskManager received a checkpoint confirmation for "
                                      f"unknown task {execution_attempt_id}.")
        task.notify_checkpoint_complete(checkpoint_id)
        return None

    def abort_checkpoint(self, execution_attempt_id, checkpoint_id, timestamp):
        task = self._slots.task(execution_attempt_id)
        if task is None:
            raise CheckpointException(f"TaskManager received an aborted checkpoint for unknown "
                                      f"task {execution_attempt_id}.")
        task.notify_checkpoint_aborted(checkpoint_id)
        return None

    # What the tasks tell their TaskExecutor (through _TaskManagerActions)

    def _task_state_changed(self, task):
        d = self._job_master_of(task).update_task_execution_state(self._execution_state(task))
        d.addCallbacks(self._state_updated, self._state_update_failed, callbackArgs=(task,),
                       errbackArgs=(task,))

    def _state_updated(self, known, task):
        if known is False:
            self._fail_running_task(task, SerializedThrowable(
                "org.apache.flink.runtime.executiongraph.ExecutionGraphException",
                f"The execution attempt {task.attempt_id} was not found."))

    def _state_update_failed(self, failure, task):
        self._fail_running_task(task, SerializedThrowable.of(failure.value))

    def _fail_running_task(self, task, cause):
        if self._slots.task(task.attempt_id) is task:
            task.fail_externally(cause)

    def _task_terminated(self, task):
        _, releasing = self._slots.remove_task(task.attempt_id)
        self._info(f"Un-registering task and sending final execution state {task.state} to "
                   f"JobManager for task {task.name} {task.attempt_id}.")
        self._job_master_of(task).update_task_execution_state(
            self._execution_state(task)).addErrback(_ignore)
        if releasing is not None:
            self._free_slot(releasing, FlinkException(
                f"TaskSlotTable requested freeing the TaskSlot {releasing}."))

    def _task_checkpoint_acknowledged(self, task, checkpoint_id, offset):
        self._job_master_of(task).acknowledge_checkpoint(
            task.attempt_id, checkpoint_id, offset).addErrback(_ignore)

    def _job_master_of(self, task):
        return self._rpc.connect(task.tdd.job_master_address)

    @staticmethod
    def _execution_state(task):
        return TaskExecutionState(task.job_id, task.attempt_id, task.state, task.failure_cause,
                                  task.records_out())

    # Slots: offering and freeing

    def _offer_slots(self, job):
        slots = self._slots.allocated_slots_of_job(job.job_id)
        if not slots:
            return
        self._info(f"Offer reserved slots to the leader of job {job.job_id}.")
        offers = [slot.offer() for slot in slots]
        sequence = job.next_offer()
        d = job.gateway.offer_slots(self.resource_id, offers)
        d.addCallbacks(self._offers_answered, self._offers_failed,
                       callbackArgs=(job, sequence, offers), errbackArgs=(job, sequence, offers))

    def _current_offer(self, job, sequence):
        return (self._jobs.get(job.job_id) is job and job.connected
                and job.offer_sequence == sequence)

    def _offers_answered(self, accepted, job, sequence, offers):
        if not self._current_offer(job, sequence):
            return
        accepted_ids = {offer.allocation_id for offer in accepted or ()}
        taken = 0
        for offer in offers:
            allocation_id = offer.allocation_id
            if allocation_id in accepted_ids:
                taken += 1
                if not self._slots.mark_active(allocation_id, job.job_id):
                    job.gateway.fail_slot(self.resource_id, allocation_id, FlinkException(
                        f"Could not mark slot {allocation_id} active.")).addErrback(_ignore)
        self._slots_offered(job, len(offers), taken)
        rejected = FlinkException("The slot was rejected by the JobManager.")
        for offer in offers:
            if offer.allocation_id not in accepted_ids:
                self._free_slot(offer.allocation_id, rejected)

    def _offers_failed(self, failure, job, sequence, offers):
        if not self._current_offer(job, sequence):
            return
        self._log.warn(TASK_EXECUTOR_LOGGER, "Slot offering to JobManager failed. Freeing the "
                                             "slots and returning them to the ResourceManager. "
                                             f"{failure.getErrorMessage()}")
        self._slots_offered(job, len(offers), 0)
        for offer in offers:
            self._free_slot(offer.allocation_id, failure.value)

    def _slots_offered(self, job, offered, accepted):
        if self._events is not None:
            self._events.emit(SlotsOffered(self._events.now(), self._application_id, job.job_id,
                                           str(self.resource_id), offered, accepted))

    def _slot_timed_out(self, allocation_id):
        self._free_slot(allocation_id, FlinkException(f"The slot {allocation_id} has timed out."))

    def _free_slot(self, allocation_id, cause):
        """
        Free a slot (Flink's ``freeSlotInternal``): one with tasks fails them and is free once
        they are gone; a free slot is reported to the ResourceManager, and a job without slots
        here is released.
        """
        slot = self._slots.slot(allocation_id)
        if slot is None:
            return
        tasks = list(slot.tasks.values())
        index = self._slots.free(allocation_id)
        if index is None:
            for task in tasks:
                task.fail_externally(_serialized(cause))
            return
        self._resource_manager.notify_slot_available(SlotID(self.resource_id, index),
                                                    allocation_id)
        if not self._slots.allocation_ids_of_job(slot.job_id):
            self._release_job(slot.job_id, FlinkException(
                f"TaskExecutor {self.address} has no more allocated slots for job "
                f"{slot.job_id}."))

    # JobMasters

    def _register_at(self, gateway, job_id):
        return gateway.register_task_manager(self.address, self.resource_id, self._data_host,
                                             self._data_port, job_id)

    def _job_manager_connected(self, job):
        self._info(f"Establish JobManager connection for job {job.job_id}.")
        self._job_manager_heartbeats.monitor(job.job_master_resource_id)
        self._offer_slots(job)

    def _job_manager_rejected(self, job, decline):
        self._info(f"The JobManager under {job.address} rejected the registration for job "
                   f"{job.job_id}: {decline.reason}. Releasing all job related resources.")
        self._release_job(job.job_id, FlinkException(
            f"JobManager {job.job_id} has rejected the registration."))

    def _release_job(self, job_id, cause):
        """Free the job's slots and forget the job (Flink's ``releaseJobResources``)."""
        for allocation_id in self._slots.allocation_ids_of_job(job_id):
            self._free_slot(allocation_id, cause)
        job = self._jobs.remove(job_id)
        if job is not None and job.connected:
            self._disconnect_job_manager(job, cause)

    def _disconnect_job_manager(self, job, cause):
        """
        Close the connection to a job's JobMaster (telling it why): the job's tasks fail and its
        slots are freed.
        """
        self._info(f"Close JobManager connection for job {job.job_id}.")
        job_master_resource_id = job.job_master_resource_id
        job.job_master_resource_id = None
        if not self._jobs.connected_to(job_master_resource_id):
            self._job_manager_heartbeats.unmonitor(job_master_resource_id)
        job.gateway.disconnect_task_manager(self.resource_id, cause).addErrback(_ignore)
        failure = FlinkException(f"Disconnect from JobManager responsible for {job.job_id}.")
        for allocation_id in self._slots.allocation_ids_of_job(job.job_id):
            self._free_slot(allocation_id, failure)

    def _job_manager_heartbeat_lost(self, job_master_resource_id, how):
        message = f"The heartbeat of JobManager with id {job_master_resource_id} timed out."
        self._info(message)
        for job in self._jobs.connected_to(job_master_resource_id):
            self._disconnect_job_manager(job, TimeoutException(message))

    def _info(self, message):
        self._log.info(TASK_EXECUTOR_LOGGER, message)


class _TaskManagerActions:
    """
    What a task tells its TaskExecutor (Flink's ``TaskManagerActions``), kept off the RPC
    endpoint so that only the gateway's methods are served.
    """

    def __init__(self, task_executor):
        self._task_executor = task_executor

    def task_state_changed(self, task):
        """A task is INITIALIZING or RUNNING: tell its JobMaster; if that fails, fail the task."""
        self._task_executor._task_state_changed(task)

    def task_terminated(self, task):
        """A task is gone: unregister it and send its final state; free its slot if releasing."""
        self._task_executor._task_terminated(task)

    def task_checkpoint_acknowledged(self, task, checkpoint_id, offset):
        """A task finished its snapshot: acknowledge the checkpoint to its JobMaster."""
        self._task_executor._task_checkpoint_acknowledged(task, checkpoint_id, offset)


def _error(cause):
    """:return: ``cause`` as an exception (a string becomes a ``FlinkException``)."""
    if isinstance(cause, BaseException):
        return cause
    return FlinkException(str(cause))


def _serialized(cause):
    """:return: ``cause`` as the ``SerializedThrowable`` a failed task reports."""
    if isinstance(cause, SerializedThrowable):
        return cause
    return SerializedThrowable.of(_error(cause))


def _ignore(failure):
    """A one-way message: whether it arrived does not matter."""
    return None
