"""
:class:`InProcessYarnClient`: Hadoop's ``YarnClient`` over an in-process
``IApplicationClientProtocol``, acting as one user.  Every method returns a Deferred.
"""

from twisted.internet.defer import maybeDeferred
from zope.interface import implementer

from yarnemu.interfaces import IYarnClient

__all__ = ["InProcessYarnClient"]


@implementer(IYarnClient)
class InProcessYarnClient:
    """
    :param protocol: the RM's ``IApplicationClientProtocol``.
    :param str user: the user the client acts as.
    """

    def __init__(self, protocol, user):
        self._protocol = protocol
        self.user = user

    def create_application(self):
        return maybeDeferred(self._protocol.get_new_application)

    def submit_application(self, context):
        d = maybeDeferred(self._protocol.submit_application, context, self.user)
        d.addCallback(lambda _: context.application_id)
        return d

    def get_application_report(self, application_id):
        return maybeDeferred(self._protocol.get_application_report, application_id)

    def get_applications(self, states=None, application_types=None, tags=None):
        return maybeDeferred(self._protocol.get_applications, states=states,
                             application_types=application_types, tags=tags)

    def kill_application(self, application_id):
        return maybeDeferred(self._protocol.force_kill_application, application_id, self.user)

    def get_node_reports(self, states=None):
        return maybeDeferred(self._protocol.get_cluster_nodes, states)

    def get_queue_info(self, queue_name):
        return maybeDeferred(self._protocol.get_queue_info, queue_name)

    def get_all_queues(self):
        return maybeDeferred(self._protocol.get_all_queues)

    def get_yarn_cluster_metrics(self):
        return maybeDeferred(self._protocol.get_cluster_metrics)
