"""
Test doubles for the TaskExecutor tests: a real yarnemu cluster on a virtual clock that can run
the TaskExecutor runner in containers (allocated to an unmanaged AM the test drives, started
through the NodeManager client with a staged ``flink-conf.yaml``), and a fake JobManager process
— an RPC service of its own on the cluster's network, with a fake ResourceManager (at
``resourcemanager_0``) and fake JobMasters that record every call and answer as Flink's do,
including their heartbeat requests.
"""

import os

from flinkyarn.config import Configuration, TaskExecutorProcessSpec
from flinkyarn.graph.job_graph import ChainedOperator
from flinkyarn.ids import (
    ExecutionAttemptID,
    ExecutionVertexID,
    IdGenerator,
    IntermediateDataSetID,
    IntermediateResultPartitionID,
    JobVertexID,
    OperatorID,
    ResourceID,
)
from flinkyarn.runtime.heartbeat import HeartbeatSender
from flinkyarn.runtime.messages import (
    InputPartition,
    RegistrationDecline,
    RegistrationSuccess,
    ResourceProfile,
    SlotID,
    TaskDeploymentDescriptor,
)
from flinkyarn.runtime.rpc import RpcService
from flinkyarn.runtime.taskexecutor import YarnTaskExecutorRunner
from flinkyarn.yarn.constants import TASK_EXECUTOR_RUNNER
from yarnemu.client.nm_client import NMClient
from yarnemu.clock import VirtualClock
from yarnemu.cluster import DEFAULT_EPOCH, NodeGroup, YarnCluster
from yarnemu.events import LogRecorded
from yarnemu.nodemanager.programs import ProgramRegistry
from yarnemu.nodemanager.scoped_clock import ScopedClock
from yarnemu.programs import builtin_programs
from yarnemu.records import (
    ANY,
    URL,
    AllocateRequest,
    ApplicationSubmissionContext,
    ContainerLaunchContext,
    LocalResource,
    RegisterApplicationMasterRequest,
    Resource,
    ResourceRequest,
)
from yarnemu.timers import GridTimer, now_ms

#: The tests' flink-conf.yaml: the shipped TaskManager size, two slots.
FLINK_CONF = {
    "taskmanager.memory.process.size": "1728m",
    "taskmanager.numberOfTaskSlots": "2",
}


def _hex_id(ids, cls):
    return cls.from_bytes(ids.getrandbits(128).to_bytes(16, "big"))


class Recorder:
    """Records ``(time_ms, method, args)`` of the calls a fake endpoint receives."""

    def __init__(self, clock):
        self._clock = clock
        self.calls = []

    def record(self, method, *args):
        self.calls.append((now_ms(self._clock), method, args))

    def of(self, method):
        """:return: ``(time_ms, args)`` of every call of ``method``, in order."""
        return [(time, args) for time, name, args in self.calls if name == method]


