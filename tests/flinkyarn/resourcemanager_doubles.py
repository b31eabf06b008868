"""
Test doubles for the ResourceManager tests: a real :class:`~yarnemu.cluster.YarnCluster` on a
virtual clock whose application master is :class:`JobManagerDouble` — a Flink process that runs
the real :class:`ResourceManager` with the real :class:`YarnResourceManagerDriver` — and whose
TaskManager containers run :class:`FakeTaskExecutor`, registered under
``org.apache.flink.yarn.YarnTaskExecutorRunner``: it registers at the ResourceManager, reports
its slots, answers heartbeats, records ``request_slot`` calls and offers the slots to the job's
JobMaster, a :class:`FakeJobMaster` served in the JobManager process.

:class:`ResourceManagerCluster` stages what a Flink client would (flink-dist, the configuration
file, ``log4j.properties``) on the fake HDFS and gives the application master Flink's
environment (``_FLINK_DIST_JAR``, ``_CLIENT_SHIP_FILES``, ``_FLINK_YARN_FILES``, …).  Its
attributes steer the doubles (whether TaskExecutors register, whether ``request_slot`` fails,
whether TaskManager containers crash, whether the NodeManager refuses to start them).
"""

from twisted.internet.defer import Deferred
from zope.interface import implementer

from flinkyarn.config import Configuration
from flinkyarn.config import options as o
from flinkyarn.events import TaskManagerRegistered, WorkerRequested
from flinkyarn.ids import JobID, ResourceID
from flinkyarn.runtime.errors import SlotAllocationException
from flinkyarn.runtime.gateways import (
    JOB_MASTER_NAME,
    TASK_EXECUTOR_NAME,
    resource_manager_address,
)
from flinkyarn.runtime.messages import (
    HardwareDescription,
    RegistrationSuccess,
    ResourceProfile,
    ResourceRequirement,
    ResourceRequirements,
    SlotID,
    SlotOffer,
    SlotReport,
    SlotStatus,
    TaskExecutorRegistration,
)
from flinkyarn.runtime.process import FlinkProcess
from flinkyarn.runtime.resourcemanager import (
    IResourceEventHandler,
    ResourceManager,
    YarnResourceManagerDriver,
)
from flinkyarn.runtime.rpc import RpcService
from flinkyarn.states import JobStatus
from flinkyarn.yarn.constants import (
    ENV_APP_ID,
    ENV_CLIENT_HOME_DIR,
    ENV_CLIENT_SHIP_FILES,
    ENV_FLINK_CLASSPATH,
    ENV_FLINK_DIST_JAR,
    ENV_FLINK_YARN_FILES,
    ENV_HADOOP_USER_NAME,
    TASK_EXECUTOR_RUNNER,
)
from flinkyarn.yarn.resource_descriptor import YarnLocalResourceDescriptor, join_descriptors
from yarnemu.client.nm_client import NMClient
from yarnemu.clock import VirtualClock
from yarnemu.cluster import DEFAULT_EPOCH, NodeGroup, YarnCluster
from yarnemu.config import YarnConfiguration
from yarnemu.errors import YarnException
from yarnemu.events import ContainerAllocated, LogRecorded
from yarnemu.programs import builtin_programs
from yarnemu.records.client_protocol import ApplicationSubmissionContext
from yarnemu.records.containers import ContainerLaunchContext
from yarnemu.records.resource import Resource
from yarnemu.records.states import LocalResourceVisibility

__all__ = [
    "ResourceManagerCluster",
    "JobManagerDouble",
    "FakeTaskExecutor",
    "FakeJobMaster",
    "RefusingNMClient",
    "RecordingEventHandler",
    "JOBMANAGER_PROGRAM",
    "HDFS",
    "USER",
]

JOBMANAGER_PROGRAM = "flinkyarn.testing.ResourceManagerJobManager"
HDFS = "hdfs://namenode:8020"
USER = "alice"
REST_PORT = 8081
JVM_SHUTDOWN_SECONDS = 0.1
EPOCH_MS = int(DEFAULT_EPOCH * 1000)


