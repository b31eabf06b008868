"""
``flinkyarn run [OPTIONS] PROGRAM [ARGS]`` and ``flinkyarn run-application -t yarn-application
[OPTIONS] PROGRAM [ARGS]``: Flink's ``CliFrontend.run`` and ``runApplication`` on YARN.

A program is a built-in one (``wordcount``, ``streaming-window``) or a Python file
``path/to/job.py[:function]``; it plays the part of Flink's jar. Options end at the program; what
follows is the program's.

Where it runs (see :mod:`~flinkyarn.cli.cluster_options`):

* ``yarn-session`` (``-t yarn-session``, ``-yid APPID``, or the session of the
  ``.yarn-properties-<user>`` file when nothing else is said): ``main`` runs here and submits
  its jobs to the session;
* ``yarn-per-job`` (``-t yarn-per-job`` or ``-m yarn-cluster``; deprecated since Flink 1.15):
  ``main`` runs here and each job gets a cluster of its own, shipped as ``job.graph``;
* ``yarn-application`` (``run-application -t yarn-application``, or ``run -t yarn-application``
  as in Flink 2.x): the program is shipped and ``main`` runs in the JobManager; the command
  returns once the cluster runs.

Options of ``run``: ``-d`` (detached: return once the job is submitted), ``-p N`` (the default
parallelism), ``-sae`` (an attached per-job cluster is shut down when the command is
interrupted), ``-D key=value``, ``-t TARGET``, the YARN options ``-yid``, ``-yjm``, ``-ytm``,
``-ys``, ``-yqu``, ``-ynm``, ``-yD`` ..., ``--rm``/``--webhdfs``.

FLIP-40 driver mode, ``run --driver [--driverheapmemory MB] [--driverdirectmemory MB]
[--drivercpus N] [--drivernativememory MB] PROGRAM``: ``main`` does not run here but in a
driver job (:mod:`flinkyarn.driver`) submitted to the session, or to a per-job cluster of its own
(``-t yarn-per-job``), which then takes the jobs ``main`` submits; the command prints the driver
job's id and, unless ``-d``, waits for the driver job and prints its result as for any job.  The
FLIP's short forms (``-D``, ``-Dhm``, ``-Ddm``, ``-Dc``, ``-Dnm``) would be read as ``-Dkey=value``
configuration properties, so only the long forms exist.  Refused before anything is deployed:
driver options without ``--driver``, values that are not sizes in MB or positive numbers of cores,
and ``--driver`` with ``yarn-application`` (whose JobManager runs ``main`` already).

Console output, as Flink's: ``Job has been submitted with JobID <id>``; attached, when the job
ended: ``Program execution finished``, ``Job with JobID <id> has finished.``, ``Job Runtime: N
ms``; the YARN client's log lines (``Found Web Interface <host>:<port> of application '<id>'.``,
``Submitting application master <id>`` ...). Exit status 0, or 1 with ``The program finished with
the following exception:`` and the exception on stderr.
"""

import secrets

from twisted.internet.defer import inlineCallbacks

from flinkyarn.cli.cluster_options import (
    APPLICATION_TARGET,
    DETACHED,
    DYNAMIC_PROPERTIES,
    GENERAL_OPTIONS,
    HELP,
    NO_CLUSTER_ID,
    PER_JOB_TARGET,
    SESSION_TARGET,
    YarnOptions,
    cluster_configuration,
)
from flinkyarn.cli.console import YARN_SESSION_CLI
from flinkyarn.cli.help_text import print_action_help
from flinkyarn.cli.options import CliArgsException, Option, parse
from flinkyarn.client.application_configuration import ApplicationConfiguration
from flinkyarn.client.cluster_client import RemoteFlinkException
from flinkyarn.client.cluster_specification import ClusterSpecification
from flinkyarn.client.executors import (
    PerJobPipelineExecutor,
    SessionPipelineExecutor,
    run_program,
)
from flinkyarn.config import options as o
from flinkyarn.driver import DriverResources, driver_job_graph
from flinkyarn.driver.resources import DriverResourcesError
from flinkyarn.examples.loader import ProgramInvocationException
from flinkyarn.graph.errors import IllegalStateException
from flinkyarn.ids import IdGenerator
from flinkyarn.runtime.errors import FlinkException, JobExecutionException

__all__ = ["run_action", "run_application_action", "RUN_OPTIONS", "DRIVER_OPTIONS", "YARN",
           "run_help", "run_application_help"]

YARN = YarnOptions("y", "yarn")

PARALLELISM = Option(
    "p", "parallelism",
    "The parallelism with which to run the program. Optional flag to override the default "
    "value specified in the configuration.", "parallelism")
