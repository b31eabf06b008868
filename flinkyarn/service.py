"""
The yarnemu service with Flink on it — the composition ``twistd yarnemu`` runs: a cluster whose
NodeManagers run Flink's YARN entrypoints and TaskManagers, whose RM web proxy serves each Flink
JobManager's REST API, whose web UI shows each Flink cluster's jobs and TaskManagers, and whose
``--scenario`` option reads a scenario file's ``cluster:`` block.
"""

from twisted.python import usage

from flinkyarn.programs import flink_on_yarn_programs
from flinkyarn.rest import flink_rest_proxy_targets
from flinkyarn.scenario.errors import ScenarioError
from flinkyarn.scenario.reader import read_scenario, scenario_yarn_configuration
from flinkyarn.webui import flink_application_panels
from yarnemu.service.service import YarnEmuService

__all__ = ["make_service", "cluster_from_scenario"]


def cluster_from_scenario(path):
    """
    :return: ``(node_groups, yarn-site items)`` of the scenario file's ``cluster:`` block.
    :raise usage.UsageError: if the file is not a valid scenario.
    """
    try:
        cluster = read_scenario(path).cluster
    except ScenarioError as error:
        raise usage.UsageError(str(error)) from None
    return cluster.node_groups, scenario_yarn_configuration(cluster).items()


def make_service(options, reactor):
    """
    :param options: parsed :class:`~yarnemu.service.options.ServiceOptions`.
    :return: the :class:`~yarnemu.service.service.YarnEmuService`.
    """
    return YarnEmuService(
        options.service_settings, reactor, flink_on_yarn_programs(),
        proxy_targets=lambda cluster: flink_rest_proxy_targets(cluster.network),
        application_panels=lambda cluster: flink_application_panels(cluster.network))
