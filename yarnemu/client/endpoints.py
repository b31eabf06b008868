"""
:class:`ClusterEndpoints`: where a cluster's services are, for the programs running in it — what
a real program would find through its Hadoop configuration (``yarn-site.xml``, ``core-site.xml``).
"""

from attrs import frozen

__all__ = ["ClusterEndpoints"]


@frozen
class ClusterEndpoints:
    """
    :ivar client_protocol: the RM's ``IApplicationClientProtocol``.
    :ivar am_protocol: the RM's ``IApplicationMasterProtocol``.
    :ivar container_managers: ``node_id → IContainerManagementProtocol`` or ``None``.
    :ivar filesystem: the cluster's :class:`~yarnemu.dfs.FakeHDFS`.
    :ivar str rm_webapp_address: the RM's web address (``host:port``), for tracking URLs.
    :ivar network: the cluster's :class:`~yarnemu.network.InProcessNetwork`, on which programs
        serve and call each other.
    :ivar events: the cluster's :class:`~yarnemu.events.EventLog`, where programs log.
    """

    client_protocol: object
    am_protocol: object
    container_managers: object
    filesystem: object
    rm_webapp_address: str = "localhost:8088"
    network: object = None
    events: object = None

    def container_manager(self, node_id):
        return self.container_managers(node_id)
