"""
The seams between yarnemu's components, as zope interfaces.  Each protocol has an in-process
implementation (the RM and NM services); surfaces and clients are written against these.

The YARN protocols are synchronous and raise :mod:`yarnemu.errors` values.  :class:`IYarnClient`,
the client Flink's deployment uses, returns Deferreds, so that a remote (REST) implementation can
stand beside the in-process one.
"""

from zope.interface import Interface

__all__ = [
    "IApplicationClientProtocol",
    "IApplicationMasterProtocol",
    "IResourceTracker",
    "IContainerManagementProtocol",
    "IYarnClient",
]


class IApplicationClientProtocol(Interface):
    """What clients call on the ResourceManager."""

    def get_new_application():
        """:return: a ``GetNewApplicationResponse``."""

    def submit_application(context, user):
        """Submit an ``ApplicationSubmissionContext`` as ``user``."""

    def force_kill_application(application_id, user=None, diagnostics=None):
        """:return: whether the application is already in a final state."""

    def get_application_report(application_id):
        """:return: an ``ApplicationReport``."""

    def get_applications(states=None, application_types=None, tags=None, queues=None, users=None,
                         name=None, limit=None, started=None, finished=None):
        """:return: a list of ``ApplicationReport``."""

    def get_application_attempts(application_id):
        """:return: a list of ``ApplicationAttemptReport``."""

    def get_application_attempt_report(attempt_id):
        """:return: an ``ApplicationAttemptReport``."""

    def get_containers(attempt_id):
        """:return: a list of ``ContainerReport``."""

    def get_container_report(container_id):
        """:return: a ``ContainerReport``."""

    def get_cluster_metrics():
        """:return: a ``YarnClusterMetrics``."""

    def get_cluster_nodes(states=None):
        """:return: a list of ``NodeReport``."""

    def get_queue_info(queue_name):
        """:return: a ``QueueInfo``."""

    def get_all_queues():
        """:return: a list of ``QueueInfo``."""


class IApplicationMasterProtocol(Interface):
    """What an application master calls on the ResourceManager."""

    def register_application_master(attempt_id, request):
        """:return: a ``RegisterApplicationMasterResponse``."""

    def allocate(attempt_id, request):
        """:return: an ``AllocateResponse``."""

    def finish_application_master(attempt_id, request):
        """:return: a ``FinishApplicationMasterResponse``."""


class IResourceTracker(Interface):
    """What a NodeManager calls on the ResourceManager."""

    def register_node_manager(request):
        """:return: a ``RegisterNodeManagerResponse``."""

    def node_heartbeat(request):
        """:return: a ``NodeHeartbeatResponse``."""

    def quiet_heartbeat(node_id, response_id, now_ms):
        """A heartbeat with no container changes; :return: the new responseId, or ``None``."""

    def unregister_node_manager(node_id):
        """The NodeManager stops."""


class IContainerManagementProtocol(Interface):
    """What an AM (or the RM's launcher) calls on a NodeManager."""

    def start_containers(requests):
        """:return: a ``StartContainersResponse``."""

    def stop_containers(container_ids):
        """:return: a ``StopContainersResponse``."""

    def get_container_statuses(container_ids):
        """:return: a ``GetContainerStatusesResponse``."""


class IYarnClient(Interface):
    """
    Hadoop's ``YarnClient`` as a client program uses it; every method returns a Deferred.
    """

    def create_application():
        """:return: Deferred firing with a ``GetNewApplicationResponse``."""

    def submit_application(context):
        """:return: Deferred firing with the application id."""

    def get_application_report(application_id):
        """:return: Deferred firing with an ``ApplicationReport``."""

    def get_applications(states=None, application_types=None, tags=None):
        """:return: Deferred firing with a list of ``ApplicationReport``."""

    def kill_application(application_id):
        """:return: Deferred firing when the kill is issued."""

    def get_node_reports(states=None):
        """:return: Deferred firing with a list of ``NodeReport``."""

    def get_queue_info(queue_name):
        """:return: Deferred firing with a ``QueueInfo``."""

    def get_all_queues():
        """:return: Deferred firing with a list of ``QueueInfo``."""

    def get_yarn_cluster_metrics():
        """:return: Deferred firing with ``YarnClusterMetrics``."""
