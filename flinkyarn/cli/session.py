"""
``flinkyarn yarn-session``: Flink's ``yarn-session.sh`` (``FlinkYarnSessionCli.run``) against
the service.

* ``-q``: print YARN's resources (``getClusterDescription``) and exit.
* ``-id APPID``: attach to a running session instead of deploying one.
* otherwise deploy a session cluster (``-jm``, ``-tm``, ``-s``, ``-nm``, ``-qu``, ``-D k=v`` ...),
  write ``.yarn-properties-<user>`` (see :mod:`~flinkyarn.cli.properties_file`) so that later
  ``flinkyarn run``/``list``/``cancel`` find it, and print ``JobManager Web Interface: <URL>``.
  The URL is the RM web proxy's, ``<rm>/proxy/<applicationId>/``: the address a user can open
  (Flink prints the JobManager's own ``http://host:port``, which inside the emulator only the
  service reaches).
* ``-d``: leave the session running and exit 0, with Flink's note on how to stop it.
* attached (no ``-d``): wait (:class:`~flinkyarn.cli.attached_session.AttachedSession`) until
  standard input says ``stop`` or ``quit``, Ctrl-C, or the application fails; then shut the
  cluster down (``DELETE /cluster`` through the proxy), delete the properties file (``Deleted Yarn
  properties file at <path>``), and log ``Application <id> finished with state <S> and final
  state <F> at <time>``.

Log lines reach the console as with ``log4j-session.properties`` (every logger).
"""

from twisted.internet.defer import inlineCallbacks

from flinkyarn.cli.attached_session import AttachedSession
from flinkyarn.cli.cluster_options import DETACHED, RM_URL, WEBHDFS_URL, YarnOptions
from flinkyarn.cli.console import YARN_SESSION_CLI
from flinkyarn.cli.options import help_lines, parse
from flinkyarn.cli.properties_file import (
    delete_properties_file,
    encode_dynamic_properties,
    properties_file_path,
    write_properties_file,
)
from flinkyarn.client.cluster_descriptor import detached_cluster_information
from flinkyarn.client.cluster_specification import ClusterSpecification
from flinkyarn.config import options as o
from flinkyarn.runtime.errors import FlinkException
from yarnemu.errors import IllegalArgumentException
from yarnemu.records.ids import ApplicationId
from yarnemu.records.states import FinalApplicationStatus, NodeState, YarnApplicationState
from yarnemu.timers import sleep_ms
from yarnemu.yarncli.format import java_float

__all__ = ["yarn_session_action", "SESSION_OPTIONS", "YARN", "cluster_description",
           "session_help"]

YARN = YarnOptions()
SESSION_OPTIONS = YARN.all + (DETACHED, RM_URL, WEBHDFS_URL)

# How long an ended session's final report is waited for before it is logged as it is.
_FINAL_REPORT_WAIT_MS = 10000
_FINAL_REPORT_POLL_MS = 100
_PROPERTY_ROW = "|%-16s |%-16s "
_RULE = "+---------------------------------------+"


def session_help(console):
    """``printUsage``."""
    console.print("Usage:")
    console.print("   Optional")
    for line in help_lines(SESSION_OPTIONS):
        console.print(line)
    console.print()
    console.print("The JobManager Web Interface printed is the RM web proxy's URL of the "
                  "session, <rm>/proxy/<applicationId>/.")
    return 0


def cluster_description(metrics, nodes, queues):
    """
    :param metrics: the ``YarnClusterMetrics``.
    :param nodes: the RUNNING nodes' ``NodeReport``\\ s.
    :param queues: every ``QueueInfo``.
    :return: the text of ``YarnClusterDescriptor.getClusterDescription`` — including its first
        line, which Flink ``append``\\ s without a line break.
    """
    text = f"NodeManagers in the ClusterClient {metrics.num_node_managers}"
    text += "|Property         |Value          \n"
    text += _RULE + "\n"
    total_memory = total_cores = 0
    for node in nodes:
        capability = node.capability
        total_memory += capability.memory
        total_cores += capability.vcores
        for name, value in (("NodeID", node.node_id), ("Memory", f"{capability.memory} MB"),
                            ("vCores", capability.vcores), ("HealthReport", node.health_report),
                            ("Containers", node.num_containers)):
            text += _PROPERTY_ROW % (name, value) + "\n"
        text += _RULE + "\n"
    text += f"Summary: totalMemory {total_memory} totalCores {total_cores}\n"
    for queue in queues:
        text += (f"Queue: {queue.queue_name}, Current Capacity: "
                 f"{java_float(queue.current_capacity)} Max Capacity: "
                 f"{java_float(queue.maximum_capacity)} Applications: "
                 f"{len(queue.applications)}\n")
    return text


