"""
The Flink REST calls yarnemu serves, as one table read both ways: by the HTTP resource (method and
path → :class:`~flinkyarn.runtime.gateways.IRestEndpoint` method and arguments) and by the HTTP
client transport (endpoint method and arguments → method, path and query).

Paths and status codes are those of Flink's ``rest_v1_dispatcher.yml``; every path is also
served under ``/v1/``.  Matching follows Flink's router: slashes at both ends do not count, a
static segment wins over a path parameter (``/jobs/overview`` is not job ``overview``), and a
path known for another method only is not found.  Parameters are resolved as Flink's
``HandlerRequest`` resolves them — path parameters first, then query parameters (several values
of one are joined with commas) — and one that does not convert is a 400 ``Bad request, could not
parse parameters: Cannot resolve path parameter (jobid) from value "x".``.
"""

import re

from attrs import field, frozen

from flinkyarn.ids import JobID
from flinkyarn.rest.job_submit import JOB_SUBMIT_BODY
from flinkyarn.rest.savepoint_request import STOP_WITH_SAVEPOINT_BODY, TRIGGER_ID
from flinkyarn.runtime.gateways import RestHandlerException
from yarnemu.records.immutable import frozen_tuple

__all__ = [
    "Parameter",
    "Route",
    "ROUTES",
    "API_VERSION_PREFIX",
    "match",
    "route_of",
    "resolve",
    "path_of",
    "split_arguments",
    "client_query",
]

API_VERSION_PREFIX = "v1"

_INTEGER = re.compile(r"[+-]?[0-9]+")
_BAD_PARAMETERS = "Bad request, could not parse parameters: "

# JobCancellationHandler: the termination mode Flink 1.x removed but still parses.
_STOP_REMOVED = ('The termination mode "stop" has been removed. For an ungraceful shutdown, '
                 'please use "cancel" instead. For a graceful shutdown, please use '
                 '"jobs/:jobId/stop" instead.')
_PERMANENT_REDIRECT = 308


def _job_id(text):
    JobID.parse(text)
    return text


def _trigger_id(text):
    """``TriggerId.fromHexString``: 32 hexadecimal digits."""
    if TRIGGER_ID.fullmatch(text) is None:
        raise ValueError(text)
    return text


def _integer(text):
    """``Integer.valueOf``: an optional sign and decimal digits, nothing else."""
    if _INTEGER.fullmatch(text) is None:
        raise ValueError(text)
    return int(text)


def _termination_mode(text):
    """``TerminationModeQueryParameter``: ``TerminationMode.valueOf(value.toUpperCase())``."""
    mode = text.upper()
    if mode not in ("CANCEL", "STOP"):
        raise ValueError(text)
    return mode


@frozen
class Parameter:
    """
    A path or query parameter of a route.

    :ivar str key: its name in the path template or the query string.
    :ivar parse: ``str`` → value; raises ``ValueError`` for text it does not accept.
    :ivar bool passed: whether the endpoint method gets the value as an argument (a query
        parameter the resource checks itself, like ``mode``, is not passed).
    :ivar client_value: what the client transport always sends (``None``: only when given).
    """

    key: str
    parse: object = str
    passed: bool = True
    client_value: object = None


@frozen
class Route:
    """
    One Flink REST call.

    :ivar str method: the HTTP method.
    :ivar str template: the path, with ``{name}`` segments for path parameters.
    :ivar str endpoint_method: the ``IRestEndpoint`` method it calls; its arguments are the
        path parameters in order, then the passed query parameters in order (``None`` when
        absent), then what the request body carries.
    :ivar int status: the status of a successful answer.
    :ivar tuple path_parameters: the :class:`Parameter` of each ``{name}`` segment, in order.
    :ivar tuple query: the query :class:`Parameter` values it reads.
    :ivar check: called with the resolved query values (key → value); raises
        ``RestHandlerException`` for a request the handler refuses before calling.
    :ivar body: the request body's codec, for a route that reads one: ``read(content_type,
        body)`` → the trailing arguments (raising ``RestHandlerException``), and
        ``write(*arguments)`` → ``(Content-Type, body bytes)`` for the client.
    """

    method: str
    template: str
    endpoint_method: str
    status: int = 200
    path_parameters: tuple = field(default=(), converter=frozen_tuple)
    query: tuple = field(default=(), converter=frozen_tuple)
    check: object = None
    body: object = None

    @property
    def segments(self):
        return tuple(self.template.strip("/").split("/"))


def _check_termination_mode(query):
    if query.get("mode") == "STOP":
        raise RestHandlerException(_PERMANENT_REDIRECT, _STOP_REMOVED)


_JOB = Parameter("jobid", _job_id)
_TASK_MANAGER = Parameter("taskmanagerid")
_TRIGGER = Parameter("triggerid", _trigger_id)

