"""
Tests of :class:`~yarnemu.client.RestYarnClient` beyond the shared suite: its reports agree with
the in-process client's field by field (but for what the RM REST views do not carry), the requests
it sends, and how it reports errors and an RM out of reach.
"""

import attrs
import pytest
from twisted.internet.error import ConnectionRefusedError
from twisted.web.resource import Resource as WebResource

from tests.http_harness import InMemoryHttpClient
from yarnemu.client import InProcessYarnClient, RestYarnClient
from yarnemu.client.remote_exception import MalformedResponse
from yarnemu.errors import ApplicationNotFoundException, InvalidResourceRequestException
from yarnemu.records import (
    ApplicationId,
    ApplicationSubmissionContext,
    ContainerLaunchContext,
    NodeState,
    Resource,
    RMAppState,
    YarnApplicationState,
)
from yarnemu.web.errors import BadRequestException
from yarnemu.web.rm import ResourceManagerWebApp

from .running_cluster import EPOCH_MS
from .test_client_yarn_client import RM_ADDRESS, rest_client
from .yarn_client_contract import SERVE, USER, failure_of, run, running_cluster


@pytest.fixture
def running(tmp_path):
    return running_cluster(tmp_path)


def _submit(running, client, command, **fields):
    application_id = run(running, client.create_application()).application_id
    context = ApplicationSubmissionContext(
        application_id=application_id,
        am_container_spec=ContainerLaunchContext(commands=[command]), **fields)
    run(running, client.submit_application(context))
    return application_id


def _comparable(report, tracked):
    """A report without what the RM REST views do not carry (see ``rest_records``)."""
    report = attrs.evolve(report, original_tracking_url="N/A")
    if not tracked:
        report = attrs.evolve(report, tracking_url="N/A")
    if report.am_container_id is None:
        report = attrs.evolve(report, current_application_attempt_id=None)
    return report


def test_reports_agree_with_the_in_process_client_all_along(running):
    """At every state the REST report equals the in-process one, but for what REST cannot say."""
    rest = rest_client(running, USER)
    in_process = InProcessYarnClient(running.client, USER)
    app_id = _submit(running, rest, f"{SERVE} 20", application_name="agreement",
                     application_type="Apache Flink", application_tags=["x", "y"], priority=2,
                     resource=Resource(1536, 2))
    seen = []
    while not seen or seen[-1] is not RMAppState.FINISHED:
        state = running.app(app_id).state
        if not seen or state is not seen[-1]:
            seen.append(state)
            remote = run(running, rest.get_application_report(app_id))
            own = run(running, in_process.get_application_report(app_id))
            tracked = own.yarn_application_state not in (
                YarnApplicationState.NEW_SAVING, YarnApplicationState.SUBMITTED,
                YarnApplicationState.ACCEPTED)
            assert remote == _comparable(own, tracked), state
        running.advance(0.1)
    assert RMAppState.ACCEPTED in seen and RMAppState.RUNNING in seen


def test_cluster_views_agree_with_the_in_process_client(running):
    """Nodes, queues and metrics read over REST equal the in-process client's."""
    rest = rest_client(running, USER)
    in_process = InProcessYarnClient(running.client, USER)
    _submit(running, rest, f"{SERVE} 600", resource=Resource(2048, 1))
    running.advance(10)
    running.cluster.node_managers["node-0"].stop()
    running.advance(1)
    for call, args in (("get_node_reports", ()), ("get_node_reports", ([NodeState.SHUTDOWN],)),
                       ("get_all_queues", ()), ("get_yarn_cluster_metrics", ()),
                       ("get_applications", ())):
        remote = run(running, getattr(rest, call)(*args))
        own = run(running, getattr(in_process, call)(*args))
        if call == "get_applications":
            own = [_comparable(report, True) for report in own]
        if call == "get_node_reports":
            # The RM's REST view blanks the address of every inactive node (RMWebServices).
            own = [attrs.evolve(report, http_address="")
                   if report.node_state is NodeState.SHUTDOWN else report for report in own]
        assert remote == own, call


def test_every_request_names_the_user(running):
    """Each request carries user.name, and the application belongs to that user."""
    http = InMemoryHttpClient({RM_ADDRESS: ResourceManagerWebApp(running.rm,
                                                                 running.cluster.programs)})
    client = RestYarnClient(http, f"http://{RM_ADDRESS}/", "carol")
    app_id = _submit(running, client, f"{SERVE} 600")
    run(running, client.get_all_queues())
    run(running, client.kill_application(app_id))
    assert len(http.requests) == 5
    assert all("user.name=carol" in url for _, url in http.requests)
    assert [(method, url.split("?")[0]) for method, url in http.requests] == [
        ("POST", f"http://{RM_ADDRESS}/ws/v1/cluster/apps/new-application"),
        ("POST", f"http://{RM_ADDRESS}/ws/v1/cluster/apps"),
        ("GET", f"http://{RM_ADDRESS}/ws/v1/cluster/scheduler"),
        ("GET", f"http://{RM_ADDRESS}/ws/v1/cluster/apps"),
        ("PUT", f"http://{RM_ADDRESS}/ws/v1/cluster/apps/{app_id}/state"),
    ]
    assert running.app(app_id).user == "carol"


def test_a_refused_submission_keeps_the_rms_message(running):
    """A submission the RM refuses fails with a RemoteError carrying the RM's message."""
    client = rest_client(running, USER)
    app_id = run(running, client.create_application()).application_id
    context = ApplicationSubmissionContext(
        application_id=app_id, resource=Resource(100000, 1),
        am_container_spec=ContainerLaunchContext(commands=[f"{SERVE} 1"]))
    error = failure_of(running, client.submit_application(context))
    assert isinstance(error, (InvalidResourceRequestException, BadRequestException))
    assert "memory" in error.message
    assert app_id not in running.rm.apps


def test_a_kill_of_an_unknown_application_is_not_found(running):
    """Killing an application the RM never had fails with ApplicationNotFoundException."""
    missing = ApplicationId(EPOCH_MS, 42)
    error = failure_of(running, rest_client(running, USER).kill_application(missing))
    assert isinstance(error, ApplicationNotFoundException)


def test_an_rm_out_of_reach_fails_with_the_connection_error(running):
    """A connection failure propagates as the HTTP client reports it."""
    client = RestYarnClient(InMemoryHttpClient({}), "http://127.0.0.1:8088", USER)
    error = failure_of(running, client.get_yarn_cluster_metrics())
    assert isinstance(error, ConnectionRefusedError)


def test_a_server_that_is_no_rm_gives_malformed_responses(running):
    """An answer without the RM's shape fails with MalformedResponse, not a KeyError."""
    client = RestYarnClient(InMemoryHttpClient({RM_ADDRESS: _NotAnRM()}),
                            f"http://{RM_ADDRESS}", USER)
    error = failure_of(running, client.get_yarn_cluster_metrics())
    assert isinstance(error, MalformedResponse)
    assert "clusterMetrics" in error.message
    error = failure_of(running, client.get_applications())
    assert isinstance(error, MalformedResponse)


class _NotAnRM(WebResource):
    """Answers every request with JSON of another shape."""

    isLeaf = True

    def render(self, request):
        request.setHeader(b"Content-Type", b"application/json")
        return b'{"something": "else"}'
