"""
:class:`ClientRMService`: ``ApplicationClientProtocol``, what clients call on the RM — new
application ids, submission, reports, kills, and the cluster's nodes, queues and metrics.

Applications are listed oldest (lowest id) first from an index kept in id order as they are
submitted (ids may be submitted out of order), so that a listing with a ``limit`` looks at the
first applications only, however many the RM holds.  Node reports are remembered per node and
built again only when something they show has changed: Flink's client asks for every RUNNING
node's report twice per deployment.
"""

from bisect import insort
from itertools import islice

from zope.interface import implementer

from yarnemu.interfaces import IApplicationClientProtocol
from attrs import evolve

from yarnemu.errors import (
    ApplicationAttemptNotFoundException,
    ApplicationNotFoundException,
    ContainerNotFoundException,
    IllegalArgumentException,
    QueueNotFoundException,
    YarnException,
)
from yarnemu.events import AppSubmitted
from yarnemu.lifecycle.rmapp import RMAppEventType
from yarnemu.records.am_protocol import ANY, ResourceRequest
from yarnemu.records.client_protocol import (
    DEFAULT_QUEUE,
    ApplicationSubmissionContext,
    ContainerReport,
    GetNewApplicationResponse,
    YarnClusterMetrics,
)
from yarnemu.records.ids import ApplicationId
from yarnemu.records.states import NodeState, RMAppState
from yarnemu.scheduler.requests import validate_resource_request

__all__ = ["ClientRMService"]


