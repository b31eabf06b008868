"""
A fake Flink JobManager for the client tests, registered under the three entrypoint class names
(the real JobManager programs live elsewhere).

It checks what the client promised the JobManager — the environment variables, ``flink-conf.yaml``
and the log configuration in its working directory, ``job.graph`` for a per-job cluster, the
program in ``usrlib/`` for an application cluster — and exits 1 naming anything missing.  Then it
serves a fake :class:`~flinkyarn.runtime.gateways.IRestEndpoint` on ``(NM_HOST, port 0)`` and
registers with YARN with that port as its RPC port and ``http://host:port`` as tracking URL.

Jobs run for ``test.fake-jobmanager.job-duration-ms`` (5 s by default) and end as
``test.fake-jobmanager.job-outcome`` says (FINISHED by default; FAILED).  ``DELETE /cluster``
unregisters SUCCEEDED, deletes ``_FLINK_YARN_FILES`` and exits 0, as a real JobManager does; a
per-job cluster does the same when its job ends (DETACHED) or once its result was fetched
(NORMAL).
"""

import os

from zope.interface import implementer

from flinkyarn.config import options as o
from flinkyarn.graph.job_graph import JobGraph
from flinkyarn.runtime.errors import DuplicateJobSubmissionException
from flinkyarn.runtime.gateways import IRestEndpoint, RestHandlerException
from flinkyarn.runtime.process import load_process_configuration
from flinkyarn.states import ApplicationStatus, JobStatus
from flinkyarn.yarn import constants as c
from yarnemu.client.amrm_client import AMRMClient
from yarnemu.client.amrm_client_async import AMRMCallbackHandler, AMRMClientAsync
from yarnemu.dfs import path_from_uri
from yarnemu.nodemanager.programs import ContainerProgram, ProgramRegistry
from yarnemu.records.ids import ContainerId

__all__ = ["FakeJobManager", "FakeRestEndpoint", "fake_jobmanager_programs",
           "JOB_DURATION_KEY", "JOB_OUTCOME_KEY", "REQUIRED_ENVIRONMENT"]

JOB_DURATION_KEY = "test.fake-jobmanager.job-duration-ms"
JOB_OUTCOME_KEY = "test.fake-jobmanager.job-outcome"
HEARTBEAT_MS = 5000

REQUIRED_ENVIRONMENT = (
    c.ENV_FLINK_CLASSPATH, c.ENV_FLINK_DIST_JAR, c.ENV_APP_ID, c.ENV_CLIENT_HOME_DIR,
    c.ENV_CLIENT_SHIP_FILES, c.ENV_FLINK_YARN_FILES, c.ENV_HADOOP_USER_NAME, c.ENV_FLINK_LIB_DIR,
    c.ENV_FLINK_OPT_DIR, "CLASSPATH",
)


class _Job:
    def __init__(self, graph, start_ms):
        self.graph = graph
        self.status = JobStatus.RUNNING
        self.start_ms = start_ms
        self.end_ms = -1
        self.timer = None