class ResourceManagerCluster:
    """
    :param tmp_path: a directory for the cluster's data.
    :param flink: Flink settings over the shipped defaults (staged as ``flink-conf.yaml``).
    :param yarn: yarn-site settings.
    :param int fixed_workers: run a standalone ResourceManager of that many workers.
    :param bool driver_only: run the YARN driver alone, reporting to a
        :class:`RecordingEventHandler` instead of a ResourceManager.

    :ivar bool register: whether TaskExecutors register at the ResourceManager.
    :ivar int fail_request_slot: how many more ``request_slot`` calls fail.
    :ivar int crash_task_executors: how many more TaskManager containers exit 1 at once.
    :ivar int refuse_starts: how many more container starts the NodeManagers refuse.
    :ivar bool hang_heartbeats: whether TaskExecutors stop answering heartbeats.
    """

    def __init__(self, tmp_path, flink=None, yarn=None, nodes=3, fixed_workers=None,
                 driver_only=False):
        self.clock = VirtualClock(DEFAULT_EPOCH)
        programs = builtin_programs()
        programs.register(JOBMANAGER_PROGRAM, lambda context: JobManagerDouble(context, self))
        programs.register(TASK_EXECUTOR_RUNNER, lambda context: FakeTaskExecutor(context, self))
        self.cluster = YarnCluster(self.clock, tmp_path, [NodeGroup(nodes)],
                                   config=YarnConfiguration(yarn or {}), programs=programs)
        self.config = Configuration.shipped_default().with_values(flink or {})
        self.fixed_workers = fixed_workers
        self.driver_only = driver_only
        self.jobmanagers = []
        self.task_executors = []
        self.register = True
        self.fail_request_slot = 0
        self.crash_task_executors = 0
        self.refuse_starts = 0
        self.hang_heartbeats = False
        self.application_id = None
        self.cluster.start()
        self.clock.advance(1)

    # Running

    def start(self, seconds=60):
        """
        Submit the Flink cluster and run until its ResourceManager (or driver) has started.

        :return: the ResourceManager (``None`` with ``driver_only``).
        """
        self.submit()
        self.run_until(lambda: self.jobmanagers and self.jobmanager.ready, seconds)
        return self.rm

    def submit(self):
        client = self.cluster.rm.client_service
        self.application_id = client.get_new_application().application_id
        environment, resources = self.stage(self.application_id)
        command = (f"$JAVA_HOME/bin/java -Xmx1073741824 {JOBMANAGER_PROGRAM} "
                   "1> <LOG_DIR>/jobmanager.out 2> <LOG_DIR>/jobmanager.err")
        client.submit_application(ApplicationSubmissionContext(
            application_id=self.application_id, application_name="Flink session cluster",
            application_type="Apache Flink", resource=Resource(1600, 1),
            am_container_spec=ContainerLaunchContext(local_resources=resources,
                                                     environment=environment,
                                                     commands=[command]),
        ), USER)
        return self.application_id

    def stage(self, application_id):
        """
        Upload flink-dist, the configuration and log4j.properties as a Flink client would.

        :return: ``(AM environment, AM local resources)``.
        """
        fs = self.cluster.filesystem
        directory = f"/user/{USER}/.flink/{application_id}"
        files = {
            "flink-dist.jar": b"flink-dist " * 100,
            "flink-conf.yaml": self.config.to_flink_conf().encode(),
            "log4j.properties": b"rootLogger.level = INFO\n",
        }
        descriptors = {}
        for name, data in files.items():
            path = f"{directory}/{name}"
            fs.create(path, data, USER, overwrite=True)
            status = fs.get_file_status(path)
            descriptors[name] = YarnLocalResourceDescriptor(
                name, f"{HDFS}{path}", status.length, status.modification_time,
                LocalResourceVisibility.APPLICATION)
        shipped = [descriptors["flink-conf.yaml"], descriptors["log4j.properties"]]
        environment = {
            ENV_FLINK_DIST_JAR: str(descriptors["flink-dist.jar"]),
            ENV_CLIENT_SHIP_FILES: join_descriptors(shipped),
            ENV_FLINK_YARN_FILES: f"{HDFS}{directory}",
            ENV_FLINK_CLASSPATH: ":flink-dist.jar:flink-conf.yaml:",
            ENV_HADOOP_USER_NAME: USER,
            ENV_APP_ID: str(application_id),
            ENV_CLIENT_HOME_DIR: f"{HDFS}/user/{USER}",
        }
        resources = {name: descriptor.to_local_resource()
                     for name, descriptor in descriptors.items()}
        return environment, resources

    def run_until(self, predicate, seconds=600):
        """Drive the clock until ``predicate()`` holds; fail if it does not within ``seconds``."""
        if not self.clock.run_until_true(predicate, limit=self.clock.seconds() + seconds):
            raise AssertionError(f"condition not reached within {seconds} s")

    def advance(self, seconds):
        self.clock.advance(seconds)

    def now_ms(self):
        return int(round(self.clock.seconds() * 1000))

    # What happened

    @property
    def jobmanager(self):
        return self.jobmanagers[-1]

    @property
    def rm(self):
        return self.jobmanager.rm

    @property
    def driver(self):
        return self.jobmanager.driver

    @property
    def registered(self):
        """The FakeTaskExecutors whose registration the ResourceManager accepted."""
        return [te for te in self.task_executors if te.registration_id is not None]

    def logs(self, text="", source="JobManager"):
        """:return: ``(time_ms, level, message)`` of the log lines containing ``text``."""
        return [(event.time, event.level, event.message) for event in self.cluster.events.events
                if isinstance(event, LogRecorded) and event.source == source
                and text in event.message]

    def messages(self, text="", source="JobManager"):
        return [message for _, _, message in self.logs(text, source)]

    def worker_requests(self):
        return [e for e in self.cluster.events.events if isinstance(e, WorkerRequested)]

    def registrations(self):
        return [e for e in self.cluster.events.events if isinstance(e, TaskManagerRegistered)]

    def allocations(self):
        """The ContainerAllocated events of the Flink cluster's TaskManager containers."""
        app = self.cluster.rm.apps[self.application_id]
        ams = {attempt.master_container.container_id for attempt in app.attempts}
        return [e for e in self.cluster.events.events if isinstance(e, ContainerAllocated)
                and e.container_id.application_id == self.application_id
                and e.container_id not in ams]

    def task_containers(self):
        app = self.cluster.rm.apps[self.application_id]
        return [c for attempt in app.attempts for c in attempt.containers if not c.is_am]

    def task_executor(self, resource_id):
        return next(te for te in self.task_executors if str(te.resource_id) == str(resource_id))