@implementer(IApplicationClientProtocol)
class ClientRMService:
    """
    The client protocol of one :class:`~yarnemu.resourcemanager.rm.ResourceManager`.  Calls are
    synchronous; errors are raised as :mod:`yarnemu.errors` values.
    """

    def __init__(self, rm):
        self._rm = rm
        # The ids of the submitted applications, in order; it may still hold some the RM has
        # since forgotten (yarn.resourcemanager.max-completed-applications).
        self._ids_in_order = []
        self._indexed = set()
        self._node_reports = {}  # node id → (what its report shows, the report)
        rm.events.subscribe(self._observe)

    # Applications

    def get_new_application(self):
        """:return: a :class:`GetNewApplicationResponse` with a fresh application id."""
        rm = self._rm
        return GetNewApplicationResponse(rm.new_application_id(), rm.scheduler.maximum_allocation)

    def submit_application(self, context, user):
        """
        Submit an application.  It is accepted for processing at once; admission to its queue
        happens asynchronously (an unknown queue makes the application FAILED, not this call).

        :param ApplicationSubmissionContext context:
        :param str user: the submitting user.
        :raise YarnException: for a duplicate application id.
        :raise InvalidResourceRequestException: if the AM resource exceeds the maximum allocation.
        """
        rm = self._rm
        if not isinstance(context, ApplicationSubmissionContext) or not isinstance(
            context.application_id, ApplicationId
        ):
            raise IllegalArgumentException("submitApplication needs an ApplicationSubmissionContext "
                                           "with an application id")
        if not user:
            raise IllegalArgumentException("submitApplication needs a user")
        application_id = context.application_id
        if application_id in rm.apps:
            raise YarnException(
                f"Application with id {application_id} is already present! Cannot add a duplicate!"
            )
        if not context.unmanaged_am:
            validate_resource_request(
                ResourceRequest(0, ANY, context.resource, 1), rm.scheduler.maximum_allocation
            )
        if not context.queue:
            context = evolve(context, queue=DEFAULT_QUEUE)
        rm.submit(context, user)

    def force_kill_application(self, application_id, user=None, diagnostics=None):
        """
        Kill an application.

        :return: ``True`` if the application's final state is stored (it is in a final state, or
            FINISHING, which ends on its own: there is nothing to kill), ``False`` while the kill
            is in progress.
        :raise ApplicationNotFoundException: for an unknown id.
        """
        app = self._rm.apps.get(application_id)
        if app is None:
            raise ApplicationNotFoundException(
                f"Trying to kill an absent application {application_id}"
            )
        if _final_state_stored(app):
            return True
        if diagnostics is None:
            diagnostics = (f"Application {application_id} was killed by user {user}"
                           if user else "Application killed by user.")
        self._rm.dispatcher.dispatch(app.handle, RMAppEventType.KILL, diagnostics)
        return _final_state_stored(app)

    def get_application_report(self, application_id):
        """
        :raise ApplicationNotFoundException: for an unknown id.
        """
        return self._app(application_id).report()

    def get_applications(self, states=None, application_types=None, tags=None, queues=None,
                         users=None, name=None, limit=None, started=None, finished=None):
        """
        :param states: :class:`YarnApplicationState` values to keep (``None``: all).
        :param application_types: types to keep, matched case-insensitively.
        :param tags: keep applications with *any* of these tags.
        :param started: ``(begin, end)`` in epoch ms, either ``None`` for open.
        :return: matching :class:`ApplicationReport` values, oldest first, at most ``limit``.
        """
        matching = self.matching_applications(states, application_types, tags, queues, users,
                                              name, started, finished)
        return [app.report() for app in islice(matching, limit)]

    def matching_applications(self, states=None, application_types=None, tags=None, queues=None,
                              users=None, name=None, started=None, finished=None):
        """
        The RM's applications that :meth:`get_applications` reports, oldest first, found lazily:
        a caller that needs only the first few (``limit``) never looks at the rest.

        :return: an iterator of ``RMApp``.
        """
        types = {t.lower() for t in application_types} if application_types else None
        wanted_tags = {t.lower() for t in tags} if tags else None
        for app in self._applications_in_id_order():
            ctx = app.submission_context
            if states is not None and app.yarn_state not in states:
                continue
            if types is not None and ctx.application_type.lower() not in types:
                continue
            if wanted_tags is not None and not wanted_tags.intersection(ctx.application_tags):
                continue
            if queues is not None and app.queue not in queues:
                continue
            if users is not None and app.user not in users:
                continue
            if name is not None and ctx.application_name != name:
                continue
            if not _within(app.submit_time, started) or not _within(app.finish_time, finished,
                                                                     unfinished=True):
                continue
            yield app

    def get_application_attempts(self, application_id):
        """:return: the application's attempt reports, first to last."""
        return [attempt.report() for attempt in self._app(application_id).attempts]

    def get_application_attempt_report(self, attempt_id):
        """
        :raise ApplicationAttemptNotFoundException: for an unknown attempt.
        """
        return self._attempt(attempt_id).report()

    def get_containers(self, attempt_id):
        """:return: reports of the attempt's containers, in allocation order."""
        return [_container_report(self._rm, c) for c in self._attempt(attempt_id).containers]

    def get_container_report(self, container_id):
        """
        :raise ContainerNotFoundException: for an unknown container.
        """
        try:
            attempt = self._attempt(container_id.application_attempt_id)
        except (ApplicationNotFoundException, ApplicationAttemptNotFoundException):
            attempt = None
        for container in attempt.containers if attempt else ():
            if container.container_id == container_id:
                return _container_report(self._rm, container)
        raise ContainerNotFoundException(f"Container with id '{container_id}' doesn't exist in RM.")

    # Cluster

    def get_cluster_metrics(self):
        nodes = self._rm.nodes.values()
        inactive = [node.state for node in self._rm.inactive_nodes.values()]
        return YarnClusterMetrics(
            num_node_managers=len(self._rm.nodes),
            num_active_node_managers=sum(1 for n in nodes if n.state is NodeState.RUNNING),
            num_decommissioned_node_managers=inactive.count(NodeState.DECOMMISSIONED),
            num_lost_node_managers=inactive.count(NodeState.LOST),
            num_unhealthy_node_managers=sum(1 for n in nodes if n.state is NodeState.UNHEALTHY),
            num_rebooted_node_managers=inactive.count(NodeState.REBOOTED),
            num_shutdown_node_managers=inactive.count(NodeState.SHUTDOWN),
        )

    def get_cluster_nodes(self, states=None):
        """
        :param states: :class:`NodeState` values to keep (``None``: all states).
        :return: node reports, active nodes then inactive ones, each in registration order.
        """
        nodes = list(self._rm.nodes.values()) + list(self._rm.inactive_nodes.values())
        return [self._node_report(node) for node in nodes if states is None or node.state in states]

    def get_queue_info(self, queue_name):
        """
        :raise QueueNotFoundException: for a queue the scheduler does not have.
        """
        info = self._rm.scheduler.queue_info(queue_name)
        if info is None:
            raise QueueNotFoundException(f"Unknown queue: {queue_name}")
        return info

    def get_all_queues(self):
        return self._rm.scheduler.queue_infos()

    # Internals

    def _observe(self, event):
        if type(event) is AppSubmitted:
            self._index(event.application_id)

    def _index(self, application_id):
        if application_id not in self._indexed:
            self._indexed.add(application_id)
            insort(self._ids_in_order, application_id)

    def _applications_in_id_order(self):
        """:return: an iterator of the RM's applications, lowest id first (as they are now)."""
        apps = self._rm.apps
        # Submitted this instant, before this service heard of it (a listener of the event
        # stream listing applications as it hears of the submission): the newest come last.
        for application_id in reversed(apps):
            if application_id in self._indexed:
                break
            self._index(application_id)
        if len(self._ids_in_order) > 2 * len(apps) + 64:
            self._ids_in_order = [known for known in self._ids_in_order if known in apps]
            self._indexed = set(self._ids_in_order)
        for application_id in list(self._ids_in_order):
            app = apps.get(application_id)
            if app is not None:
                yield app

    def _node_report(self, node):
        """:return: ``node.report()``, the one built before if nothing it shows has changed."""
        held = self._rm.scheduler.nodes.get(node.node_id)
        shown = (node.state, node.http_address, node.rack, node.capability, node.health_report,
                 node.last_health_report_time)
        if held is not None:
            shown += (held.used_memory, held.used_vcores, len(held.containers))
        remembered = self._node_reports.get(node.node_id)
        if remembered is not None and remembered[0] == shown:
            return remembered[1]
        report = node.report()
        self._node_reports[node.node_id] = (shown, report)
        return report

    def _app(self, application_id):
        app = self._rm.apps.get(application_id)
        if app is None:
            raise ApplicationNotFoundException(
                f"Application with id '{application_id}' doesn't exist in RM. Please check that "
                "the job submission was successful."
            )
        return app

    def _attempt(self, attempt_id):
        app = self._app(attempt_id.application_id)
        for attempt in app.attempts:
            if attempt.attempt_id == attempt_id:
                return attempt
        raise ApplicationAttemptNotFoundException(
            f"ApplicationAttempt with id '{attempt_id}' doesn't exist in RM."
        )


def _final_state_stored(app):
    # RMAppImpl#isAppFinalStateStored
    return app.state.is_final or app.state is RMAppState.FINISHING


def _within(time, bounds, unfinished=False):
    if bounds is None:
        return True
    begin, end = bounds
    if unfinished and time == 0:
        return begin is None and end is None
    return (begin is None or time >= begin) and (end is None or time <= end)


def _container_report(rm, container):
    return ContainerReport(
        container_id=container.container_id,
        allocated_resource=container.resource,
        assigned_node=container.node_id,
        priority=container.container.priority,
        creation_time=container.creation_time,
        finish_time=container.finish_time,
        diagnostic_info=container.diagnostics,
        container_exit_status=int(container.exit_status),
        container_state=container.status().state,
        node_http_address=container.container.node_http_address,
    )
