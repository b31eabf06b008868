"""
The options every ``flinkyarn`` action shares, and how a command line becomes the configuration a
YARN deployment or a cluster action runs with — Flink's ``GenericCLI`` and
``FlinkYarnSessionCli`` (``toConfiguration``, ``isActive``) in one place.

* :data:`GENERAL_OPTIONS`: ``-t/--target``, ``-D``, ``-m/--jobmanager`` (only ``yarn-cluster``
  means something here), ``-h``, and the emulator's own ``--rm URL``/``--webhdfs URL``.
* :class:`YarnOptions`: the YARN session options — bare in ``yarn-session`` (``-jm``), prefixed
  with ``y``/``yarn`` in the other actions (``-yjm``/``--yarnjobManagerMemory``), as Flink's
  ``CliFrontend`` loads ``FlinkYarnSessionCli``.
* :func:`cluster_configuration`: the configuration of a command line, and which cluster it is
  for:

  1. with a target (``-t``, or ``execution.target`` in the configuration) the target decides;
     for ``yarn-session`` the session is ``-yid``, else ``yarn.application.id``, else the
     ``.yarn-properties-<user>`` file;
  2. else ``-m yarn-cluster``, ``-yid`` or ``yarn.application.id`` make it YARN: a session when
     an application id is known, a per-job cluster otherwise;
  3. else, when no YARN option other than ``-d``/``-yd`` was given, the properties file names the
     session (Flink's "properties file mode");
  4. else there is no cluster: Flink would fall back to a standalone JobManager, which the
     emulator has not, so the actions say ``No cluster id was specified``.

  The YARN options and both ``-D`` kinds always apply (Flink ignores the YARN options when
  ``-t`` is given; here they keep meaning what they say). ``-jm``/``-tm`` without a unit are MB.
"""

import os

from attrs import frozen

from flinkyarn.cli.options import CliArgsException, Option
from flinkyarn.cli.properties_file import properties_file_path, read_properties_file
from flinkyarn.config import options as o
from flinkyarn.runtime.errors import FlinkException
from yarnemu.errors import IllegalArgumentException
from yarnemu.records.ids import ApplicationId

__all__ = [
    "GENERAL_OPTIONS",
    "TARGET",
    "DYNAMIC_PROPERTIES",
    "JOBMANAGER",
    "HELP",
    "RM_URL",
    "WEBHDFS_URL",
    "DETACHED",
    "YarnOptions",
    "SESSION_TARGET",
    "PER_JOB_TARGET",
    "APPLICATION_TARGET",
    "YARN_TARGETS",
    "ClusterConfiguration",
    "cluster_configuration",
    "NO_CLUSTER_ID",
    "memory_value",
]

SESSION_TARGET = "yarn-session"
PER_JOB_TARGET = "yarn-per-job"
APPLICATION_TARGET = "yarn-application"
YARN_TARGETS = (SESSION_TARGET, PER_JOB_TARGET, APPLICATION_TARGET)
_YARN_CLUSTER = "yarn-cluster"

NO_CLUSTER_ID = ("No cluster id was specified. Please specify a cluster to which you would like "
                 "to connect.")

TARGET = Option(
    "t", "target",
    'The deployment target for the given application, which is equivalent to the '
    '"execution.target" config option. The targets on YARN are "yarn-session", '
    '"yarn-per-job" (deprecated) and "yarn-application".', "arg")
DYNAMIC_PROPERTIES = Option(
    "D", None,
    "Allows specifying multiple generic configuration options. The available options can be "
    "found at https://nightlies.apache.org/flink/flink-docs-stable/ops/config.html",
    properties=True)
JOBMANAGER = Option(
    "m", "jobmanager",
    "Address of the JobManager to which to connect. Use this flag to connect to a different "
    "JobManager than the one specified in the configuration. Attention: This option is "
    "respected only if the high-availability configuration is NONE. Here only 'yarn-cluster' "
    "(a new per-job cluster on YARN) is meaningful.", "arg")
HELP = Option("h", "help", "Show the help message for the CLI Frontend or the action.")
RM_URL = Option(
    None, "rm",
    "The yarnemu service's ResourceManager web address (default: $YARNEMU_RM, the "
    "$YARNEMU_ENDPOINTS file's, http://127.0.0.1:8088).", "url")
WEBHDFS_URL = Option(
    None, "webhdfs",
    "The yarnemu service's WebHDFS address (default: $YARNEMU_WEBHDFS, the $YARNEMU_ENDPOINTS "
    "file's, http://127.0.0.1:9870).", "url")
