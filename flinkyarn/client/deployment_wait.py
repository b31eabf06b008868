"""
Waiting for a submitted Flink cluster to come up, as the loop at the end of
``YarnClusterDescriptor.startAppMaster``: the application report is polled every 250 ms until
YARN says RUNNING (or FINISHED); FAILED or KILLED end the deployment with YARN's diagnostics.
There is no timeout — a cluster stuck in ACCEPTED keeps the client waiting, saying so every
minute — but the returned Deferred can be cancelled.
"""

from twisted.internet.defer import inlineCallbacks

from flinkyarn.client.errors import YarnDeploymentException
from yarnemu.errors import RemoteError
from yarnemu.records.states import YarnApplicationState
from yarnemu.timers import now_ms, sleep_ms

__all__ = ["wait_for_deployment", "POLL_INTERVAL_MS", "SLOW_DEPLOYMENT_LOG_INTERVAL_MS"]

POLL_INTERVAL_MS = 250
SLOW_DEPLOYMENT_LOG_INTERVAL_MS = 60000

_S = YarnApplicationState


@inlineCallbacks
def wait_for_deployment(yarn_client, clock, log, application_id):
    """
    :param yarn_client: an ``IYarnClient``.
    :param log: the :class:`~flinkyarn.client.client_log.ClientLog`.
    :return: a Deferred firing with the RUNNING (or FINISHED) ``ApplicationReport``.
    :raise YarnDeploymentException: if the application FAILED or was KILLED, or its report
        could not be read.
    """
    start = last_log = now_ms(clock)
    last_state = _S.NEW
    while True:
        try:
            report = yield yarn_client.get_application_report(application_id)
        except RemoteError as error:
            raise YarnDeploymentException("Failed to deploy the cluster.") from error
        state = report.yarn_application_state
        if state in (_S.FAILED, _S.KILLED):
            raise YarnDeploymentException(
                f"The YARN application unexpectedly switched to state {state} during deployment. "
                f"\nDiagnostics from YARN: {report.diagnostics}\n"
                "If log aggregation is enabled on your cluster, use this command to further "
                f"investigate the issue:\nyarn logs -applicationId {application_id}")
        if state is _S.RUNNING:
            log.info("YARN application has been deployed successfully.", application_id)
            return report
        if state is _S.FINISHED:
            log.info("YARN application has been finished successfully.", application_id)
            return report
        if state != last_state:
            log.info(f"Deploying cluster, current state {state}", application_id)
        now = now_ms(clock)
        if now - last_log > SLOW_DEPLOYMENT_LOG_INTERVAL_MS:
            last_log = now
            log.info(f"Deployment took more than {(last_log - start) // 1000} seconds. Please "
                     "check if the requested resources are available in the YARN cluster",
                     application_id)
        last_state = state
        yield sleep_ms(clock, POLL_INTERVAL_MS)