@inlineCallbacks
def _describe(yarn_client):
    try:
        metrics = yield yarn_client.get_yarn_cluster_metrics()
        nodes = yield yarn_client.get_node_reports([NodeState.RUNNING])
        queues = yield yarn_client.get_all_queues()
    except Exception as error:
        raise RuntimeError("Couldn't get cluster description") from error
    return cluster_description(metrics, nodes, queues)


def _configuration(home, command_line):
    config = home.configuration().with_values(YARN.settings(command_line))
    values = {o.EXECUTION_TARGET.key: "yarn-session"}
    application_id = None
    if command_line.has(YARN.application_id):
        text = command_line.value(YARN.application_id)
        try:
            application_id = ApplicationId.parse(text.strip())
        except IllegalArgumentException as error:
            raise FlinkException(error.message) from error
        values[o.YARN_APPLICATION_ID.key] = str(application_id)
        values[o.HIGH_AVAILABILITY_CLUSTER_ID.key] = (
            command_line.value(YARN.zookeeper_namespace)
            or config.get_raw(o.HIGH_AVAILABILITY_CLUSTER_ID) or str(application_id))
    return config.with_values(values), application_id


@inlineCallbacks
def yarn_session_action(context, arguments):
    """``flinkyarn yarn-session``; :return: a Deferred firing with the exit status."""
    command_line = parse(SESSION_OPTIONS, arguments, stop_at_non_option=True)
    if command_line.has(YARN.help):
        return session_help(context.console)
    address = context.service_address(command_line)
    home = context.flink_home(command_line, YARN.dynamic_properties)
    config, application_id = _configuration(home, command_line)
    console = context.console
    descriptor = context.descriptor(config, home)
    if command_line.has(YARN.query):
        console.print((yield _describe(descriptor.yarn_client)))
        return 0

    properties_path = properties_file_path(config.get(o.YARN_PROPERTIES_FILE_LOCATION),
                                           context.login_name)
    if application_id is not None:
        client = yield descriptor.retrieve(application_id)
    else:
        spec = ClusterSpecification.from_configuration(config)
        client = yield descriptor.deploy_session_cluster(spec)
        application_id = client.application_id
        try:
            write_properties_file(properties_path, application_id, encode_dynamic_properties(
                command_line.properties(YARN.dynamic_properties)))
            console.print(f"JobManager Web Interface: {address.proxy_url(application_id)}/")
        except Exception as error:
            try:
                yield client.kill_cluster()
            except Exception as kill_error:
                console.info(YARN_SESSION_CLI,
                             f"Could not properly terminate the Flink cluster. {kill_error}")
            raise FlinkException("Could not write the Yarn connection information.") from error

    if not config.get(o.EXECUTION_ATTACHED):
        console.info(YARN_SESSION_CLI, detached_cluster_information(application_id))
        return 0

    session = AttachedSession(context.reactor, descriptor.yarn_client, application_id, console,
                              context.stdin)
    shut_down = []

    def shutdown():
        if shut_down:
            return shut_down[0]
        session.stop()
        shut_down.append(_shutdown(context, descriptor, client, properties_path))
        return shut_down[0]

    context.on_interrupt(shutdown)
    yield session.wait()
    yield shutdown()
    return 0


@inlineCallbacks
def _shutdown(context, descriptor, client, properties_path):
    """``shutdownCluster`` and ``tryRetrieveAndLogApplicationReport``."""
    console = context.console
    yield client.shutdown_cluster()
    try:
        if delete_properties_file(properties_path):
            console.info(YARN_SESSION_CLI, f"Deleted Yarn properties file at {properties_path}")
    except OSError as error:
        console.warn(YARN_SESSION_CLI, f"Couldn't delete Yarn properties file at "
                                       f"{properties_path}: {error}")
    report = None
    waited = 0
    while waited <= _FINAL_REPORT_WAIT_MS:
        try:
            report = yield descriptor.yarn_client.get_application_report(client.application_id)
        except Exception as error:
            console.info(YARN_SESSION_CLI, f"Could not log the final application report. {error}")
            return
        if (report.final_application_status is not FinalApplicationStatus.UNDEFINED
                and report.finish_time > 0):
            break
        yield sleep_ms(context.reactor, _FINAL_REPORT_POLL_MS)
        waited += _FINAL_REPORT_POLL_MS
    console.info(YARN_SESSION_CLI,
                 f"Application {report.application_id} finished with state "
                 f"{report.yarn_application_state} and final state "
                 f"{report.final_application_status} at {report.finish_time}")
    if report.yarn_application_state is YarnApplicationState.FAILED:
        console.warn(YARN_SESSION_CLI, f"Application failed. Diagnostics {report.diagnostics}")
