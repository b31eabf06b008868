"""
Records of ``ContainerManagementProtocol`` (AM or RM → NodeManager).  Calls are batched and
failures come back per container instead of being raised.
"""

from attrs import field, frozen

from yarnemu.records.containers import Container, ContainerLaunchContext
from yarnemu.records.immutable import frozen_mapping, frozen_tuple

__all__ = [
    "StartContainerRequest",
    "StartContainersResponse",
    "StopContainersResponse",
    "GetContainerStatusesResponse",
]


@frozen
class StartContainerRequest:
    """:ivar container: the allocated container (it stands in for the container token)."""

    container: Container
    container_launch_context: ContainerLaunchContext


@frozen(hash=False)
class StartContainersResponse:
    """:ivar failed_requests: container id → the ``RemoteError`` for that container."""

    successfully_started_containers: tuple = field(factory=tuple, converter=frozen_tuple)
    failed_requests: object = field(factory=dict, converter=frozen_mapping)


@frozen(hash=False)
class StopContainersResponse:
    successfully_stopped_containers: tuple = field(factory=tuple, converter=frozen_tuple)
    failed_requests: object = field(factory=dict, converter=frozen_mapping)


@frozen(hash=False)
class GetContainerStatusesResponse:
    container_statuses: tuple = field(factory=tuple, converter=frozen_tuple)
    failed_requests: object = field(factory=dict, converter=frozen_mapping)
