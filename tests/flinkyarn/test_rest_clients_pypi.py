"""
The Flink REST clients from PyPI, unchanged, against ``twistd -n yarnemu`` running as another
process: a Flink session deployed on it (over its RM REST API and WebHDFS, by a helper process),
jobs submitted to it, and each client pointed at the JobManager through the RM web proxy,
``http://<rm>/proxy/<applicationId>/``.

- ``flink-rest-client`` 1.0.8 builds ``http://{host}:{port}/v1`` from a host and a port; the
  port is given as ``<rm port>/proxy/<applicationId>``, which puts the proxy's path in front of
  ``/v1`` without changing the client.
- ``flink-job-manager-api`` 1.0.2 takes a base URL (unversioned paths below it).

Every answer the clients get is also checked against Flink's REST spec (the ``flink_rest_answers``
fixture), on the client side: these answers come from the other process.

One service and one session serve the whole module; the last test shuts the session down.
"""

import os
import subprocess
import sys
import time
from urllib.parse import urlsplit

import attrs
import httpx
import pytest
import requests
from flink_job_manager_api import Client, errors
from flink_job_manager_api.api.default import (
    cancel_job,
    get_checkpointing_statistics,
    get_cluster_configuration_info,
    get_cluster_overview,
    get_dashboard_configuration,
    get_job_config,
    get_job_details,
    get_job_exceptions,
    get_job_ids_with_statuses_overview,
    get_job_status_info,
    get_jobs_overview,
    get_savepoint_status,
    get_task_manager_details,
    get_task_managers,
    trigger_stop_with_savepoint,
)
from flink_job_manager_api.models import StopWithSavepointRequestBody, TerminationMode
from flink_rest_client import FlinkRestClient
from flink_rest_client.common import RestException

from flinkyarn.rest.job_submit import job_submit_request
from tests.flinkyarn.flink_harness import bounded_job, unbounded_job
from tests.flinkyarn.rest_spec import decode_json
from yarnemu.testing.service_process import ServiceProcess

UNKNOWN_JOB = "0123456789abcdef0123456789abcdef"
TIME_SCALE = "20"
WAIT_S = 30

# Deploys a detached session on the service with Flink's YARN client (its own reactor) and
# prints the application id.
_DEPLOY_SESSION = """
import sys
from twisted.internet import task
from flinkyarn.client import ClusterSpecification, FlinkHome
from flinkyarn.client.remote import ServiceAddress, remote_descriptor

def main(reactor, endpoints_file, home_dir):
    home = FlinkHome.create(home_dir, "tiny")
    config = home.configuration().with_values({"taskmanager.numberOfTaskSlots": 2})
    descriptor = remote_descriptor(reactor, ServiceAddress.from_endpoints_file(endpoints_file),
                                   "alice", home, config)
    deployed = descriptor.deploy_session_cluster(ClusterSpecification.from_configuration(config))
    return deployed.addCallback(lambda client: print(client.application_id, flush=True))

task.react(main, sys.argv[1:])
"""


class Session:
    """The service, the session on it and its jobs by role."""

    def __init__(self, service, application_id):
        self.service = service
        self.application_id = application_id
        self.proxy = f"{service.rm.rstrip('/')}/proxy/{application_id}"
        self.jobs = {}

    def submit(self, role, graph):
        content_type, body = job_submit_request(graph.to_bytes())
        response = requests.post(f"{self.proxy}/jobs", data=body,
                                 headers={"Content-Type": content_type}, timeout=WAIT_S)
        assert response.status_code == 202, response.text
        self.jobs[role] = str(graph.job_id)

    def job(self, job_id):
        return requests.get(f"{self.proxy}/jobs/{job_id}", timeout=WAIT_S).json()

    def wait_for(self, predicate, what):
        deadline = time.monotonic() + WAIT_S
        while not predicate():
            assert time.monotonic() < deadline, f"timed out waiting for {what}"
            time.sleep(0.05)