class FakeResourceManager(Recorder):
    """
    Flink's ResourceManager as a TaskExecutor sees it: accepts (or declines) registrations,
    requests heartbeats of registered TaskExecutors every ``heartbeat.interval``, and records
    everything.

    :ivar decline: a reason to decline every registration with, or ``None``.
    :ivar heartbeats_enabled: whether it requests heartbeats of registered TaskExecutors.
    """

    def __init__(self, process):
        super().__init__(process.clock)
        self.process = process
        self.resource_id = process.resource_id
        self.decline = None
        self.heartbeats_enabled = True
        self.registrations = {}
        self.lost = []
        self._registration_ids = 0
        self.heartbeats = HeartbeatSender(process.clock, 10000, 50000, 2,
                                          lambda target, how: self.lost.append((target, how)))

    def register_task_executor(self, registration):
        self.record("register_task_executor", registration)
        if self.decline is not None:
            return RegistrationDecline(self.decline)
        self._registration_ids += 1
        self.registrations[registration.resource_id] = registration
        if self.heartbeats_enabled:
            gateway = self.process.rpc.connect(registration.address)
            resource_id = registration.resource_id
            self.heartbeats.monitor(
                resource_id, lambda: gateway.heartbeat_from_resource_manager(self.resource_id),
                lambda report: self.record("heartbeat_answer", resource_id, report))
        return RegistrationSuccess(f"{self._registration_ids:032x}", self.resource_id)

    def send_slot_report(self, task_executor_resource_id, registration_id, slot_report):
        self.record("send_slot_report", task_executor_resource_id, registration_id, slot_report)

    def notify_slot_available(self, task_executor_resource_id, registration_id, slot_id,
                              allocation_id):
        self.record("notify_slot_available", task_executor_resource_id, registration_id,
                    slot_id, allocation_id)

    def heartbeat_from_task_manager(self, resource_id, slot_report):
        self.record("heartbeat_from_task_manager", resource_id, slot_report)

    def disconnect_task_manager(self, resource_id, cause):
        self.record("disconnect_task_manager", resource_id, cause)
        self.heartbeats.unmonitor(resource_id)

    def register_job_master(self, job_master_id, job_master_resource_id, job_master_address,
                            job_id):
        self.record("register_job_master", job_master_id, job_id)
        return RegistrationSuccess("0" * 32, self.resource_id)

    def declare_required_resources(self, job_master_id, resource_requirements):
        self.record("declare_required_resources", resource_requirements)

    def disconnect_job_manager(self, job_id, job_status, cause):
        self.record("disconnect_job_manager", job_id, job_status, cause)

    def request_slot(self, task_executor, slot_number, job_master, allocation_id=None):
        """
        Allocate slot ``slot_number`` of a registered TaskExecutor (its registration) to the job
        of ``job_master``.

        :return: ``(allocation_id, Deferred of the call)``.
        """
        if allocation_id is None:
            allocation_id = self.process.ids.allocation_id()
        gateway = self.process.rpc.connect(task_executor.address)
        d = gateway.request_slot(SlotID(task_executor.resource_id, slot_number),
                                 job_master.job_id, allocation_id, ResourceProfile.UNKNOWN,
                                 job_master.address, self.resource_id)
        return allocation_id, d


class FakeJobMaster(Recorder):
    """
    One job's JobMaster: accepts TaskExecutor registrations and requests their heartbeats,
    accepts slot offers (all, or those ``accept`` picks), records task states and checkpoint
    acknowledgements.

    :ivar accept: ``offer → bool``; every offer by default.
    :ivar knows: ``TaskExecutionState → bool``, its answer to state updates; ``True`` by default.
    :ivar states: ``(time_ms, TaskExecutionState)`` of every state update, in order.
    """

    def __init__(self, process, job_id, resource_id):
        super().__init__(process.clock)
        self.process = process
        self.job_id = job_id
        self.resource_id = resource_id
        self.accept = lambda offer: True
        self.knows = lambda task_execution_state: True
        self.decline = None
        self.states = []
        self.lost = []
        self.task_executors = {}
        self.heartbeats = HeartbeatSender(process.clock, 10000, 50000, 2,
                                          lambda target, how: self.lost.append((target, how)))
        self.address = process.rpc.start_server(self, "jobmanager")

    def register_task_manager(self, task_executor_address, resource_id, data_host, data_port,
                              job_id):
        self.record("register_task_manager", task_executor_address, resource_id, data_host,
                    data_port, job_id)
        if self.decline is not None:
            return RegistrationDecline(self.decline)
        gateway = self.process.rpc.connect(task_executor_address)
        self.task_executors[resource_id] = (gateway, data_host, data_port)
        self.heartbeats.monitor(
            resource_id, lambda: gateway.heartbeat_from_job_manager(self.resource_id),
            lambda report: self.record("heartbeat_answer", resource_id, report))
        return RegistrationSuccess(f"{len(self.task_executors):032x}", self.resource_id)

    def offer_slots(self, resource_id, offers):
        self.record("offer_slots", resource_id, tuple(offers))
        return [offer for offer in offers if self.accept(offer)]

    def update_task_execution_state(self, task_execution_state):
        self.record("update_task_execution_state", task_execution_state)
        self.states.append((now_ms(self.process.clock), task_execution_state))
        return self.knows(task_execution_state)

    def acknowledge_checkpoint(self, execution_attempt_id, checkpoint_id, offset):
        self.record("acknowledge_checkpoint", execution_attempt_id, checkpoint_id, offset)

    def heartbeat_from_task_manager(self, resource_id):
        self.record("heartbeat_from_task_manager", resource_id)

    def heartbeat_from_resource_manager(self, resource_manager_resource_id):
        self.record("heartbeat_from_resource_manager", resource_manager_resource_id)

    def disconnect_task_manager(self, resource_id, cause):
        self.record("disconnect_task_manager", resource_id, cause)
        self.heartbeats.unmonitor(resource_id)

    def fail_slot(self, resource_id, allocation_id, cause):
        self.record("fail_slot", resource_id, allocation_id, cause)

    # What the tests make it do

    def gateway(self, resource_id):
        return self.task_executors[resource_id][0]

    def data_address(self, resource_id):
        """:return: ``(host, port)`` of a registered TaskExecutor's data server."""
        _, host, port = self.task_executors[resource_id]
        return host, port

    def states_of(self, attempt_id):
        """:return: ``(time_ms, state name)`` of the updates of one attempt, in order."""
        return [(time, str(state.state)) for time, state in self.states
                if state.execution_attempt_id == attempt_id]

    def final_state(self, attempt_id):
        """:return: the last ``TaskExecutionState`` of an attempt, or ``None``."""
        updates = [state for _, state in self.states if state.execution_attempt_id == attempt_id]
        return updates[-1] if updates else None


