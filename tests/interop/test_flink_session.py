"""
Real Apache Flink 2.3.0 in session mode on the service: Flink's own ``bin/yarn-session.sh -d``
(``FlinkYarnSessionCli``) deploys a session over Hadoop RPC, staging on ``file://`` or on the fake
HDFS through ``webhdfs://``; the JobManager and TaskManagers run as ``java`` processes in the
service's containers; a job uploaded and run through the JobManager's REST API reaches FINISHED;
``DELETE /cluster`` ends the application FINISHED/SUCCEEDED with its staging directory removed;
and no process of a session outlives the service.

The wall times (to "JobManager Web Interface", to the job's FINISHED) and the memory of the
service with a session running are printed (and summarised at the end of the run).
"""

import os
import time
from urllib.parse import urlsplit

import pytest
import requests

from tests.interop.conftest import (
    application,
    container_logs,
    run_streaming,
    wait_for,
    wait_until_ended,
    webhdfs_staging,
)
from yarnemu.interop.processes import descendants, living, resident_kib

WEB_INTERFACE = r"JobManager Web Interface: (http://\S+)"
APPLICATION_ID = r"(application_\d+_\d+)"
RESULTS = [str(n * 20000) for n in range(1, 11)]


class Session:
    """A deployed session: its application id, JobManager URL and how long deploying took."""

    def __init__(self, transcript):
        found = transcript.first(WEB_INTERFACE)
        assert transcript.returncode == 0 and found, transcript.text
        self.seconds_to_web_interface, match = found
        self.jobmanager = match.group(1).rstrip("/")
        self.application_id = transcript.first(APPLICATION_ID)[1].group(1)
        self.transcript = transcript


def deploy_session(flink, name):
    """Run ``yarn-session.sh -d -nm NAME`` to its end; :return: the :class:`Session`."""
    transcript = run_streaming(flink.yarn_session("-d", "-nm", name), flink.environment(),
                               timeout=180)
    return Session(transcript)


def submit_job(jobmanager, jar, *arguments):
    """Upload ``jar`` and run it through the JobManager's REST API; :return: the job id."""
    with open(jar, "rb") as stream:
        upload = requests.post(f"{jobmanager}/jars/upload", timeout=60, files={
            "jarfile": (os.path.basename(jar), stream, "application/x-java-archive")})
    assert upload.status_code == 200, upload.text
    jar_id = upload.json()["filename"].rsplit("/", 1)[-1]
    run = requests.post(f"{jobmanager}/jars/{jar_id}/run", timeout=120,
                        json={"programArgsList": list(arguments)})
    assert run.status_code == 200, run.text
    return run.json()["jobid"]


def job_state(jobmanager, job_id):
    return requests.get(f"{jobmanager}/jobs/{job_id}", timeout=10).json()["state"]


def wait_for_job(jobmanager, job_id, states, timeout=180):
    """:return: the job's state once it is one of ``states``."""
    def reached():
        state = job_state(jobmanager, job_id)
        return state if state in states else None
    return wait_for(reached, timeout, what=f"job {job_id} in {states}")


def tasks_running(jobmanager, job_id):
    """:return: whether every task of the job is RUNNING (deployed in a TaskManager)."""
    job = requests.get(f"{jobmanager}/jobs/{job_id}", timeout=10).json()
    return job["state"] == "RUNNING" and all(
        vertex["status"] == "RUNNING" for vertex in job["vertices"])


def read_all(paths):
    text = []
    for path in paths:
        with open(path, errors="replace") as stream:
            text.append(stream.read())
    return "".join(text)


def session_processes(service):
    """:return: the JobManager and TaskManager JVMs below the service, by entrypoint."""
    found = {}
    for info in descendants(service.pid):
        if not info.command.split(" ", 1)[0].endswith("/java"):
            continue  # the launch script and the shell running the command
        for entrypoint in ("YarnSessionClusterEntrypoint", "YarnTaskExecutorRunner"):
            if entrypoint in info.command:
                found.setdefault(entrypoint, []).append(info)
    return found


@pytest.fixture(scope="module")
def flink_service(service_factory):
    """A service of its own for the sessions (four 8 GB NodeManagers, as by default)."""
    return service_factory("flink-service")