class RefusingNMClient(NMClient):
    """An NMClient whose NodeManagers refuse the next ``cluster.refuse_starts`` starts."""

    def __init__(self, container_managers, cluster):
        super().__init__(container_managers)
        self._cluster = cluster

    def start_container(self, container, launch_context):
        if self._cluster.refuse_starts > 0:
            self._cluster.refuse_starts -= 1
            raise YarnException(f"Container {container.id} refused by the test")
        return super().start_container(container, launch_context)


class JobManagerDouble(FlinkProcess):
    """
    The JobManager process of these tests: an RPC service, the real YARN driver and the real
    ResourceManager, and on demand :class:`FakeJobMaster` endpoints.

    :ivar fatal_errors: the errors the ResourceManager reported as fatal.
    """

    def __init__(self, context, cluster):
        super().__init__(context)
        self.cluster = cluster
        self.fatal_errors = []
        self.rm = None
        self.driver = None
        self.handler = None
        self.ready = False
        cluster.jobmanagers.append(self)

    def start_components(self):
        context = self.context
        self.rpc = RpcService(context.endpoints.network, self.host, context.clock)
        self.driver = YarnResourceManagerDriver(
            context, self.config, self.log, self.host, self.rpc.port, REST_PORT,
            f"http://{self.host}:{REST_PORT}",
            nm_client=RefusingNMClient(context.endpoints.container_managers, self.cluster))
        if self.cluster.driver_only:
            self.handler = RecordingEventHandler()
            self.driver.initialize(self.handler)
            self.ready = True
            return
        self.rm = ResourceManager(
            self.rpc, self.config, self.log, context.clock, context.endpoints.events,
            self.application_id, self.driver, ResourceID(str(self.container_id)),
            fixed_workers=self.cluster.fixed_workers,
            fatal_error_handler=self.fatal_errors.append)
        self.rm.start()
        self.ready = True

    def job_master(self, job_number=1):
        """:return: a :class:`FakeJobMaster` for a new job, registered at the ResourceManager."""
        job_id = JobID(f"{job_number:032x}")
        master = FakeJobMaster(self.rpc, job_id, ResourceID(f"jm-{job_number}"))
        master.connect(self.rm.address)
        return master


