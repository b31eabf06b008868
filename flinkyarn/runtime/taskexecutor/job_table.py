"""
:class:`JobTable`: the jobs a TaskExecutor has slots for and its connection to each job's
JobMaster (Flink's ``JobTable`` with the ``DefaultJobLeaderService`` that registers at the
JobMasters).

A job is added when the ResourceManager allocates it a first slot here; the TaskExecutor then
registers at the JobMaster's address with ``register_task_manager`` (retrying like any
registration) and is *connected* once it is accepted.  A job is removed when the TaskExecutor has
no slot for it any more.
"""

from flinkyarn.runtime.taskexecutor.registration import RetryingRegistration

__all__ = ["JobTable", "JobConnection", "JOB_LEADER_LOGGER"]

JOB_LEADER_LOGGER = "org.apache.flink.runtime.taskexecutor.DefaultJobLeaderService"


class JobConnection:
    """
    One job and its JobMaster.

    :ivar job_id:
    :ivar str address: the JobMaster's RPC address.
    :ivar gateway: an ``RpcGateway`` to it.
    :ivar job_master_resource_id: the JobMaster's ResourceID while connected, else ``None``.
    :ivar int offer_sequence: the number of the latest slot offer (older answers are stale).
    """

    def __init__(self, job_id, address, gateway):
        self.job_id = job_id
        self.address = address
        self.gateway = gateway
        self.job_master_resource_id = None
        self.offer_sequence = 0
        self.registration = None

    @property
    def connected(self):
        return self.job_master_resource_id is not None

    def next_offer(self):
        """:return: the number of a new slot offer, which makes earlier ones stale."""
        self.offer_sequence += 1
        return self.offer_sequence


class JobTable:
    """
    :param clock: the process's clock.
    :param log: the process's :class:`~flinkyarn.runtime.process.FlinkLog`.
    :param rpc_service: the process's ``RpcService``.
    :param configuration: the ``TaskManagerConfiguration`` (registration back-off).
    :param register: ``(gateway, job_id) → Deferred``, one ``register_task_manager`` call.
    :param on_connected: called with the :class:`JobConnection` once its JobMaster accepted.
    :param on_rejected: called with the :class:`JobConnection` and the ``RegistrationDecline``.
    """

    def __init__(self, clock, log, rpc_service, configuration, register, on_connected,
                 on_rejected):
        self._clock = clock
        self._log = log
        self._rpc_service = rpc_service
        self._configuration = configuration
        self._register = register
        self._on_connected = on_connected
        self._on_rejected = on_rejected
        self._jobs = {}

    def get(self, job_id):
        """:return: the :class:`JobConnection` of ``job_id``, or ``None``."""
        return self._jobs.get(job_id)

    def __iter__(self):
        """The jobs, in the order they were added."""
        return iter(list(self._jobs.values()))

    def connected_to(self, job_master_resource_id):
        """:return: the jobs connected to the JobMaster with that ResourceID, in order."""
        return [job for job in self._jobs.values()
                if job.connected and job.job_master_resource_id == job_master_resource_id]

    def add(self, job_id, address):
        """Add a job and start registering at its JobMaster; :return: its connection."""
        job = JobConnection(job_id, address, self._rpc_service.connect(address))
        self._jobs[job_id] = job
        self._info(f"Add job {job_id} for job leader monitoring.")
        self._start_registration(job)
        return job

    def reconnect(self, job):
        """Register again at the JobMaster of a job that lost its connection to it."""
        if not job.connected and job.registration.done:
            self._start_registration(job)

    def _start_registration(self, job):
        self._info(f"Try to register at job manager {job.address}.")
        job.registration = RetryingRegistration(
            self._clock, self._registration_log, "JobManager", job.address,
            lambda: self._register(job.gateway, job.job_id), self._configuration,
            lambda success: self._connected(job, success),
            lambda decline: self._rejected(job, decline))
        job.registration.start()

    def remove(self, job_id):
        """Remove a job, ending its registration; :return: its connection, or ``None``."""
        job = self._jobs.pop(job_id, None)
        if job is not None:
            self._info(f"Remove job {job_id} from job leader monitoring.")
            job.registration.cancel()
        return job

    def _connected(self, job, success):
        if self._jobs.get(job.job_id) is not job:
            return
        self._info(f"Successful registration at job manager {job.address} for job {job.job_id}.")
        job.job_master_resource_id = success.resource_id
        self._on_connected(job)

    def _rejected(self, job, decline):
        if self._jobs.get(job.job_id) is job:
            self._on_rejected(job, decline)

    def _info(self, message):
        self._log.info(JOB_LEADER_LOGGER, message)

    def _registration_log(self, level, message):
        getattr(self._log, level)(JOB_LEADER_LOGGER, message)
