"""
:class:`RMWebServices`: the operations of the RM REST API (``/ws/v1/cluster/...``), each taking a
:class:`WebCall` (what the HTTP request carried) and answering a :class:`WebResponse` (status,
JSON body, headers), as Hadoop's ``RMWebServices`` answers them.  It reads the ResourceManager's
state and calls its client service (``ClientRMService``) for everything that changes it, so the
REST API and the in-process clients share one behaviour; errors are raised as values and mapped
to HTTP in :mod:`yarnemu.web.rm.errors`.

Users (simple authentication, as an insecure Hadoop cluster): the caller is the ``user.name``
query parameter, else Hadoop's static web user ``dr.who`` (``hadoop.http.staticuser.user``).
A submission runs as ``user.name`` if given, else as the ``HADOOP_USER_NAME`` of the AM's
environment in the submission, else as ``dr.who``.  ACLs are not enforced (``yarn.acl.enable``
is false by default), so every caller sees every field and may kill any application.

Decisions where Hadoop leaves a choice:

- a submission with an application id the RM never handed out is accepted, as Hadoop accepts it
  (the RM's id counter moves past it, so later new-application ids do not collide);
- a duplicate submission is answered as the client service answers it (yarnemu refuses it with
  Hadoop's ``RMAppManager`` message, so the REST answer is 400);
- a managed AM's command must name an allow-listed program, else 400 and nothing is submitted.
"""

from attrs import field, frozen

from yarnemu.errors import IllegalArgumentException
from yarnemu.records.client_protocol import DEFAULT_QUEUE
from yarnemu.records.ids import ApplicationAttemptId, ApplicationId, ContainerId, NodeId
from yarnemu.records.resource import Resource
from yarnemu.records.states import FinalApplicationStatus, YarnApplicationState
from yarnemu.scheduler.capacity import CapacityScheduler
from yarnemu.scheduler.fifo import FifoScheduler
from yarnemu.web.errors import BadRequestException
from yarnemu.web.rm import dao
from yarnemu.web.rm.errors import bad_request, no_enum_constant, not_found
from yarnemu.web.rm.queries import (
    parse_application_states,
    parse_apps_query,
    parse_deselects,
    parse_lower_case_list,
    parse_node_states,
)
from yarnemu.web.rm.scheduler_info import scheduler_info
from yarnemu.web.rm.submission import (
    check_allowed_program,
    read_json_object,
    submission_context,
    submitting_user,
)
from yarnemu.web.static_user import STATIC_USER

__all__ = ["RMWebServices", "WebCall", "WebResponse", "STATIC_USER"]

_ANY_TYPE = "*"


def _frozen_args(value):
    return {str(name): tuple(values) for name, values in dict(value).items()}


@frozen
class WebCall:
    """
    What one request brings to an operation.

    :ivar args: query parameter name → its values (``str``), in order.
    :ivar bytes body: the request body.
    :ivar str url: the request URL without its query (Hadoop's ``getRequestURL``).
    :ivar caller: the ``user.name`` given, or ``None``.
    """

    args: dict = field(factory=dict, converter=_frozen_args)
    body: bytes = b""
    url: str = ""
    caller: str | None = None

    @property
    def user(self):
        """Who the caller is: ``user.name``, else :data:`STATIC_USER`."""
        return self.caller or STATIC_USER


@frozen
class WebResponse:
    """
    :ivar int status: the HTTP status.
    :ivar body: the JSON value to answer with; ``None`` for an empty body.
    :ivar headers: header name → value.
    """

    status: int
    body: object = None
    headers: dict = field(factory=dict)


def _ok(body):
    return WebResponse(200, body)