def _running(job):
    return job.get("state") == "RUNNING" and all(
        vertex["tasks"].get("RUNNING") == vertex["parallelism"] for vertex in job["vertices"])


@pytest.fixture(scope="module")
def session(tmp_path_factory):
    directory = tmp_path_factory.mktemp("pypi-clients")
    service = ServiceProcess.start(directory / "service", "--nodes", "3", "--time-scale",
                                   TIME_SCALE)
    try:
        deployed = subprocess.run(
            [sys.executable, "-c", _DEPLOY_SESSION, service.endpoints_file,
             str(directory / "flink")],
            capture_output=True, text=True, timeout=60,
            cwd=os.path.dirname(os.path.dirname(os.path.dirname(__file__))))
        assert deployed.returncode == 0, deployed.stderr + service.log()
        session = Session(service, deployed.stdout.split()[-1])
        checked = {"execution.checkpointing.interval": "1 s"}
        for role, graph in (
                ("rest-client stop", unbounded_job("rest-client stop", 1, checked)),
                ("rest-client cancel", unbounded_job("rest-client cancel", 1)),
                ("jm-api stop", unbounded_job("jm-api stop", 1, checked)),
                ("jm-api cancel", unbounded_job("jm-api cancel", 1)),
                ("finished", bounded_job("finished", 1, records=1_000))):
            session.submit(role, graph)
        for role in ("rest-client stop", "rest-client cancel", "jm-api stop", "jm-api cancel"):
            session.wait_for(lambda: _running(session.job(session.jobs[role])), role)
        session.wait_for(lambda: session.job(session.jobs["finished"])["state"] == "FINISHED",
                         "the bounded job")
        yield session
    finally:
        service.stop()


# -- Checking every answer against the spec, on the client side ---------------------------------

def _record(log, proxy, method, url, status, body):
    path = urlsplit(url).path[len(urlsplit(proxy).path):]
    log.record(method.upper(), path, status, decode_json(body))


@pytest.fixture
def rest_client(session, flink_rest_answers, monkeypatch):
    """``flink-rest-client`` through the proxy; its answers are checked against the spec."""
    request = requests.request

    def checked(method, url, **kwargs):
        response = request(method, url, **kwargs)
        _record(flink_rest_answers, session.proxy, method, response.url, response.status_code,
                response.content)
        return response

    monkeypatch.setattr(requests, "request", checked)
    rm = urlsplit(session.service.rm)
    return FlinkRestClient.get(host=rm.hostname,
                               port=f"{rm.port}/proxy/{session.application_id}")


@pytest.fixture
def jm_api(session, flink_rest_answers):
    """``flink-job-manager-api`` through the proxy; its answers are checked against the spec."""
    def checked(response):
        response.read()
        _record(flink_rest_answers, session.proxy, response.request.method,
                str(response.request.url), response.status_code, response.content)

    client = Client(base_url=session.proxy, raise_on_unexpected_status=True,
                    timeout=httpx.Timeout(WAIT_S),
                    httpx_args={"event_hooks": {"response": [checked]}})
    with client:
        yield client


# -- flink-rest-client ----------------------------------------------------------------------------

def test_rest_client_cluster_views(session, rest_client, flink_rest_answers):
    overview = rest_client.overview()
    assert overview["jobs-running"] >= 2 and overview["taskmanagers"] >= 1
    assert overview["flink-version"] == rest_client.config()["flink-version"]
    config = rest_client.jobmanager.config()
    assert config["rest.address"] == config["jobmanager.rpc.address"]
    managers = rest_client.taskmanagers.all()
    assert rest_client.taskmanagers.taskmanager_ids() == [tm["id"] for tm in managers]
    detail = rest_client.taskmanagers.get(managers[0]["id"])
    assert detail["id"] == managers[0]["id"] and "allocatedSlots" in detail
    assert flink_rest_answers.answers and flink_rest_answers.violations == []