@implementer(IResourceEventHandler)
class RecordingEventHandler:
    """Records what a driver reports, as Flink's driver tests' handler does."""

    def __init__(self):
        self.recovered = []
        self.terminated = []
        self.errors = []

    def on_previous_attempt_workers_recovered(self, workers):
        self.recovered.extend(workers)

    def on_worker_terminated(self, resource_id, diagnostics):
        self.terminated.append((resource_id, diagnostics))

    def on_error(self, error):
        self.errors.append(error)


class FakeJobMaster:
    """
    A JobMaster endpoint that registers, declares requirements when told, accepts every offered
    slot and records what the ResourceManager and TaskExecutors tell it.
    """

    def __init__(self, rpc, job_id, resource_id):
        self._rpc = rpc
        self.job_id = job_id
        self.resource_id = resource_id
        self.job_master_id = f"{int(job_id.hex, 16) + 0xabc:032x}"
        self.address = rpc.start_server(self, JOB_MASTER_NAME)
        self.registration = None
        self.task_managers = []
        self.offers = []
        self.disconnected = []
        self.rm_disconnects = []
        self.rm_heartbeats = 0
        self._rm = None

    def connect(self, rm_address):
        self._rm = self._rpc.connect(rm_address)
        d = self._rm.register_job_master(self.job_master_id, self.resource_id, self.address,
                                         self.job_id)
        d.addCallback(lambda response: setattr(self, "registration", response))
        return d

    def declare(self, count):
        """Declare ``count`` slots of any profile (0: none)."""
        requirements = [ResourceRequirement(ResourceProfile.UNKNOWN, count)] if count else []
        return self._rm.declare_required_resources(
            self.job_master_id, ResourceRequirements(self.job_id, self.address, requirements))

    def finish(self, status=JobStatus.FINISHED):
        return self._rm.disconnect_job_manager(self.job_id, status, "The job reached a terminal "
                                                                    "state.")

    @property
    def accepted_slots(self):
        return len(self.offers)

    # IJobMasterGateway (the parts the ResourceManager and FakeTaskExecutor use)

    def register_task_manager(self, task_executor_address, resource_id, data_host, data_port,
                              job_id):
        self.task_managers.append(resource_id)
        return RegistrationSuccess("jobmaster-registration", self.resource_id)

    def offer_slots(self, resource_id, offers):
        self.offers.extend((resource_id, offer) for offer in offers)
        return list(offers)

    def heartbeat_from_resource_manager(self, resource_manager_resource_id):
        self.rm_heartbeats += 1

    def disconnect_task_manager(self, resource_id, cause):
        self.disconnected.append((resource_id, str(cause)))
        self.offers = [(owner, offer) for owner, offer in self.offers if owner != resource_id]

    def disconnect_resource_manager(self, resource_manager_id, cause):
        self.rm_disconnects.append(str(cause))


