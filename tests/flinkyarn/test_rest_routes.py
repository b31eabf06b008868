"""
Tests for :mod:`flinkyarn.rest.routes`: matching Flink REST paths as Flink's router does, resolving
parameters with Flink's errors, and the client's side of the same table.
"""

import pytest

from flinkyarn.rest import routes
from flinkyarn.rest.job_submit import job_submit_request
from flinkyarn.runtime.gateways import IRestEndpoint, RestHandlerException

JOB = "fd72014d4c864993a2e5a9287b4a9c5d"


def matched(method, path):
    found = routes.match(method, path)
    return None if found is None else (found[0].endpoint_method, found[1])


@pytest.mark.parametrize("method, path, expected", [
    ("GET", "/config", ("get_config", ())),
    ("GET", "/overview", ("get_overview", ())),
    ("GET", "/jobs", ("get_jobs", ())),
    ("POST", "/jobs", ("submit_job", ())),
    ("GET", "/jobs/overview", ("get_jobs_overview", ())),
    ("GET", f"/jobs/{JOB}", ("get_job", (JOB,))),
    ("PATCH", f"/jobs/{JOB}", ("cancel_job", (JOB,))),
    ("GET", f"/jobs/{JOB}/status", ("get_job_status", (JOB,))),
    ("GET", f"/jobs/{JOB}/execution-result", ("get_job_result", (JOB,))),
    ("GET", f"/jobs/{JOB}/exceptions", ("get_job_exceptions", (JOB,))),
    ("GET", f"/jobs/{JOB}/config", ("get_job_config", (JOB,))),
    ("GET", f"/jobs/{JOB}/checkpoints", ("get_job_checkpoints", (JOB,))),
    ("GET", f"/jobs/{JOB}/metrics", ("get_job_metrics", (JOB,))),
    ("GET", "/taskmanagers", ("get_taskmanagers", ())),
    ("GET", "/taskmanagers/container_1_0001_01_000002",
     ("get_taskmanager", ("container_1_0001_01_000002",))),
    ("GET", "/jobmanager/config", ("get_jobmanager_config", ())),
    ("DELETE", "/cluster", ("shutdown_cluster", ())),
])
def test_every_flink_path_matches_its_endpoint_call(method, path, expected):
    """Each served path and method names its IRestEndpoint call and path values."""
    assert matched(method, path) == expected
    assert matched(method, "/v1" + path) == expected


def test_every_route_calls_a_method_of_the_endpoint_interface():
    """The table names only IRestEndpoint methods (or the optional metrics call)."""
    names = set(IRestEndpoint.names()) | {"get_job_metrics"}
    assert {route.endpoint_method for route in routes.ROUTES} <= names
    assert set(IRestEndpoint.names()) <= {route.endpoint_method for route in routes.ROUTES}


def test_static_segments_win_over_path_parameters():
    """``/jobs/overview`` is the overview, not a job named ``overview``."""
    assert matched("GET", "/jobs/overview") == ("get_jobs_overview", ())
    assert matched("GET", "/jobs/other") == ("get_job", ("other",))


def test_slashes_at_both_ends_do_not_count():
    """``/jobs/`` and ``jobs`` are ``/jobs``, as in Flink's path patterns."""
    assert matched("GET", "/jobs/") == ("get_jobs", ())
    assert matched("GET", "jobs") == ("get_jobs", ())


@pytest.mark.parametrize("method, path", [
    ("GET", "/"), ("GET", "/v1"), ("GET", "/nothing"), ("GET", "/jobs/a/b/c"),
    ("GET", "/cluster"), ("POST", "/config"), ("DELETE", "/jobs"), ("GET", "/v1/v1/config"),
    ("GET", "/jobs//status"),
])
def test_unknown_paths_and_other_methods_do_not_match(method, path):
    """A path no route has, or one known for another method only, is not found."""
    assert routes.match(method, path) is None


