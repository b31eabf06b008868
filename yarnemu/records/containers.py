"""
Containers and what runs in them: ``Container``, ``ContainerStatus``, ``ContainerLaunchContext``,
``LocalResource`` and its ``URL``, and the ``NMToken`` an AM needs for a node.
"""

from attrs import field, frozen

from yarnemu.records.ids import ContainerId, NodeId
from yarnemu.records.immutable import frozen_mapping, frozen_tuple
from yarnemu.records.resource import Resource
from yarnemu.records.states import (
    ContainerState,
    ExecutionType,
    LocalResourceType,
    LocalResourceVisibility,
)

__all__ = [
    "URL",
    "LocalResource",
    "ContainerLaunchContext",
    "Container",
    "ContainerStatus",
    "NMToken",
]


@frozen
class URL:
    """
    YARN's ``URL`` record: where a local resource lives (``scheme://userInfo@host:port/file``).
    """

    scheme: str
    file: str
    host: str = ""
    port: int = -1
    user_info: str = ""

    def __str__(self):
        authority = self.host
        if self.user_info:
            authority = f"{self.user_info}@{authority}"
        if self.port >= 0:
            authority = f"{authority}:{self.port}"
        if not authority and self.scheme == "file":
            return f"file:{self.file}"
        return f"{self.scheme}://{authority}{self.file}"

    @classmethod
    def for_hdfs_path(cls, path, host="", port=-1):
        """
        :return: an ``hdfs`` URL for an absolute path on the fake HDFS.
        """
        return cls(scheme="hdfs", file=path, host=host, port=port)


@frozen
class LocalResource:
    """
    A file or archive the NodeManager must fetch into a container's working directory.

    :ivar URL resource: where it is.
    :ivar int size: its size in bytes when the client registered it.
    :ivar int timestamp: its modification time (ms) when registered; localization fails if the
        file changed since.
    """

    resource: URL
    size: int
    timestamp: int
    type: LocalResourceType = LocalResourceType.FILE
    visibility: LocalResourceVisibility = LocalResourceVisibility.APPLICATION
    pattern: str | None = None
    should_be_uploaded_to_shared_cache: bool = False


@frozen(hash=False)
class ContainerLaunchContext:
    """
    What a NodeManager needs to start a container.

    :ivar local_resources: link name in the working directory → :class:`LocalResource`.
    :ivar environment: variables added to the container's environment; values may use
        ``{{VAR}}`` and ``<CPS>``.
    :ivar commands: the command lines; the first names the program to run.
    """

    local_resources: object = field(factory=dict, converter=frozen_mapping)
    environment: object = field(factory=dict, converter=frozen_mapping)
    commands: tuple = field(factory=tuple, converter=frozen_tuple)
    service_data: object = field(factory=dict, converter=frozen_mapping)
    tokens: bytes | None = None
    application_acls: object = field(factory=dict, converter=frozen_mapping)


@frozen
class NMToken:
    """The token an AM presents to a NodeManager; opaque here."""

    node_id: NodeId
    token: str


@frozen
class Container:
    """
    A container the scheduler allocated: where it is, how big, and for which request.
    """

    id: ContainerId
    node_id: NodeId
    node_http_address: str
    resource: Resource
    priority: int
    allocation_request_id: int = 0
    execution_type: ExecutionType = ExecutionType.GUARANTEED
    version: int = 0
    user: str = ""
    """The application's submitter, which Hadoop carries in the container token."""


@frozen
class ContainerStatus:
    """
    A container's state as reported by its NodeManager and, once complete, to its AM.

    :ivar int exit_status: the process exit code, or one of ``ContainerExitStatus``'s special
        values; ``ContainerExitStatus.INVALID`` while not complete.
    """

    container_id: ContainerId
    state: ContainerState
    exit_status: int
    diagnostics: str = ""
    capability: Resource | None = None
    execution_type: ExecutionType = ExecutionType.GUARANTEED