SHUTDOWN_ON_ATTACHED_EXIT = Option(
    "sae", "shutdownOnAttachedExit",
    "If the job is submitted in attached mode, perform a best-effort cluster shutdown when the "
    "CLI is terminated abruptly, e.g., in response to a user interrupt, such as typing Ctrl + "
    "C.")
_RUN_OWN_OPTIONS = (DETACHED, PARALLELISM, SHUTDOWN_ON_ATTACHED_EXIT)

DRIVER = Option(
    None, "driver",
    "Run the program's main() in a driver job on the cluster (FLIP-40 driver mode) instead of "
    "in this process; the jobs it runs are submitted from there, named after the driver job. "
    "Only the long forms of the driver options exist: FLIP-40's -D, -Dhm, -Ddm, -Dc and -Dnm "
    "would be read as -Dkey=value configuration properties.")
DRIVER_HEAP_MEMORY = Option(None, "driverheapmemory", "Driver task heap memory in MB", "arg")
DRIVER_DIRECT_MEMORY = Option(None, "driverdirectmemory", "Driver task direct memory in MB",
                              "arg")
DRIVER_CPUS = Option(None, "drivercpus", "Driver task cpu cores.", "arg")
DRIVER_NATIVE_MEMORY = Option(None, "drivernativememory", "Driver task native memory in MB",
                              "arg")
DRIVER_OPTIONS = (DRIVER, DRIVER_HEAP_MEMORY, DRIVER_DIRECT_MEMORY, DRIVER_CPUS,
                  DRIVER_NATIVE_MEMORY)
_DRIVER_RESOURCES = DRIVER_OPTIONS[1:]

RUN_OPTIONS = _RUN_OWN_OPTIONS + DRIVER_OPTIONS + GENERAL_OPTIONS + YARN.all
_NO_DRIVER_IN_APPLICATION_MODE = (
    "Driver mode (--driver) runs main() in a driver job on a session (yarn-session) or a "
    "per-job cluster (yarn-per-job); an application cluster (yarn-application) runs main() in "
    "its JobManager already.")

_NO_PROGRAM = "Java program should be specified a JAR file."


_PROGRAM_NOTE = ("PROGRAM is a built-in program (wordcount, streaming-window) or "
                 "path/to/job.py[:function].",)


def run_help(console, shared=True):
    return print_action_help(console, "run", "run [OPTIONS] <PROGRAM> <arguments>",
                             "compiles and runs a program.",
                             _RUN_OWN_OPTIONS + DRIVER_OPTIONS + (HELP,), _PROGRAM_NOTE, shared)


def run_application_help(console, shared=True):
    return print_action_help(console, "run-application",
                             "run-application -t yarn-application [OPTIONS] <PROGRAM> "
                             "<arguments>", "runs an application in Application Mode.",
                             _RUN_OWN_OPTIONS + (HELP,), _PROGRAM_NOTE, shared)


def _parallelism(command_line):
    if not command_line.has(PARALLELISM):
        return None
    text = command_line.value(PARALLELISM)
    try:
        parallelism = int(text.strip(), 10)
    except ValueError:
        parallelism = 0
    if parallelism <= 0:
        raise CliArgsException(f"The parallelism must be a positive number: {text}")
    return parallelism


def _check_program(program):
    """The program must exist before anything is deployed (``getJobJarAndDependencies``)."""
    try:
        ApplicationConfiguration(program).program_file
    except ProgramInvocationException as error:
        raise CliArgsException("Could not get job jar and dependencies from JAR file: "
                               f"{error.message}") from None


def _configuration(context, command_line):
    """:return: ``(FlinkHome, ClusterConfiguration)`` with the program options applied."""
    parallelism = _parallelism(command_line)
    context.service_address(command_line)
    home = context.flink_home(command_line, DYNAMIC_PROPERTIES, YARN.dynamic_properties)
    cluster = cluster_configuration(home.configuration(), command_line, YARN,
                                    user_name=context.login_name)
    values = {}
    if parallelism is not None:
        values[o.DEFAULT_PARALLELISM.key] = parallelism
    if command_line.has(SHUTDOWN_ON_ATTACHED_EXIT):
        values[o.SHUTDOWN_IF_ATTACHED.key] = True
    if values:
        cluster = type(cluster)(cluster.configuration.with_values(values), cluster.target,
                                cluster.application_id, cluster.properties_file)
    if cluster.properties_file is not None:
        context.console.info(YARN_SESSION_CLI, "Found Yarn properties file under "
                                               f"{cluster.properties_file.path}.")
    return home, cluster


