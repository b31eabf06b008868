"""
Every Flink REST answer the flinkyarn tests produce is checked against Flink's own spec
(:mod:`tests.flinkyarn.rest_spec`): each one :class:`~flinkyarn.rest.FlinkRestResource` writes
over HTTP (directly or behind the RM web proxy), and each one a client gets from a JobManager
through the in-process transport (:class:`~flinkyarn.rest.transport.InProcessRestTransport`,
which the virtual-time tests and scenarios use).  A test whose answers break the spec fails at
teardown, with every violation listed.  The ``flink_rest_answers`` fixture gives a test the
:class:`~tests.flinkyarn.rest_spec.AnswerLog` of what it saw.
"""

import json

import pytest

from flinkyarn.rest import routes
from flinkyarn.rest.resource import FlinkRestResource
from flinkyarn.rest.transport import InProcessRestTransport
from flinkyarn.runtime.gateways import RestHandlerException
from tests.flinkyarn.rest_spec import AnswerLog


@pytest.fixture(autouse=True)
def flink_rest_answers(monkeypatch):
    """:return: the :class:`AnswerLog` of the test; violations fail it at teardown."""
    log = AnswerLog()
    answer = FlinkRestResource._answer

    def checked_answer(resource, request, status, body):
        path = "/" + "/".join(segment.decode("utf-8", "replace")
                              for segment in request.postpath)
        # As the client reads it: through JSON.
        log.record(request.method.decode("ascii", "replace"), path, status,
                   json.loads(json.dumps(body)))
        return answer(resource, request, status, body)

    call = InProcessRestTransport.call

    def checked_call(transport, method, *args):
        result = call(transport, method, *args)
        try:
            route = routes.route_of(method)
        except KeyError:
            return result
        path_values, _, _ = routes.split_arguments(route, args)
        path = routes.path_of(route, [str(value) for value in path_values])

        def answered(body):
            log.record(route.method, path, route.status, json.loads(json.dumps(body)))
            return body

        def refused(failure):
            if failure.check(RestHandlerException):
                log.record(route.method, path, failure.value.status, failure.value.body())
            return failure

        return result.addCallbacks(answered, refused)

    monkeypatch.setattr(FlinkRestResource, "_answer", checked_answer)
    monkeypatch.setattr(InProcessRestTransport, "call", checked_call)
    yield log
    if log.violations:
        pytest.fail("Flink REST answers that break Flink's REST spec:\n"
                    + "\n".join(log.violations), pytrace=False)
