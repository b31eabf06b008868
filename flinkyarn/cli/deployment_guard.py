"""
:class:`InterruptibleDescriptor`: a ``YarnClusterDescriptor`` whose deployments are cancelled
when the command is interrupted (Ctrl-C) before they are done — what Flink's
``DeploymentFailureHook`` does when the client's JVM exits during a deployment: the YARN
application is killed and its staging directory deleted (the descriptor's failure handling runs
on the cancellation), so that an interrupted ``flinkyarn`` leaves no application waiting in
ACCEPTED behind.
"""

from twisted.internet.defer import Deferred

__all__ = ["InterruptibleDescriptor"]


class InterruptibleDescriptor:
    """
    :param descriptor: the ``YarnClusterDescriptor``; everything but the three deploy methods
        is its own.
    :param context: the :class:`~flinkyarn.cli.context.CliContext` whose interruption cancels
        deployments in progress.
    """

    def __init__(self, descriptor, context):
        self._descriptor = descriptor
        self._context = context

    def __getattr__(self, name):
        return getattr(self._descriptor, name)

    def deploy_session_cluster(self, spec):
        return self._guarded(self._descriptor.deploy_session_cluster(spec))

    def deploy_job_cluster(self, spec, job_graph, detached):
        return self._guarded(self._descriptor.deploy_job_cluster(spec, job_graph, detached))

    def deploy_application_cluster(self, spec, application_config):
        return self._guarded(self._descriptor.deploy_application_cluster(spec,
                                                                         application_config))

    def _guarded(self, deployment):
        def cancel():
            if deployment.called:
                return None
            settled = Deferred()

            def done(result):
                settled.callback(None)
                return result

            deployment.addBoth(done)
            deployment.cancel()
            return settled

        self._context.on_interrupt(cancel)
        return deployment