DETACHED = Option("d", "detached", "If present, runs the job in detached mode")

GENERAL_OPTIONS = (TARGET, DYNAMIC_PROPERTIES, JOBMANAGER, HELP, RM_URL, WEBHDFS_URL)


class YarnOptions:
    """
    The options of Flink's YARN session CLI, with a prefix (``FlinkYarnSessionCli(config,
    confDir, shortPrefix, longPrefix)``).

    :param str short_prefix: ``""`` for ``yarn-session``, ``"y"`` elsewhere.
    :param str long_prefix: ``""`` for ``yarn-session``, ``"yarn"`` elsewhere.
    """

    def __init__(self, short_prefix="", long_prefix=""):
        def option(short, long, description, arg_name=None, properties=False):
            return Option(short, long, description, arg_name,
                          properties=properties).prefixed(short_prefix, long_prefix)

        self.query = option("q", "query", "Display available YARN resources (memory, cores)")
        self.application_id = option("id", "applicationId", "Attach to running YARN session",
                                     "arg")
        self.queue = option("qu", "queue", "Specify YARN queue.", "arg")
        self.ship = option("t", "ship",
                           "Ship files in the specified directory (t for transfer)", "arg")
        self.jar = option("j", "jar", "Path to Flink jar file", "arg")
        self.jm_memory = option("jm", "jobManagerMemory",
                                "Memory for JobManager Container with optional unit "
                                "(default: MB)", "arg")
        self.tm_memory = option("tm", "taskManagerMemory",
                                "Memory per TaskManager Container with optional unit "
                                "(default: MB)", "arg")
        self.slots = option("s", "slots", "Number of slots per TaskManager", "arg")
        self.dynamic_properties = option("D", None, "use value for given property",
                                         properties=True)
        self.name = option("nm", "name", "Set a custom name for the application on YARN", "arg")
        self.application_type = option("at", "applicationType",
                                       "Set a custom application type for the application on "
                                       "YARN", "arg")
        self.zookeeper_namespace = option("z", "zookeeperNamespace",
                                          "Namespace to create the Zookeeper sub-paths for high "
                                          "availability mode", "arg")
        self.node_label = option("nl", "nodeLabel",
                                 "Specify YARN node label for the YARN application", "arg")
        self.help = option("h", "help", "Help for the Yarn session CLI.")
        self.yarn_detached = Option(
            "yd", "yarndetached",
            "If present, runs the job in detached mode (deprecated; use non-YARN specific "
            "option instead)")

    @property
    def all(self):
        """Every option; ``-d``/``--detached`` is added by the actions that take it."""
        return (self.query, self.application_id, self.queue, self.ship, self.jar,
                self.jm_memory, self.tm_memory, self.slots, self.dynamic_properties, self.name,
                self.application_type, self.zookeeper_namespace, self.node_label, self.help,
                self.yarn_detached)

    def is_detached(self, command_line):
        return command_line.has(self.yarn_detached) or command_line.has(DETACHED)

    def settings(self, command_line):
        """
        :return: key → value of the YARN options given (``applyDescriptorOptionToConfig`` and
            the memory and slot options of ``toConfiguration``), with ``execution.attached``.
        :raise FlinkException: for a ship file that does not exist or slots that are no number.
        """
        values = {}
        jar = command_line.value(self.jar)
        if jar is not None:
            values[o.YARN_FLINK_DIST_JAR.key] = jar if jar.startswith("file://") else \
                "file://" + jar
        ship = [value for given, found in command_line.occurrences if given == self.ship
                for value in found]
        for path in ship:
            if not os.path.exists(path):
                raise FlinkException(f"Ship file {path} does not exist")
        if ship:
            values[o.YARN_SHIP_FILES.key] = ship
        for option, key in ((self.queue, o.YARN_APPLICATION_QUEUE.key),
                            (self.name, o.YARN_APPLICATION_NAME.key),
                            (self.application_type, o.YARN_APPLICATION_TYPE.key),
                            (self.zookeeper_namespace, o.HIGH_AVAILABILITY_CLUSTER_ID.key),
                            (self.node_label, o.YARN_APPLICATION_NODE_LABEL.key)):
            if command_line.has(option):
                values[key] = command_line.value(option)
        values[o.EXECUTION_ATTACHED.key] = not self.is_detached(command_line)
        for option, key in ((self.jm_memory, o.JM_TOTAL_PROCESS_MEMORY.key),
                            (self.tm_memory, o.TM_TOTAL_PROCESS_MEMORY.key)):
            if command_line.has(option):
                values[key] = memory_value(command_line.value(option))
        if command_line.has(self.slots):
            text = command_line.value(self.slots)
            try:
                values[o.NUM_TASK_SLOTS.key] = int(text.strip(), 10)
            except ValueError:
                raise FlinkException(f'For input string: "{text}"') from None
        values.update(command_line.properties(self.dynamic_properties))
        return values

    def others_than_detached(self, command_line):
        """Whether a YARN option other than ``-yd``/``-d`` was given (no properties file mode)."""
        mine = set(self.all) - {self.yarn_detached}
        return any(option in mine for option in command_line.given())