@implementer(IRestEndpoint)
class FakeRestEndpoint:
    """The REST calls the client makes, answered from the fake's job table."""

    def __init__(self, jobmanager):
        self._jm = jobmanager
        self.jobs = {}
        self.calls = []
        self.savepoints = {}

    def _job(self, job_id):
        job = self.jobs.get(str(job_id))
        if job is None:
            raise RestHandlerException(404, f"Job {job_id} not found")
        return job

    def get_config(self):
        return {"refresh-interval": 3000, "flink-version": "1.18.1"}

    def get_overview(self):
        return {"taskmanagers": 0, "slots-total": 0, "slots-available": 0,
                "jobs-running": sum(j.status is JobStatus.RUNNING for j in self.jobs.values())}

    def get_jobs(self):
        return {"jobs": [{"id": key, "status": job.status.value} for key, job in self.jobs.items()]}

    def get_jobs_overview(self):
        self.calls.append("get_jobs_overview")
        return {"jobs": [{"jid": key, "name": job.graph.name, "state": job.status.value,
                          "start-time": job.start_ms, "end-time": job.end_ms}
                         for key, job in self.jobs.items()]}

    def get_job(self, job_id):
        job = self._job(job_id)
        return {"jid": str(job_id), "name": job.graph.name, "state": job.status.value}

    def get_job_status(self, job_id):
        self.calls.append("get_job_status")
        return {"status": self._job(job_id).status.value}

    def get_job_result(self, job_id):
        self.calls.append("get_job_result")
        job = self._job(job_id)
        if not job.status.is_globally_terminal:
            return {"status": {"id": "IN_PROGRESS"}}
        status = ApplicationStatus.from_job_status(job.status)
        result = {"jobId": str(job_id), "applicationStatus": status.value,
                  "netRuntime": job.end_ms - job.start_ms, "accumulatorResults": {}}
        if job.status is not JobStatus.FINISHED:
            result["serializedThrowable"] = {
                "serialized-throwable": "org.apache.flink.runtime.JobException: "
                                        f"Job {job_id} ended {job.status.value}"}
        self._jm.result_fetched(job)
        return {"status": {"id": "COMPLETED"}, "job-execution-result": result}

    def get_job_exceptions(self, job_id):
        self._job(job_id)
        return {"exceptionHistory": {"entries": [], "truncated": False}}

    def get_job_config(self, job_id):
        return {"jid": str(self._job(job_id).graph.job_id), "execution-config": {}}

    def get_job_checkpoints(self, job_id):
        self._job(job_id)
        return {"counts": {}, "history": []}

    def get_taskmanagers(self):
        return {"taskmanagers": []}

    def get_taskmanager(self, taskmanager_id):
        raise RestHandlerException(404, f"TaskManager {taskmanager_id} not found")

    def get_jobmanager_config(self):
        return [{"key": key, "value": value} for key, value in self._jm.config.items()]

    def submit_job(self, job_graph_bytes):
        self.calls.append("submit_job")
        try:
            graph = JobGraph.from_bytes(job_graph_bytes)
        except Exception:
            raise RestHandlerException(400, "Failed to deserialize JobGraph.") from None
        if str(graph.job_id) in self.jobs:
            raise RestHandlerException.internal_server_error(
                DuplicateJobSubmissionException("Job has already been submitted."))
        self._jm.start_job(graph)
        return {"jobUrl": f"/jobs/{graph.job_id}"}

    def cancel_job(self, job_id):
        self.calls.append("cancel_job")
        self._jm.end_job(self._job(job_id), JobStatus.CANCELED)
        return {}

    def shutdown_cluster(self):
        self.calls.append("shutdown_cluster")
        self._jm.shut_down(ApplicationStatus.SUCCEEDED)
        return {}

    def stop_with_savepoint(self, job_id, target_directory=None, drain=False, format_type=None,
                            trigger_id=None):
        """The savepoint is taken at once and the job FINISHES; a job not running fails it."""
        self.calls.append("stop_with_savepoint")
        trigger = trigger_id or f"{len(self.savepoints) + 1:032x}"
        job = self.jobs.get(str(job_id))
        if job is None or job.status.is_globally_terminal:
            cause = f"org.apache.flink.runtime.messages.FlinkJobNotFoundException: Could not " \
                    f"find Flink job ({job_id})"
            self.savepoints[trigger] = {"failure-cause": {
                "class": "org.apache.flink.runtime.messages.FlinkJobNotFoundException",
                "stack-trace": cause, "serialized-throwable": ""}}
        else:
            self.savepoints[trigger] = {"location": f"{target_directory.rstrip('/')}/savepoint-"
                                                    f"{str(job_id)[:6]}-{len(self.savepoints):012x}"}
            self._jm.end_job(job, JobStatus.FINISHED)
        return {"request-id": trigger}

    def get_savepoint_status(self, job_id, trigger_id):
        operation = self.savepoints.get(trigger_id)
        if operation is None:
            raise RestHandlerException(404, f"There is no savepoint operation with "
                                            f"triggerId={trigger_id} for job {job_id}.")
        return {"status": {"id": "COMPLETED"}, "operation": operation}