def resolve(method, path, query=None, content_type=None, body=b""):
    route, values = routes.match(method, path)
    return routes.resolve(route, values, query or {}, content_type, body)


def test_path_and_query_parameters_become_the_call_arguments():
    """Path values first, then the passed query values (None when absent), in order."""
    assert resolve("GET", f"/jobs/{JOB}/exceptions", {"maxExceptions": ["3"]}) == (JOB, 3)
    assert resolve("GET", f"/jobs/{JOB}/exceptions") == (JOB, None)
    assert resolve("GET", f"/jobs/{JOB}/metrics", {"get": ["a", "b"]}) == (JOB, "a,b")
    assert resolve("PATCH", f"/jobs/{JOB}", {"mode": ["cancel"]}) == (JOB,)
    assert resolve("PATCH", f"/jobs/{JOB}") == (JOB,)


def test_a_malformed_job_id_is_flinks_bad_request():
    """A job id that is not 32 hex digits is 400 ``Cannot resolve path parameter (jobid)``."""
    with pytest.raises(RestHandlerException) as raised:
        resolve("GET", "/jobs/nope/status")
    assert raised.value.status == 400
    assert raised.value.message == ('Bad request, could not parse parameters: Cannot resolve '
                                    'path parameter (jobid) from value "nope".')


def test_a_query_parameter_that_does_not_convert_is_flinks_bad_request():
    """``maxExceptions=x`` and ``mode=later`` are 400 ``Cannot resolve query parameter``."""
    with pytest.raises(RestHandlerException) as raised:
        resolve("GET", f"/jobs/{JOB}/exceptions", {"maxExceptions": ["x"]})
    assert (raised.value.status, raised.value.message) == (400, (
        'Bad request, could not parse parameters: Cannot resolve query parameter '
        '(maxExceptions) from value "x".'))
    with pytest.raises(RestHandlerException) as raised:
        resolve("PATCH", f"/jobs/{JOB}", {"mode": ["later"]})
    assert raised.value.message.endswith('(mode) from value "later".')


def test_path_parameters_are_resolved_before_query_parameters():
    """A bad job id is reported even when the query is bad too, as Flink's HandlerRequest does."""
    with pytest.raises(RestHandlerException) as raised:
        resolve("PATCH", "/jobs/nope", {"mode": ["later"]})
    assert "path parameter (jobid)" in raised.value.message


def test_the_removed_stop_mode_is_a_permanent_redirect():
    """``PATCH /jobs/{id}?mode=stop`` is JobCancellationHandler's 308 message."""
    with pytest.raises(RestHandlerException) as raised:
        resolve("PATCH", f"/jobs/{JOB}", {"mode": ["STOP"]})
    assert raised.value.status == 308
    assert raised.value.message.startswith('The termination mode "stop" has been removed.')


def test_the_job_submission_body_becomes_the_job_graph_argument():
    """``POST /jobs`` reads the multipart body into ``submit_job``'s bytes argument."""
    content_type, body = job_submit_request(b"graph bytes")
    assert resolve("POST", "/jobs", content_type=content_type, body=body) == (b"graph bytes",)


def test_the_client_side_builds_the_same_requests():
    """Arguments split back into path values, query values and body arguments."""
    cancel = routes.route_of("cancel_job")
    assert routes.split_arguments(cancel, (JOB,)) == ((JOB,), (), ())
    assert routes.path_of(cancel, (JOB,)) == f"/jobs/{JOB}"
    assert routes.client_query(cancel, ()) == [("mode", "cancel")]
    metrics = routes.route_of("get_job_metrics")
    assert routes.split_arguments(metrics, (JOB, "a,b")) == ((JOB,), ("a,b",), ())
    assert routes.client_query(metrics, ("a,b",)) == [("get", "a,b")]
    assert routes.client_query(metrics, (None,)) == []
    submit = routes.route_of("submit_job")
    assert routes.split_arguments(submit, (b"x",)) == ((), (), (b"x",))
    with pytest.raises(KeyError):
        routes.route_of("no_such_call")