#: Every route, static paths before parameterized ones with the same prefix.
ROUTES = (
    Route("GET", "/config", "get_config"),
    Route("GET", "/overview", "get_overview"),
    Route("GET", "/jobs", "get_jobs"),
    Route("POST", "/jobs", "submit_job", 202, body=JOB_SUBMIT_BODY),
    Route("GET", "/jobs/overview", "get_jobs_overview"),
    Route("GET", "/jobs/{jobid}", "get_job", path_parameters=[_JOB]),
    Route("PATCH", "/jobs/{jobid}", "cancel_job", 202, path_parameters=[_JOB],
          query=[Parameter("mode", _termination_mode, passed=False, client_value="cancel")],
          check=_check_termination_mode),
    Route("GET", "/jobs/{jobid}/status", "get_job_status", path_parameters=[_JOB]),
    Route("GET", "/jobs/{jobid}/execution-result", "get_job_result", path_parameters=[_JOB]),
    Route("GET", "/jobs/{jobid}/exceptions", "get_job_exceptions", path_parameters=[_JOB],
          query=[Parameter("maxExceptions", _integer)]),
    Route("GET", "/jobs/{jobid}/config", "get_job_config", path_parameters=[_JOB]),
    Route("GET", "/jobs/{jobid}/checkpoints", "get_job_checkpoints", path_parameters=[_JOB]),
    Route("GET", "/jobs/{jobid}/metrics", "get_job_metrics", path_parameters=[_JOB],
          query=[Parameter("get")]),
    Route("POST", "/jobs/{jobid}/stop", "stop_with_savepoint", 202, path_parameters=[_JOB],
          body=STOP_WITH_SAVEPOINT_BODY),
    Route("GET", "/jobs/{jobid}/savepoints/{triggerid}", "get_savepoint_status",
          path_parameters=[_JOB, _TRIGGER]),
    Route("GET", "/taskmanagers", "get_taskmanagers"),
    Route("GET", "/taskmanagers/{taskmanagerid}", "get_taskmanager",
          path_parameters=[_TASK_MANAGER]),
    Route("GET", "/jobmanager/config", "get_jobmanager_config"),
    Route("DELETE", "/cluster", "shutdown_cluster"),
)

_BY_ENDPOINT_METHOD = {route.endpoint_method: route for route in ROUTES}


def _path_segments(path):
    segments = path.strip("/").split("/")
    if segments and segments[0] == API_VERSION_PREFIX:
        segments = segments[1:]
    return segments


def match(method, path):
    """
    :param str method: the HTTP method.
    :param str path: the request path (no query string), with or without ``/v1``.
    :return: ``(route, path values)``: the :class:`Route` and the text of each path parameter;
        ``None`` if no route has that method and path.
    """
    segments = _path_segments(path)
    for route in ROUTES:
        if route.method != method:
            continue
        template = route.segments
        if len(template) != len(segments):
            continue
        values = []
        for expected, actual in zip(template, segments):
            if expected.startswith("{"):
                if not actual:
                    break
                values.append(actual)
            elif expected != actual:
                break
        else:
            return route, tuple(values)
    return None


def resolve(route, path_values, query, content_type=None, body=b""):
    """
    Resolve a matched request's parameters, run the route's check and read its body.

    :param query: query key → list of values (``str``), as parsed from the query string.
    :param content_type: the request's ``Content-Type`` (``str`` or ``None``).
    :param bytes body: the request body (read only by a route with a body codec).
    :return: the endpoint method's arguments (a tuple).
    :raise RestHandlerException: 400 for a parameter that does not convert, the route's
        check's refusal, or the body codec's.
    """
    args = []
    for parameter, text in zip(route.path_parameters, path_values):
        try:
            parameter.parse(text)
        except ValueError:
            raise RestHandlerException(400, (
                f"{_BAD_PARAMETERS}Cannot resolve path parameter ({parameter.key}) from value "
                f'"{text}".')) from None
        args.append(text)
    resolved = {}
    for parameter in route.query:
        values = query.get(parameter.key)
        value = None
        if values:
            text = ",".join(values)
            try:
                value = parameter.parse(text)
            except ValueError:
                raise RestHandlerException(400, (
                    f"{_BAD_PARAMETERS}Cannot resolve query parameter ({parameter.key}) from "
                    f'value "{text}".')) from None
            resolved[parameter.key] = value
        if parameter.passed:
            args.append(value)
    if route.check is not None:
        route.check(resolved)
    if route.body is not None:
        args.extend(route.body.read(content_type, body))
    return tuple(args)


def route_of(endpoint_method):
    """
    :return: the :class:`Route` calling ``endpoint_method``.
    :raise KeyError: if no route does.
    """
    return _BY_ENDPOINT_METHOD[endpoint_method]


def path_of(route, path_values):
    """:return: the route's path with ``path_values`` (``str``) in its parameter segments."""
    values = iter(path_values)
    return "/" + "/".join(next(values) if segment.startswith("{") else segment
                          for segment in route.segments)


def split_arguments(route, args):
    """
    :param args: an endpoint method's arguments, as :func:`resolve` makes them.
    :return: ``(path values, passed query values, body arguments)``.
    """
    path_count = len(route.path_parameters)
    query_count = sum(1 for parameter in route.query if parameter.passed)
    return (tuple(args[:path_count]), tuple(args[path_count:path_count + query_count]),
            tuple(args[path_count + query_count:]))


def client_query(route, query_values):
    """
    :param query_values: the values of the route's passed query parameters, in order (``None``
        for one not to send).
    :return: ``[(key, text)]`` of the query string a client sends.
    """
    values = iter(query_values)
    pairs = []
    for parameter in route.query:
        value = next(values, None) if parameter.passed else parameter.client_value
        if value is not None:
            pairs.append((parameter.key, str(value)))
    return pairs