def test_rest_client_job_views(session, rest_client, flink_rest_answers):
    job = session.jobs["rest-client stop"]
    assert set(session.jobs.values()) <= set(rest_client.jobs.job_ids())
    states = {entry["jid"]: entry["state"] for entry in rest_client.jobs.overview()}
    assert states[job] == "RUNNING" and states[session.jobs["finished"]] == "FINISHED"
    details = rest_client.jobs.get(job)
    assert (details["name"], details["state"]) == ("rest-client stop", "RUNNING")
    assert rest_client.jobs.get_vertex_ids(job) == [v["id"] for v in details["vertices"]]
    assert rest_client.jobs.get_config(job)["jid"] == job
    assert rest_client.jobs.get_exceptions(job)["exceptionHistory"] == {
        "entries": [], "truncated": False}
    session.wait_for(lambda: rest_client.jobs.get_checkpoints(job)["counts"]["completed"] >= 1,
                     "a checkpoint")
    assert rest_client.jobs.get_checkpoint_ids(job)
    with pytest.raises(RestException) as raised:
        rest_client.jobs.get(UNKNOWN_JOB)
    assert str(raised.value) == f"REST response error (404): Job {UNKNOWN_JOB} not found"
    assert flink_rest_answers.violations == []


def test_rest_client_cancels_a_job(session, rest_client, flink_rest_answers):
    job = session.jobs["rest-client cancel"]
    assert rest_client.jobs.terminate(job) is True
    session.wait_for(lambda: rest_client.jobs.get(job)["state"] == "CANCELED", "CANCELED")
    with pytest.raises(RestException) as raised:
        rest_client.jobs.terminate(UNKNOWN_JOB)
    assert str(raised.value) == "REST response error (404): Job could not be found."
    assert flink_rest_answers.violations == []


def test_rest_client_stops_a_job_with_a_savepoint(session, rest_client, flink_rest_answers):
    job = session.jobs["rest-client stop"]
    trigger = rest_client.jobs.stop(job, "hdfs:///savepoints/rest-client")
    session.wait_for(lambda: trigger.status["status"]["id"] == "COMPLETED", "the savepoint")
    location = trigger.status["operation"]["location"]
    assert location.startswith(f"hdfs:///savepoints/rest-client/savepoint-{job[:6]}-")
    session.wait_for(lambda: rest_client.jobs.get(job)["state"] == "FINISHED", "FINISHED")
    assert rest_client.jobs.get_checkpoints(job)["latest"]["savepoint"]["external_path"] == (
        location)
    stopped_again = rest_client.jobs.stop(job, "hdfs:///savepoints/rest-client")
    session.wait_for(lambda: stopped_again.status["status"]["id"] == "COMPLETED", "a failure")
    assert stopped_again.status["operation"]["failure-cause"]["class"] == (
        "org.apache.flink.runtime.messages.FlinkJobNotFoundException")
    assert flink_rest_answers.violations == []


# -- flink-job-manager-api ------------------------------------------------------------------------

def checkpoint_statistics(client, job):
    """
    The client has no model for ``CheckpointingStatistics`` (its ``className``
    discriminator): only ``sync_detailed``, whose content is the JSON, and which takes every
    status for an unexpected one, so it is called with a client that does not raise.
    """
    lenient = attrs.evolve(client, raise_on_unexpected_status=False)
    with lenient:
        response = get_checkpointing_statistics.sync_detailed(job, client=lenient)
    assert response.status_code == 200
    return decode_json(response.content)