class FakeTaskExecutor(FlinkProcess):
    """
    A TaskExecutor stand-in in a TaskManager container: it reads its resource id and the
    JobManager's address from its command line, registers (unless the cluster says not to),
    sends its slot report, answers heartbeats with it, and gives slots to jobs on
    ``request_slot`` (recording each call), offering them to the job's JobMaster.
    """

    log_file = "taskmanager.log"
    source = "TaskExecutor"
    startup_option = o.SIM_TASKMANAGER_STARTUP.key

    def __init__(self, context, cluster):
        super().__init__(context)
        self.cluster = cluster
        self.registration_id = None
        self.declines = []
        self.registration_failures = []
        self.request_slots = []
        self.rm_disconnects = []
        self.heartbeats = 0
        self.slots = {}
        self.resource_id = ResourceID(context.environment["CONTAINER_ID"])
        cluster.task_executors.append(self)

    def start(self):
        if self.cluster.crash_task_executors > 0:
            self.cluster.crash_task_executors -= 1
            self.context.exit(1, "The test crashed this TaskExecutor")
            return
        super().start()

    def start_components(self):
        context = self.context
        config = self.config
        assert self.resource_id == ResourceID(config.get_raw("taskmanager.resource-id"))
        self.rpc = RpcService(context.endpoints.network, self.host, context.clock)
        self.address = self.rpc.start_server(self, TASK_EXECUTOR_NAME)
        self.number_of_slots = config.get(o.NUM_TASK_SLOTS)
        self.profile = ResourceProfile(1.0, 384, 0, 512, 128)
        self.slots = {number: None for number in range(self.number_of_slots)}
        self._rm = self.rpc.connect(resource_manager_address(
            config.get_raw("jobmanager.rpc.address"), int(config.get_raw("jobmanager.rpc.port"))))
        if self.cluster.register:
            self.register()

    def terminate(self):
        """SIGTERM: like a JVM running its shutdown hooks, it exits a moment later."""
        self.context.clock.callLater(JVM_SHUTDOWN_SECONDS, super().terminate)

    def register(self):
        registration = TaskExecutorRegistration(
            address=self.address, resource_id=self.resource_id, data_port=40000, jmx_port=-1,
            hardware=HardwareDescription(1, 1811939328, 536870902, 536870920),
            memory_configuration={"frameworkHeap": 134217728, "taskHeap": 402653174},
            default_slot_profile=self.profile, total_profile=self.profile,
            node_id=self.host, number_of_slots=self.number_of_slots)
        d = self._rm.register_task_executor(registration)
        return d.addCallback(self._registered).addErrback(self.registration_failures.append)

    def _registered(self, response):
        if not isinstance(response, RegistrationSuccess):
            self.declines.append(response)
            return None
        self.registration_id = response.registration_id
        return self._rm.send_slot_report(self.resource_id, self.registration_id,
                                         self.slot_report())

    def slot_report(self):
        return SlotReport([
            SlotStatus(SlotID(self.resource_id, number), self.profile,
                       *(allocation[:2] if allocation else (None, None)))
            for number, allocation in sorted(self.slots.items())])

    def free_all_slots(self):
        """The jobs gave every slot back: tell the ResourceManager (``notify_slot_available``)."""
        for number, allocation in sorted(self.slots.items()):
            if allocation is not None:
                self.slots[number] = None
                self._rm.notify_slot_available(self.resource_id, self.registration_id,
                                               SlotID(self.resource_id, number), allocation[0])

    # ITaskExecutorGateway (the parts the ResourceManager uses)

    def request_slot(self, slot_id, job_id, allocation_id, resource_profile, job_master_address,
                     resource_manager_id):
        self.request_slots.append((slot_id, job_id, allocation_id))
        if self.cluster.fail_request_slot > 0:
            self.cluster.fail_request_slot -= 1
            raise SlotAllocationException(f"The slot {slot_id} is not free (test).")
        if self.slots.get(slot_id.slot_number, "unknown") is not None:
            raise SlotAllocationException(f"The slot {slot_id} is not free.")
        self.slots[slot_id.slot_number] = (allocation_id, job_id)
        job_master = self.rpc.connect(job_master_address)
        offer = SlotOffer(allocation_id, slot_id.slot_number, resource_profile)
        job_master.register_task_manager(self.address, self.resource_id, self.host, 40000,
                                         job_id).addCallback(
            lambda _: job_master.offer_slots(self.resource_id, [offer]))
        return None

    def heartbeat_from_resource_manager(self, resource_manager_resource_id):
        if self.cluster.hang_heartbeats:
            return Deferred()
        self.heartbeats += 1
        return self.slot_report()

    def disconnect_resource_manager(self, cause):
        self.rm_disconnects.append(str(cause))
        self.registration_id = None
        if self.cluster.register:
            self.register()