class FakeJobManager(ContainerProgram, AMRMCallbackHandler):
    """The fake JobManager program; :attr:`entrypoint` says which mode it plays."""

    entrypoint = c.SESSION_ENTRYPOINT
    instances = []

    def start(self):
        FakeJobManager.instances.append(self)
        context = self.context
        environment = context.environment
        missing = [name for name in REQUIRED_ENVIRONMENT if not environment.get(name)]
        if missing:
            self._fail(f"missing environment variables: {', '.join(missing)}")
            return
        self.working_dir = str(context.working_dir)
        try:
            self.config, self.arguments = load_process_configuration(self.working_dir,
                                                                     context.args)
        except Exception as error:
            self._fail(f"cannot load the configuration: {error}")
            return
        for name in ("log4j.properties", _descriptor_key(environment[c.ENV_FLINK_DIST_JAR])):
            if not os.path.exists(os.path.join(self.working_dir, name)):
                self._fail(f"{name} was not localized")
                return
        self.clock = context.clock
        self.host = environment.get("NM_HOST", "localhost")
        self.yarn_files = environment[c.ENV_FLINK_YARN_FILES]
        self.jobs_done = 0
        self.stopping = False
        self.endpoint = FakeRestEndpoint(self)
        self.port = context.endpoints.network.bind(self.host, 0, self.endpoint, owner=self.clock)
        attempt_id = ContainerId.parse(environment["CONTAINER_ID"]).application_attempt_id
        self.amrm = AMRMClient(context.endpoints.am_protocol, attempt_id)
        self.amrm.register_application_master(self.host, self.port,
                                              f"http://{self.host}:{self.port}")
        self.heartbeats = AMRMClientAsync(self.amrm, self.clock, HEARTBEAT_MS, self)
        self.heartbeats.start()
        if self.entrypoint == c.JOB_ENTRYPOINT:
            path = os.path.join(self.working_dir, self.config.get(o.JOB_GRAPH_FILE_PATH))
            try:
                graph = JobGraph.read(path)
            except Exception as error:
                self._fail(f"cannot read the JobGraph: {error}")
                return
            self.start_job(graph)
        if self.entrypoint == c.APPLICATION_ENTRYPOINT:
            main = self.config.get(o.APPLICATION_MAIN_CLASS)
            program = main.split(":")[0]
            if program.endswith(".py") and not os.path.isfile(
                    os.path.join(self.working_dir, program)):
                self._fail(f"the program {program} was not localized")

    # Jobs

    def start_job(self, graph):
        job = _Job(graph, _now_ms(self.clock))
        self.endpoint.jobs[str(graph.job_id)] = job
        duration = int(self.config.get_raw(JOB_DURATION_KEY, "5000"))
        outcome = JobStatus(self.config.get_raw(JOB_OUTCOME_KEY, "FINISHED"))
        job.timer = self.clock.callLater(duration / 1000.0, self.end_job, job, outcome)

    def end_job(self, job, status):
        if job.status.is_globally_terminal:
            return
        if job.timer is not None and job.timer.active():
            job.timer.cancel()
        job.status = status
        job.end_ms = _now_ms(self.clock)
        if self.entrypoint == c.JOB_ENTRYPOINT and (
                status is JobStatus.CANCELED
                or self.config.get(o.CLUSTER_EXECUTION_MODE) == "DETACHED"):
            self.shut_down(ApplicationStatus.from_job_status(status))

    def result_fetched(self, job):
        if self.entrypoint == c.JOB_ENTRYPOINT:
            status = ApplicationStatus.FAILED if job.status is JobStatus.FAILED \
                else ApplicationStatus.SUCCEEDED
            self.clock.callLater(0, self.shut_down, status)

    # The cluster

    def shut_down(self, application_status):
        if self.stopping:
            return
        self.stopping = True
        self.heartbeats.stop()
        self._unregister(application_status)

    def _unregister(self, application_status):
        if not self.amrm.unregister_application_master(
                application_status.final_application_status, ""):
            self.clock.callLater(0.1, self._unregister, application_status)
            return
        self.context.endpoints.filesystem.delete(path_from_uri(self.yarn_files), recursive=True)
        self.context.exit(application_status.process_exit_code)

    def on_shutdown_request(self):
        self.context.exit(1, "Shutdown requested by the ResourceManager")

    def on_error(self, error):
        self.context.exit(1, str(error))

    def _fail(self, message):
        self.context.write_stderr(f"FakeJobManager: {message}\n")
        self.context.exit(1, f"FakeJobManager: {message}")


def _descriptor_key(text):
    return text.split("key=", 1)[1].split(",", 1)[0]


def _now_ms(clock):
    return int(round(clock.seconds() * 1000))


def _mode(entrypoint):
    return type(f"FakeJobManager_{entrypoint.rsplit('.', 1)[1]}", (FakeJobManager,),
                {"entrypoint": entrypoint})


def fake_jobmanager_programs():
    """:return: a :class:`ProgramRegistry` with the fake under the three entrypoint names."""
    return ProgramRegistry({entrypoint: _mode(entrypoint) for entrypoint in (
        c.SESSION_ENTRYPOINT, c.JOB_ENTRYPOINT, c.APPLICATION_ENTRYPOINT)})