class RMWebServices:
    """
    :param rm: the :class:`~yarnemu.resourcemanager.rm.ResourceManager`.
    :param programs: the :class:`~yarnemu.nodemanager.programs.ProgramRegistry` a REST
        submission's AM may run.
    """

    def __init__(self, rm, programs):
        self._rm = rm
        self._client = rm.client_service
        self._programs = programs

    # The cluster

    def cluster_info(self, call):
        return _ok(dao.cluster_info(self._rm))

    def cluster_metrics(self, call):
        return _ok(dao.cluster_metrics(self._rm))

    def scheduler(self, call):
        return _ok(scheduler_info(self._rm))

    def nodes(self, call):
        """``states``: node states to list (default all); active nodes, then inactive ones."""
        states = parse_node_states(call.args)
        rm = self._rm
        nodes = list(rm.nodes.values()) + list(rm.inactive_nodes.values())
        return _ok(dao.listed("nodes", "node", [
            dao.node_info(rm, node) for node in nodes if states is None or node.state in states
        ]))

    def node(self, call, node_id):
        """One node, active or inactive; 404 ``nodeId, X, is not found``."""
        rm = self._rm
        parsed = NodeId.parse(node_id)
        node = rm.nodes.get(parsed) or rm.inactive_nodes.get(parsed)
        if node is None:
            raise not_found(f"nodeId, {node_id}, is not found")
        return _ok({"node": dao.node_info(rm, node)})

    # Applications

    def apps(self, call):
        """
        The applications the query selects (see :mod:`yarnemu.web.rm.queries`), oldest first:
        the client service's filters, then the finished range and the queue (applications the
        scheduler still has in that queue or below it), then ``limit``, then ``finalStatus``
        and ``deSelects``, each checked per listed application as Hadoop checks them.
        """
        rm = self._rm
        query = parse_apps_query(call.args, self._check_queue)
        matching = self._client.matching_applications(
            states=query.states,
            application_types=query.application_types or None,
            tags=query.application_tags or None,
            users=query.users,
            name=query.name,
            started=(query.started_begin, query.started_end),
        )
        in_queue = self._apps_in_queue(query.queue) if query.queue is not None else None
        selected = []
        for app in matching:
            if not query.finished_within(app.finish_time):
                continue
            if in_queue is not None and app.application_id not in in_queue:
                continue
            selected.append(app)
            if query.limit is not None and len(selected) >= query.limit:
                break
        listed = []
        for app in selected:
            if query.final_status is not None:
                _check_final_status(query.final_status)
                if app.final_application_status.value.lower() != query.final_status.lower():
                    continue
            listed.append(dao.app_info(rm, app, parse_deselects(query.deselects)))
        return _ok(dao.listed("apps", "app", listed))

    def app_statistics(self, call):
        """
        ``/appstatistics``: how many applications are in each state (``states``, default all)
        of a type (``applicationTypes``: at most one; default any, shown as ``*``).
        """
        states = parse_application_states(call.args.get("states")) or frozenset(
            YarnApplicationState)
        types = parse_lower_case_list(call.args.get("applicationTypes"))
        if len(types) > 1:
            raise bad_request(f"# of applicationTypes = {len(types)}, we temporarily support at "
                              "most one applicationType")
        (wanted_type,) = types or (_ANY_TYPE,)
        counts = dict.fromkeys(states, 0)
        for app in self._rm.apps.values():
            state = app.yarn_state
            if state not in counts:
                continue
            application_type = app.submission_context.application_type.strip().lower()
            if wanted_type == _ANY_TYPE or application_type == wanted_type:
                counts[state] += 1
        items = [{"state": state.value, "type": wanted_type, "count": counts[state]}
                 for state in YarnApplicationState if state in counts]
        return _ok({"appStatInfo": {"statItem": items}})

    def app(self, call, app_id):
        app = self._app(app_id)
        deselects = parse_deselects(call.args.get("deSelects"))
        return _ok({"app": dao.app_info(self._rm, app, deselects)})

    def app_attempts(self, call, app_id):
        app = self._app(app_id)
        return _ok(dao.listed("appAttempts", "appAttempt", [
            dao.app_attempt_info(self._rm, attempt) for attempt in app.attempts
        ]))

    def app_attempt(self, call, app_id, attempt_id):
        attempt = self._attempt_id(app_id, attempt_id)
        report = self._client.get_application_attempt_report(attempt)
        return _ok({"appAttempt": dao.attempt_report_info(report)})

    def containers(self, call, app_id, attempt_id):
        attempt = self._attempt_id(app_id, attempt_id)
        user = self._user_of(attempt.application_id)
        now = self._rm.now()
        return _ok(dao.listed("containers", "container", [
            dao.container_info(report, user, now)
            for report in self._client.get_containers(attempt)
        ]))

    def container(self, call, app_id, attempt_id, container_id):
        attempt = self._attempt_id(app_id, attempt_id)
        parsed = _parse(ContainerId, container_id)
        if parsed.application_attempt_id != attempt:
            raise not_found("appAttemptId and containerId don't match")
        report = self._client.get_container_report(parsed)
        user = self._user_of(attempt.application_id)
        return _ok({"container": dao.container_info(report, user, self._rm.now())})

    def app_state(self, call, app_id):
        """The **internal** RMAppState, as Hadoop's ``getAppState``."""
        return _ok(dao.app_state(self._app(app_id)))

    def update_app_state(self, call, app_id):
        """
        ``PUT {"state": "KILLED", "diagnostics": …}``: 200 with the state if the application is
        already in the target state (compared with its internal state) or its final state is
        stored (killing a finished application changes nothing); 202 with ``Location`` (the
        request URL) and the current state while the kill is under way; 400 for any other
        target.
        """
        value = read_json_object(call.body)
        app = self._app(app_id)
        target = value.get("state")
        if target == app.state.value:
            return _ok(dao.app_state(app))
        if target != YarnApplicationState.KILLED.value:
            raise bad_request(
                f"Only '{YarnApplicationState.KILLED.value}' is allowed as a target state."
            )
        diagnostics = value.get("diagnostics")
        diagnostics = diagnostics.strip() if isinstance(diagnostics, str) else ""
        message = None
        if diagnostics:
            # ClientRMService#forceKillApplication's message with the caller's diagnostic.
            message = (f"Application {app.application_id} was killed by user {call.user} with "
                       f"diagnostic message: {diagnostics}")
        completed = self._client.force_kill_application(app.application_id, call.user, message)
        if completed:
            return _ok(dao.app_state(app))
        return WebResponse(202, dao.app_state(app), {"Location": call.url})

    def new_application(self, call):
        response = self._client.get_new_application()
        return _ok(dao.new_application(response))

    def submit_application(self, call):
        """
        Submit the application the JSON body describes: 202, ``Location:
        <request URL>/<application id>`` and no body.
        """
        config = self._rm.config
        maximum = Resource(config.get_int("yarn.scheduler.maximum-allocation-mb"),
                           config.get_int("yarn.scheduler.maximum-allocation-vcores"))
        context = submission_context(read_json_object(call.body), maximum)
        check_allowed_program(context, self._programs)
        user = submitting_user(call.caller, context) or STATIC_USER
        self._client.submit_application(context, user)
        location = f"{call.url.rstrip('/')}/{context.application_id}"
        return WebResponse(202, None, {"Location": location})

    # Internals

    def _app(self, app_id):
        application_id = _parse(ApplicationId, app_id)
        app = self._rm.apps.get(application_id)
        if app is None:
            raise not_found(f"app with id: {app_id} not found")
        return app

    def _attempt_id(self, app_id, attempt_id):
        application_id = _parse(ApplicationId, app_id)
        parsed = _parse(ApplicationAttemptId, attempt_id)
        if parsed.application_id != application_id:
            raise not_found("appId and appAttemptId don't match")
        return parsed

    def _user_of(self, application_id):
        app = self._rm.apps.get(application_id)
        return app.user if app is not None else ""

    def _check_queue(self, queue):
        """Under the CapacityScheduler an unknown queue is refused (400 ``Unknown queue: X``)."""
        if isinstance(self._rm.scheduler, CapacityScheduler):
            self._client.get_queue_info(queue)

    def _apps_in_queue(self, queue):
        """
        :return: the ids of the applications the scheduler has in ``queue`` or below it (Hadoop's
            ``getAppsInQueue``: unfinished applications only).
        """
        scheduler = self._rm.scheduler
        if isinstance(scheduler, CapacityScheduler):
            target = scheduler.find_queue(queue)
            return {app_id for app_id, app in scheduler.applications.items()
                    if target in app.queue.ancestry()}
        if isinstance(scheduler, FifoScheduler) and queue == DEFAULT_QUEUE:
            return set(scheduler.applications)
        return set()


def _parse(id_class, text):
    """Parse an id from the path; a malformed one is 400 (``BadRequestException(cause)``)."""
    try:
        return id_class.parse(text)
    except IllegalArgumentException as error:
        raise BadRequestException(f"{error.java_class}: {error.message}") from None


def _check_final_status(text):
    try:
        FinalApplicationStatus(text)
    except ValueError:
        raise no_enum_constant("FinalApplicationStatus", text) from None