def test_jm_api_cluster_views(session, jm_api, flink_rest_answers):
    assert get_dashboard_configuration.sync(client=jm_api).flink_version == "1.18.1"
    overview = get_cluster_overview.sync(client=jm_api)
    assert overview.jobs_running >= 1 and overview.taskmanagers >= 1
    entries = {entry.key: entry.value for entry in get_cluster_configuration_info.sync(
        client=jm_api)}
    assert entries["high-availability.cluster-id"] == session.application_id
    managers = get_task_managers.sync(client=jm_api).taskmanagers
    detail = get_task_manager_details.sync(managers[0].id, client=jm_api)
    assert (detail.id, detail.slots_number) == (managers[0].id, managers[0].slots_number)
    assert len(flink_rest_answers.answers) == 5 and flink_rest_answers.violations == []


def test_jm_api_job_views(session, jm_api, flink_rest_answers):
    job = session.jobs["jm-api stop"]
    statuses = {entry.id: entry.status.value for entry in
                get_job_ids_with_statuses_overview.sync(client=jm_api).jobs}
    assert statuses[job] == "RUNNING" and statuses[session.jobs["finished"]] == "FINISHED"
    names = {entry.jid: entry.name for entry in get_jobs_overview.sync(client=jm_api).jobs}
    assert names[job] == "jm-api stop"
    details = get_job_details.sync(job, client=jm_api)
    assert (details.name, details.state.value) == ("jm-api stop", "RUNNING")
    assert get_job_status_info.sync(job, client=jm_api).status.value == "RUNNING"
    assert get_job_exceptions.sync(job, client=jm_api).exception_history.entries == []
    config = get_job_config.sync(job, client=jm_api)
    assert (config.job_id, config.job_name) == (job, "jm-api stop")
    session.wait_for(lambda: checkpoint_statistics(jm_api, job)["counts"]["completed"] >= 1,
                     "a checkpoint")
    with pytest.raises(errors.UnexpectedStatus) as raised:
        get_job_details.sync(UNKNOWN_JOB, client=jm_api)
    assert raised.value.status_code == 404
    assert flink_rest_answers.violations == []


def test_jm_api_cancels_a_job(session, jm_api, flink_rest_answers):
    job = session.jobs["jm-api cancel"]
    assert cancel_job.sync_detailed(job, client=jm_api, mode=TerminationMode.CANCEL
                                    ).status_code == 202
    session.wait_for(lambda: get_job_status_info.sync(job, client=jm_api).status.value
                     == "CANCELED", "CANCELED")
    assert flink_rest_answers.violations == []


def test_jm_api_stops_a_job_with_a_savepoint(session, jm_api, flink_rest_answers):
    job = session.jobs["jm-api stop"]
    body = StopWithSavepointRequestBody(target_directory="hdfs:///savepoints/jm-api", drain=False)
    trigger = trigger_stop_with_savepoint.sync(job, client=jm_api, body=body).request_id

    def completed():
        return get_savepoint_status.sync(job, trigger, client=jm_api).status.id.value == (
            "COMPLETED")

    session.wait_for(completed, "the savepoint")
    operation = get_savepoint_status.sync(job, trigger, client=jm_api).operation
    location = operation.to_dict()["location"]
    assert location.startswith(f"hdfs:///savepoints/jm-api/savepoint-{job[:6]}-")
    session.wait_for(lambda: get_job_status_info.sync(job, client=jm_api).status.value
                     == "FINISHED", "FINISHED")
    savepoint = checkpoint_statistics(jm_api, job)["latest"]["savepoint"]
    assert savepoint["external_path"] == location
    assert flink_rest_answers.violations == []


# -- Last: the session goes ----------------------------------------------------------------------

def test_rest_client_deletes_the_cluster(session, rest_client, flink_rest_answers):
    assert rest_client.delete_cluster() == {}
    states = f"{session.service.rm.rstrip('/')}/ws/v1/cluster/apps/{session.application_id}"
    session.wait_for(lambda: requests.get(states, timeout=WAIT_S).json()["app"]["state"]
                     == "FINISHED", "the session to finish")
    assert requests.get(states, timeout=WAIT_S).json()["app"]["finalStatus"] == "SUCCEEDED"
    assert flink_rest_answers.violations == []