def memory_value(text):
    """``-jm 1024`` means ``1024m``: a size without a unit is in MB, as Flink's YARN CLI reads
    it."""
    text = text.strip()
    return text + "m" if text and text[-1].isdigit() else text


@frozen
class ClusterConfiguration:
    """
    :ivar configuration: the effective :class:`~flinkyarn.config.Configuration`.
    :ivar target: ``execution.target``: ``yarn-session``, ``yarn-per-job``, ``yarn-application``
        or ``None`` (no cluster).
    :ivar application_id: the session's :class:`~yarnemu.records.ids.ApplicationId`, or
        ``None``.
    :ivar properties_file: the :class:`~flinkyarn.cli.properties_file.YarnProperties` used, or
        ``None``.
    """

    configuration: object
    target: str | None
    application_id: ApplicationId | None
    properties_file: object = None


def _application_id(text):
    try:
        return ApplicationId.parse(text.strip())
    except IllegalArgumentException as error:
        raise FlinkException(error.message) from error


def cluster_configuration(base, command_line, yarn, properties_file_location=None,
                          user_name=None):
    """
    :param base: the configuration of the distribution's ``flink-conf.yaml``.
    :param command_line: the parsed :class:`~flinkyarn.cli.options.CommandLine`.
    :param yarn: the action's :class:`YarnOptions`.
    :param properties_file_location: where ``.yarn-properties-<user>`` is looked for (``None``:
        ``yarn.properties-file.location``, else the temporary directory).
    :param user_name: the local user the file is named after (``None``: the login name).
    :return: a :class:`ClusterConfiguration` (see the module docstring).
    :raise FlinkException: for a malformed application id, an unreadable properties file, or a
        YARN option Flink rejects.
    :raise CliArgsException: for ``-m`` with anything but ``yarn-cluster``.
    """
    settings = yarn.settings(command_line)
    settings.update(command_line.properties(DYNAMIC_PROPERTIES))
    config = base.with_values(settings)
    target = command_line.value(TARGET) or config.get(o.EXECUTION_TARGET)
    jobmanager = command_line.value(JOBMANAGER)
    if jobmanager is not None and jobmanager != _YARN_CLUSTER:
        raise CliArgsException(f"Cannot connect to the JobManager at '{jobmanager}': only "
                               f"'-m {_YARN_CLUSTER}' (a per-job cluster on YARN) is supported; "
                               "use -yid or -t to choose a cluster.")
    application_id = None
    if command_line.has(yarn.application_id):
        application_id = _application_id(command_line.value(yarn.application_id))
    elif config.get(o.YARN_APPLICATION_ID):
        application_id = _application_id(config.get(o.YARN_APPLICATION_ID))

    properties = None
    use_properties_file = (
        application_id is None
        and (target == SESSION_TARGET
             or (target is None and jobmanager is None
                 and not yarn.others_than_detached(command_line))))
    if use_properties_file:
        location = properties_file_location
        if location is None:
            location = config.get(o.YARN_PROPERTIES_FILE_LOCATION)
        properties = read_properties_file(properties_file_path(location, user_name))
        if properties is not None:
            application_id = properties.application_id
            config = config.with_values(properties.dynamic_properties)

    if target is None:
        if application_id is not None:
            target = SESSION_TARGET
        elif jobmanager == _YARN_CLUSTER:
            target = PER_JOB_TARGET
    if target in (PER_JOB_TARGET, APPLICATION_TARGET):
        application_id = None
        properties = None
    if application_id is not None:
        cluster_id = (command_line.value(yarn.zookeeper_namespace)
                      or config.get_raw(o.HIGH_AVAILABILITY_CLUSTER_ID) or str(application_id))
        config = config.with_values({o.HIGH_AVAILABILITY_CLUSTER_ID.key: cluster_id,
                                     o.YARN_APPLICATION_ID.key: str(application_id)})
    if target is not None:
        config = config.set(o.EXECUTION_TARGET, target)
    return ClusterConfiguration(config, target, application_id, properties)