def _program(command_line):
    if not command_line.args:
        raise CliArgsException(_NO_PROGRAM)
    program, arguments = command_line.args[0], list(command_line.args[1:])
    _check_program(program)
    return program, arguments


def _driver_resources(command_line):
    """
    :return: the :class:`~flinkyarn.driver.DriverResources` of the driver options, or ``None``
        without ``--driver``.
    :raise CliArgsException: for driver options without ``--driver``, or a bad value.
    """
    given = [option for option in _DRIVER_RESOURCES if command_line.has(option)]
    if not command_line.has(DRIVER):
        if given:
            raise CliArgsException(f"The option --{given[0].long} requires driver mode "
                                   "(--driver).")
        return None
    try:
        return DriverResources.parse(*(command_line.value(option)
                                       for option in _DRIVER_RESOURCES))
    except DriverResourcesError as error:
        raise CliArgsException(str(error)) from None


@inlineCallbacks
def run_action(context, arguments):
    """``flinkyarn run``; :return: a Deferred firing with the exit status."""
    command_line = parse(RUN_OPTIONS, arguments, stop_at_non_option=True)
    if command_line.has(HELP):
        return run_help(context.console)
    program, program_arguments = _program(command_line)
    driver = _driver_resources(command_line)
    home, cluster = _configuration(context, command_line)
    if driver is not None and cluster.target == APPLICATION_TARGET:
        raise CliArgsException(_NO_DRIVER_IN_APPLICATION_MODE)
    if cluster.target == APPLICATION_TARGET:
        return (yield _deploy_application(context, home, cluster, program, program_arguments))
    if cluster.target is None or (cluster.target == SESSION_TARGET
                                  and cluster.application_id is None):
        raise FlinkException(NO_CLUSTER_ID)
    if cluster.target not in (SESSION_TARGET, PER_JOB_TARGET):
        raise IllegalStateException("No ExecutorFactory found to execute the application.")
    config = cluster.configuration
    descriptor = context.descriptor(config, home)
    if cluster.target == SESSION_TARGET:
        executor = SessionPipelineExecutor(None, config, descriptor.log, descriptor)
    else:
        executor = PerJobPipelineExecutor(descriptor, config,
                                          on_deployed=_shutdown_on_interrupt(context, config))
    # Flink's JobIDs are random: commands run one after another must not repeat them.
    ids = IdGenerator(secrets.randbits(128))
    if driver is not None:
        yield _run_driver(executor, program, program_arguments, config, ids, driver)
        return 0
    yield run_program(program, program_arguments, executor, config, id_generator=ids)
    return 0


@inlineCallbacks
def _run_driver(executor, program, program_arguments, config, ids, resources):
    """Submit the driver job of ``program``; attached, wait for it and print its result."""
    graph = driver_job_graph(program, program_arguments, config, ids.job_id(),
                             resources.resource_spec(config))
    try:
        yield executor.execute(graph)
    except JobExecutionException as error:
        # Show why the driver failed (what its main() raised), as Flink's client shows the
        # cause of a failed job.
        cause = error.serialized_throwable
        if cause is not None and error.__cause__ is None:
            error.__cause__ = RemoteFlinkException(cause.exception_class, cause.message)
        raise


@inlineCallbacks
def run_application_action(context, arguments):
    """``flinkyarn run-application``; :return: a Deferred firing with the exit status."""
    command_line = parse(RUN_OPTIONS, arguments, stop_at_non_option=True)
    if command_line.has(HELP):
        return run_application_help(context.console)
    program, program_arguments = _program(command_line)
    if command_line.has(DRIVER):
        raise CliArgsException(_NO_DRIVER_IN_APPLICATION_MODE)
    _driver_resources(command_line)
    home, cluster = _configuration(context, command_line)
    return (yield _deploy_application(context, home, cluster, program, program_arguments))


@inlineCallbacks
def _deploy_application(context, home, cluster, program, program_arguments):
    """``ApplicationClusterDeployer.run``: deploy, and return once the cluster runs."""
    if cluster.target is None:
        raise IllegalStateException(
            "No deployment target was given: run an application with -t yarn-application.")
    config = cluster.configuration
    descriptor = context.descriptor(config, home)
    spec = ClusterSpecification.from_configuration(config)
    yield descriptor.deploy_application_cluster(
        spec, ApplicationConfiguration(program, program_arguments))
    return 0


def _shutdown_on_interrupt(context, config):
    """``-sae``: an attached per-job cluster is shut down if the command is interrupted."""
    if not (config.get(o.EXECUTION_ATTACHED) and config.get(o.SHUTDOWN_IF_ATTACHED)):
        return None

    def deployed(cluster_client):
        context.on_interrupt(cluster_client.shutdown_cluster)

    return deployed