class FakeJobManagerProcess:
    """
    The JobManager process's RPC side: its own scoped clock (so that it can die), an RPC service
    on ``host``, a :class:`FakeResourceManager` at ``resourcemanager_0`` and
    :class:`FakeJobMaster` endpoints at ``jobmanager_<n>``.
    """

    def __init__(self, cluster, host, seed=7, port=0):
        self.clock = ScopedClock(cluster.clock)
        self.host = host
        self.ids = IdGenerator(seed)
        self.resource_id = ResourceID("jobmanager-" + self.ids.resource_id().value[:8])
        self.rpc = RpcService(cluster.network, host, self.clock, port)
        self.resource_manager = FakeResourceManager(self)
        self.resource_manager_address = self.rpc.start_server(self.resource_manager,
                                                              "resourcemanager")
        self.job_masters = []

    @property
    def port(self):
        return self.rpc.port

    def add_job_master(self):
        """:return: a new :class:`FakeJobMaster` of a new job."""
        job_master = FakeJobMaster(self, self.ids.job_id(), self.ids.resource_id())
        self.job_masters.append(job_master)
        return job_master

    def kill(self):
        """The process dies: its endpoints are gone and its timers never fire."""
        self.clock.close()


class UnmanagedApplicationMaster:
    """
    The Flink cluster's YARN application, driven by the test as an unmanaged AM: it asks for
    containers on given nodes (strict locality) and heartbeats every 10 s so that it stays alive.
    """

    def __init__(self, cluster, run_until):
        client = cluster.rm.client_service
        self.service = cluster.rm.am_service
        self.application_id = client.get_new_application().application_id
        client.submit_application(ApplicationSubmissionContext(
            application_id=self.application_id, am_container_spec=ContainerLaunchContext(),
            queue="default", resource=Resource(1024, 1), unmanaged_am=True), "alice")
        app = cluster.rm.apps[self.application_id]
        run_until(lambda: app.current_attempt is not None
                  and app.current_attempt.state.value == "LAUNCHED")
        self.attempt_id = app.current_attempt.attempt_id
        self.service.register_application_master(
            self.attempt_id, RegisterApplicationMasterRequest("node-0", 0, ""))
        self._response_id = 0
        self._priority = 0
        self._run_until = run_until
        self._allocated = []
        self._heartbeat = GridTimer(cluster.clock, 10000, lambda now: self._allocate())
        self._heartbeat.start()

    def _allocate(self, ask=()):
        response = self.service.allocate(self.attempt_id, AllocateRequest(
            response_id=self._response_id, ask=ask))
        self._response_id = response.response_id
        self._allocated.extend(response.allocated_containers)

    def container_on(self, host, resource):
        """:return: a container YARN allocated on ``host``."""
        self._priority += 1
        priority = self._priority
        self._allocate([ResourceRequest(priority, host, resource, 1),
                        ResourceRequest(priority, "/default-rack", resource, 1,
                                        relax_locality=False),
                        ResourceRequest(priority, ANY, resource, 1, relax_locality=False)])

        def allocated():
            self._allocate()
            return any(container.priority == priority for container in self._allocated)

        self._run_until(allocated)
        (container,) = [c for c in self._allocated if c.priority == priority]
        return container