def run_session(flink, service, name, staging_exists, job_jar, measurements):
    """Deploy, run the job to FINISHED, stop with DELETE /cluster; check each step."""
    started = time.monotonic()
    session = deploy_session(flink, name)
    measurements(f"{name}: yarn-session.sh start -> 'JobManager Web Interface': "
                 f"{session.seconds_to_web_interface:.1f} s")
    assert urlsplit(session.jobmanager).hostname.startswith("127.0.0.")
    app = application(service, session.application_id)
    assert (app["state"], app["applicationType"], app["name"]) == (
        "RUNNING", "Apache Flink", name)
    assert staging_exists(session.application_id)
    submitted = time.monotonic()
    job_id = submit_job(session.jobmanager, job_jar)
    assert wait_for_job(session.jobmanager, job_id, ("FINISHED", "FAILED", "CANCELED")) == (
        "FINISHED")
    finished = time.monotonic()
    measurements(f"{name}: yarn-session.sh start -> job FINISHED: {finished - started:.1f} s "
                 f"(job submit -> FINISHED: {finished - submitted:.1f} s)")
    outputs = container_logs(service, session.application_id, "taskmanager.out")
    printed = read_all(outputs)
    assert [line.split()[-1] for line in printed.splitlines()] == RESULTS, outputs
    stopped = requests.delete(f"{session.jobmanager}/cluster", timeout=30)
    assert stopped.status_code == 200, stopped.text
    app = wait_until_ended(service, session.application_id)
    assert (app["state"], app["finalStatus"]) == ("FINISHED", "SUCCEEDED")
    wait_for(lambda: not staging_exists(session.application_id), 30,
             what=f"the staging directory of {session.application_id} to go")
    wait_for(lambda: not session_processes(service), 60, what="the session's JVMs to exit")
    return session


def test_session_with_file_staging(flink_service, flink_factory, job_jar, measurements,
                                   tmp_path):
    """Staging on file://: deploy, job FINISHED, DELETE /cluster → FINISHED/SUCCEEDED, cleaned."""
    staging = tmp_path / "staging"
    staging.mkdir()
    flink = flink_factory(flink_service, "flink-file", f"file://{staging}")

    def staging_exists(application_id):
        return (staging / ".flink" / application_id).exists()

    run_session(flink, flink_service, "interop-file-session", staging_exists, job_jar,
                measurements)


def test_session_with_webhdfs_staging(flink_service, flink_factory, job_jar, measurements):
    """Staging on the fake HDFS over webhdfs:// (Java WebHDFS client): the same, cleaned by
    the JobManager's WebHDFS DELETE."""
    staging = webhdfs_staging(flink_service)
    flink = flink_factory(flink_service, "flink-webhdfs", staging)
    path = urlsplit(staging).path

    def staging_exists(application_id):
        response = requests.get(
            f"{flink_service.webhdfs}/webhdfs/v1{path}/.flink/{application_id}",
            params={"op": "GETFILESTATUS"}, timeout=10)
        assert response.status_code in (200, 404), response.text
        return response.status_code == 200

    run_session(flink, flink_service, "interop-webhdfs-session", staging_exists, job_jar,
                measurements)


def test_the_rm_proxy_serves_the_real_jobmanager(service_factory, flink_factory, tmp_path):
    """/proxy/<appId>/ of the RM reaches the real JobManager's REST API."""
    service = service_factory("proxy-service")
    flink = flink_factory(service, "flink-proxy", f"file://{tmp_path}")
    session = deploy_session(flink, "interop-proxied-session")
    try:
        overview = requests.get(f"{service.rm}/proxy/{session.application_id}/overview",
                                timeout=30)
        assert overview.status_code == 200, overview.text[:2000]
        assert overview.json()["flink-version"] == "2.3.0"
        assert "taskmanagers" in overview.json()
    finally:
        requests.delete(f"{session.jobmanager}/cluster", timeout=30)
        wait_until_ended(service, session.application_id)


def test_no_process_of_a_session_survives_the_service(service_factory, flink_factory, job_jar,
                                                       measurements, tmp_path):
    """A session with a job running: its JVMs (own process groups) are gone once the service has
    stopped; its memory, with the service's, is measured meanwhile."""
    service = service_factory("shutdown-service")
    flink = flink_factory(service, "flink-shutdown", f"file://{tmp_path}")
    session = deploy_session(flink, "interop-shutdown-session")
    job_id = submit_job(session.jobmanager, job_jar, "60000")
    wait_for(lambda: tasks_running(session.jobmanager, job_id), 120,
             what=f"the tasks of job {job_id} to run in a TaskManager")
    tree = descendants(service.pid)
    jvms = session_processes(service)
    service_kib = resident_kib([service.pid])
    total_kib = service_kib + resident_kib(info.pid for info in tree)
    measurements(f"memory with a session running (JobManager + 1 TaskManager, a job running): "
                 f"{total_kib / 1024:.0f} MiB resident in {1 + len(tree)} processes "
                 f"(service {service_kib / 1024:.0f} MiB, JobManager "
                 f"{jvms['YarnSessionClusterEntrypoint'][0].rss_kib / 1024:.0f} MiB, TaskManager "
                 f"{jvms['YarnTaskExecutorRunner'][0].rss_kib / 1024:.0f} MiB)")
    assert len({info.pgid for info in tree} - {os.getpgid(service.pid)}) >= 2
    service.stop()
    wait_for(lambda: not living(tree), 30, what="the session's processes to go")
