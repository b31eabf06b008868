"""
:class:`NMClient`: starting, stopping and querying containers on NodeManagers, as Hadoop's
``NMClient`` does; a per-container failure is raised as its error.
"""

from yarnemu.errors import YarnException
from yarnemu.records.container_manager_protocol import StartContainerRequest

__all__ = ["NMClient"]


class NMClient:
    """
    :param container_managers: ``node_id → IContainerManagementProtocol`` (or ``None`` when the
        node cannot be reached).
    """

    def __init__(self, container_managers):
        self._container_managers = container_managers

    def start_container(self, container, launch_context):
        """
        :raise YarnException: (or the NodeManager's own error) if the container did not start.
        """
        response = self._manager(container.node_id).start_containers(
            [StartContainerRequest(container, launch_context)]
        )
        error = response.failed_requests.get(container.id)
        if error is not None:
            raise error

    def stop_container(self, container_id, node_id):
        response = self._manager(node_id).stop_containers([container_id])
        error = response.failed_requests.get(container_id)
        if error is not None:
            raise error

    def get_container_status(self, container_id, node_id):
        response = self._manager(node_id).get_container_statuses([container_id])
        error = response.failed_requests.get(container_id)
        if error is not None:
            raise error
        return response.container_statuses[0]

    def _manager(self, node_id):
        manager = self._container_managers(node_id)
        if manager is None:
            raise YarnException(f"java.net.ConnectException: NodeManager {node_id} is not reachable")
        return manager
