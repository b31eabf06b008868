"""
The seams between yarnemu's components, as zope interfaces.  Each protocol has an in-process
implementation (the RM and NM services); surfaces and clients are written against these.

The YARN protocols are synchronous and raise :mod:`yarnemu.errors` values.  The clients a program
outside the cluster uses — :class:`IYarnClient` (Flink's deployment) and
:class:`IFileSystemClient` (its staging upload) — return Deferreds, so that remote implementations
(RM REST, WebHDFS) can stand beside the in-process ones.
"""

from zope.interface import Attribute, Interface

__all__ = [
    "IApplicationClientProtocol",
    "IApplicationMasterProtocol",
    "IResourceTracker",
    "IContainerManagementProtocol",
    "IYarnClient",
    "IFileSystemClient",
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
        """
        :return: Deferred firing when the kill is issued, with whether the application was
            already in a final state (``False`` while the kill is in progress).
        """

    def get_node_reports(states=None):
        """:return: Deferred firing with a list of ``NodeReport``."""

    def get_queue_info(queue_name):
        """:return: Deferred firing with a ``QueueInfo``."""

    def get_all_queues():
        """:return: Deferred firing with a list of ``QueueInfo``."""

    def get_yarn_cluster_metrics():
        """:return: Deferred firing with ``YarnClusterMetrics``."""


class IFileSystemClient(Interface):
    """
    What a client program needs of the cluster's file system (HDFS's ``FileSystem`` as Flink's
    deployment uses it), acting as one user.  Every operation returns a Deferred.

    Paths are absolute HDFS paths; an invalid one fails with
    :class:`~yarnemu.dfs.InvalidPathException`.  Operations fail with the
    :mod:`yarnemu.dfs` errors :class:`~yarnemu.dfs.FakeHDFS` raises, with the NameNode's wording
    (``FileNotFoundException``, ``FileAlreadyExistsException``, ...).
    """

    user = Attribute("The user the client acts as: the owner of what it creates.")

    default_replication = Attribute(
        "The replication of files created without one (the client's ``dfs.replication``).")

    transfers_take_time = Attribute(
        "Whether writes take time of their own: ``True`` when bytes travel to a remote file "
        "system, ``False`` for an in-process one, where a write completes at once on the clock.  "
        "A caller that models transfer time (Flink's staging upload, "
        "``flinkyarn.simulation.upload.bandwidth-mb``) adds it only when this is ``False``.")

    def get_file_status(path):
        """:return: Deferred firing with the path's ``FileStatus`` (empty ``path_suffix``)."""

    def exists(path):
        """:return: Deferred firing with whether the path names a file or directory."""

    def list_status(path):
        """
        :return: Deferred firing with the ``FileStatus`` list of a directory's entries sorted by
            name, or a one-element list for a file.
        """

    def mkdirs(path, permission=0o755):
        """Create a directory and its missing ancestors; :return: Deferred firing with ``True``."""

    def create(path, data_or_stream, overwrite=False, permission=0o644, replication=None,
               block_size=None):
        """
        Create (or with ``overwrite``, replace) a file from ``bytes`` or a binary stream, read as
        it is sent, never whole into memory.

        :param replication: ``None`` for :attr:`default_replication`.
        :return: Deferred firing with the new file's ``FileStatus``.
        """

    def append(path, data_or_stream):
        """Append to an existing file; :return: Deferred firing with its new ``FileStatus``."""

    def read_bytes(path, offset=0, length=None):
        """:return: Deferred firing with a file's bytes from ``offset`` (at most ``length``)."""

    def delete(path, recursive=True):
        """:return: Deferred firing with whether something was deleted."""

    def rename(src, dst):
        """:return: Deferred firing with whether it was renamed (HDFS's old rename semantics)."""

    def set_replication(path, replication):
        """:return: Deferred firing with ``True`` for a file, ``False`` otherwise."""

    def home_directory():
        """:return: Deferred firing with the user's home directory (``/user/<user>``)."""