class TaskExecutorCluster:
    """
    A started :class:`YarnCluster` on a :class:`VirtualClock` whose containers may run
    ``org.apache.flink.yarn.YarnTaskExecutorRunner``, with a fake JobManager process on its
    first node.

    :ivar flink_conf: the staged ``flink-conf.yaml`` settings.
    """

    def __init__(self, data_dir, nodes=3, flink_conf=None, seed=7):
        self.clock = VirtualClock(DEFAULT_EPOCH)
        programs = builtin_programs().merged(
            ProgramRegistry({TASK_EXECUTOR_RUNNER: YarnTaskExecutorRunner}))
        self.cluster = YarnCluster(self.clock, data_dir, [NodeGroup(nodes)], programs=programs)
        self.cluster.start()
        self.clock.advance(1)
        self.nm_client = NMClient(self.cluster.container_manager)
        self.application_master = UnmanagedApplicationMaster(self.cluster, self._step_until)
        self.application_id = self.application_master.application_id
        self.flink_conf = dict(FLINK_CONF if flink_conf is None else flink_conf)
        self.job_manager = FakeJobManagerProcess(self.cluster, "node-0", seed)
        self.ids = self.job_manager.ids
        self._staged = 0

    @property
    def events(self):
        return self.cluster.events.events

    def run(self, seconds):
        self.clock.advance(seconds)

    def _step_until(self, predicate):
        while not predicate():
            self.clock.advance(0.1)

    def run_until(self, predicate, seconds=600):
        assert self.clock.run_until_true(predicate, limit=self.clock.seconds() + seconds), \
            "the condition did not come true in time"

    def now_ms(self):
        return now_ms(self.clock)

    # TaskManager containers

    def start_task_manager(self, host="node-1", flink_conf=None, **dynamic):
        """
        Start a TaskManager container on ``host``, as Flink's YarnResourceManager does: the
        staged ``flink-conf.yaml`` localized, the runner's command with ``-D`` properties.

        :param dynamic: more ``-D`` properties (``_`` in names stands for ``.``).
        :return: the :class:`Container`.
        """
        settings = dict(self.flink_conf if flink_conf is None else flink_conf)
        configuration = Configuration(settings)
        spec = TaskExecutorProcessSpec.from_config(configuration)
        container = self.application_master.container_on(
            host, Resource(spec.container_memory_mb, 1))
        self._staged += 1
        path = f"/user/alice/.flink/{self.application_id}/flink-conf-{self._staged}.yaml"
        status = self.cluster.filesystem.create(path, configuration.to_flink_conf().encode(),
                                                "alice")
        resource = LocalResource(URL.for_hdfs_path(path), status.length,
                                 status.modification_time)
        properties = {
            "taskmanager.resource-id": str(container.id),
            "jobmanager.rpc.address": self.job_manager.host,
            "jobmanager.rpc.port": str(self.job_manager.port),
        }
        properties.update({key.replace("_", "."): value for key, value in dynamic.items()})
        command = " ".join([
            TASK_EXECUTOR_RUNNER, spec.dynamic_properties(), "--configDir .",
            " ".join(f"-D {key}={value}" for key, value in properties.items()),
            "1> <LOG_DIR>/taskmanager.out 2> <LOG_DIR>/taskmanager.err",
        ])
        self.nm_client.start_container(container, ContainerLaunchContext(
            local_resources={"flink-conf.yaml": resource}, commands=[command]))
        return container

    def stop_container(self, container):
        self.nm_client.stop_container(container.id, container.node_id)

    def nm_container(self, container):
        return self.cluster.node_managers[container.node_id.host].containers[container.id]

    def runner(self, container):
        """:return: the :class:`YarnTaskExecutorRunner` running in ``container``."""
        return self.nm_container(container).running.program

    def exit_code(self, container):
        """:return: the exit code of the container's process, or ``None`` while it runs."""
        running = self.nm_container(container).running
        return running.context.exit_code if running is not None else None

    def restart_job_manager(self, port=None):
        """
        Start a new fake JobManager process on the same host (by default, the same port, as
        ``jobmanager.rpc.port`` names it); :return: it.
        """
        self.job_manager = FakeJobManagerProcess(
            self.cluster, self.job_manager.host, seed=11,
            port=self.job_manager.port if port is None else port)
        return self.job_manager

    def log_events(self, container):
        """:return: ``(time_ms, message)`` of every line the container's process logged."""
        subject = str(container.id)
        return [(event.time, event.message) for event in self.events
                if isinstance(event, LogRecorded) and event.subject_id == subject]

    def logged_at(self, container, text):
        """:return: the times the container's process logged a line containing ``text``."""
        return [time for time, message in self.log_events(container) if text in message]

    def run_until_exit(self, container, seconds=600):
        """
        Run until the container's process exited and its NodeManager is done with it.

        :return: the process's exit code.
        """
        self.run_until(lambda: self.nm_container(container).state.value == "DONE", seconds)
        return self.exit_code(container)

    def log_lines(self, container):
        """:return: the messages of the container's ``taskmanager.log``, in order."""
        path = os.path.join(self.nm_container(container).log_dir, "taskmanager.log")
        with open(path, encoding="utf-8") as stream:
            return [line.rstrip("\n").split(" - ", 1)[1] for line in stream]

    def registration_of(self, container):
        """:return: the TaskExecutorRegistration of the container's TaskExecutor."""
        return self.job_manager.resource_manager.registrations[ResourceID(str(container.id))]

    def start_registered_task_manager(self, host="node-1", **kw):
        """
        Start a TaskManager and run until it is registered.

        :return: ``(container, registration)``.
        """
        container = self.start_task_manager(host, **kw)
        resource_id = ResourceID(str(container.id))
        self.run_until(lambda: resource_id in self.job_manager.resource_manager.registrations)
        return container, self.registration_of(container)

    def allocate_slot(self, registration, job_master, slot_number=0):
        """
        Have the ResourceManager allocate a slot to ``job_master``'s job and run until the
        TaskExecutor offered it.

        :return: the allocation id.
        """
        allocation_id, d = self.job_manager.resource_manager.request_slot(
            registration, slot_number, job_master)
        failures = []
        d.addErrback(failures.append)
        self.run_until(lambda: failures or any(
            offer.allocation_id == allocation_id
            for _, (_, offers) in job_master.of("offer_slots") for offer in offers))
        assert not failures, failures[0]
        self.run(0.001)
        return allocation_id

    def submit(self, job_master, registration, tdd):
        """Submit a task; :return: the call's result (or failure) once answered."""
        results = []
        gateway = self.job_manager.rpc.connect(registration.address)
        gateway.submit_task(tdd, job_master.job_id).addBoth(results.append)
        self.run_until(lambda: results)
        return results[0]

    # Deployment descriptors

    def tdd(self, job_master, allocation_id, name="Source: numbers", index=0, parallelism=1,
            simulations=(None,), inputs=(), produced=(), attempt=0, restored_offset=0,
            vertex_id=None):
        """:return: a TaskDeploymentDescriptor of one subtask of a vertex whose chained
        operators carry ``simulations``."""
        vertex_id = vertex_id or _hex_id(self.ids, JobVertexID)
        operators = tuple(
            ChainedOperator(OperatorID(vertex_id.hex) if position == 0
                            else _hex_id(self.ids, OperatorID),
                            name if position == 0 else f"Operator {position}",
                            "source" if position == 0 and not inputs else "map",
                            simulation=simulation)
            for position, simulation in enumerate(simulations))
        attempt_id = ExecutionAttemptID(self.ids.execution_graph_id(),
                                        ExecutionVertexID(vertex_id, index), attempt)
        return TaskDeploymentDescriptor(
            job_id=job_master.job_id, job_name="test job", execution_attempt_id=attempt_id,
            job_vertex_id=vertex_id, task_name=name,
            task_name_with_subtask_index=f"{name} ({index + 1}/{parallelism})",
            subtask_index=index, number_of_subtasks=parallelism, attempt_number=attempt,
            allocation_id=allocation_id, job_master_address=job_master.address,
            operators=operators, inputs=inputs, produced_partitions=produced,
            restored_offset=restored_offset)

    def partition_id(self, number=0, data_set=None):
        """:return: ``(data set id, IntermediateResultPartitionID)``."""
        data_set = data_set or _hex_id(self.ids, IntermediateDataSetID)
        return data_set, IntermediateResultPartitionID(data_set, number)


def input_from(job_master, registration, partition_id):
    """:return: an InputPartition of ``partition_id`` produced on that TaskExecutor."""
    host, port = job_master.data_address(registration.resource_id)
    return InputPartition(partition_id, host, port)
