"""
:class:`FlinkHome`: a stand-in for an unpacked Flink 1.18.1 distribution (``FLINK_HOME``) in a
local directory — what the client ships to YARN.

Its jars hold nothing but zeros, written as sparse files (``os.truncate``), so they take no disk
space and the fake HDFS stores and localizes them as holes; only their names and sizes matter.
With ``flinkyarn.simulation.dist.size: realistic`` the sizes are those of the Scala 2.12 binary
release (``flink-dist`` about 120 MiB, ``lib/`` about 230 MB in all), so uploads take the virtual
time a real one takes; with ``tiny`` each file has a few hundred bytes to a few KB. The
configuration directory holds real text: ``flink-conf.yaml`` with the settings the release ships
(including the ``localhost`` bind hosts the client strips before staging), ``log4j.properties``
and ``logback.xml``.

Generation is idempotent: files of the right size are left alone, and configuration files that
exist (a user may have edited them) are never rewritten.
"""

import os
import posixpath

from attrs import frozen

from flinkyarn.config import Configuration, IllegalConfigurationException
from flinkyarn.config import options as o
from flinkyarn.config.file_format import LEGACY_CONFIG_FILE_NAME

__all__ = [
    "FlinkHome",
    "DistributionFile",
    "FLINK_VERSION",
    "DIST_JAR_NAME",
    "LIB_FILES",
    "PLUGIN_FILES",
    "OPT_FILES",
    "DIST_SIZES",
    "tiny_size",
]

FLINK_VERSION = "1.18.1"
DIST_JAR_NAME = f"flink-dist-{FLINK_VERSION}.jar"

DIST_SIZES = ("realistic", "tiny")
"""The values of ``flinkyarn.simulation.dist.size``."""

_TINY_DIVISOR = 32768
_TINY_MINIMUM = 16


@frozen
class DistributionFile:
    """
    :ivar str path: relative to ``FLINK_HOME``, ``/``-separated.
    :ivar int size: its size in the real release, in bytes.
    """

    path: str
    size: int


def _files(directory, sizes):
    return tuple(DistributionFile(f"{directory}/{name}", size) for name, size in sizes)


# Sizes of the files of flink-1.18.1-bin-scala_2.12.tgz (lib/ about 230 MB in all).
LIB_FILES = _files("lib", (
    (f"flink-cep-{FLINK_VERSION}.jar", 198_855),
    (f"flink-connector-files-{FLINK_VERSION}.jar", 559_361),
    (f"flink-csv-{FLINK_VERSION}.jar", 102_470),
    (DIST_JAR_NAME, 125_679_412),
    (f"flink-json-{FLINK_VERSION}.jar", 180_245),
    (f"flink-scala_2.12-{FLINK_VERSION}.jar", 21_280_120),
    (f"flink-table-api-java-uber-{FLINK_VERSION}.jar", 38_244_683),
    (f"flink-table-planner-loader-{FLINK_VERSION}.jar", 37_972_318),
    (f"flink-table-runtime-{FLINK_VERSION}.jar", 3_556_790),
    ("log4j-1.2-api-2.17.1.jar", 208_006),
    ("log4j-api-2.17.1.jar", 301_872),
    ("log4j-core-2.17.1.jar", 1_790_452),
    ("log4j-slf4j-impl-2.17.1.jar", 24_279),
))

PLUGIN_FILES = _files("plugins", (
    (f"external-resource-gpu/flink-external-resource-gpu-{FLINK_VERSION}.jar", 15_786),
    (f"metrics-datadog/flink-metrics-datadog-{FLINK_VERSION}.jar", 553_071),
    (f"metrics-graphite/flink-metrics-graphite-{FLINK_VERSION}.jar", 176_612),
    (f"metrics-influx/flink-metrics-influxdb-{FLINK_VERSION}.jar", 1_007_811),
    (f"metrics-jmx/flink-metrics-jmx-{FLINK_VERSION}.jar", 21_262),
    (f"metrics-prometheus/flink-metrics-prometheus-{FLINK_VERSION}.jar", 109_530),
    (f"metrics-slf4j/flink-metrics-slf4j-{FLINK_VERSION}.jar", 12_404),
    (f"metrics-statsd/flink-metrics-statsd-{FLINK_VERSION}.jar", 13_251),
))

# Optional jars: part of the distribution, never shipped.
OPT_FILES = _files("opt", (
    (f"flink-azure-fs-hadoop-{FLINK_VERSION}.jar", 23_460_818),
    (f"flink-cep-scala_2.12-{FLINK_VERSION}.jar", 48_402),
    (f"flink-gs-fs-hadoop-{FLINK_VERSION}.jar", 43_107_205),
    (f"flink-oss-fs-hadoop-{FLINK_VERSION}.jar", 26_331_622),
    (f"flink-python-{FLINK_VERSION}.jar", 40_183_901),
    (f"flink-queryable-state-runtime-{FLINK_VERSION}.jar", 21_341),
    (f"flink-s3-fs-hadoop-{FLINK_VERSION}.jar", 30_517_433),
    (f"flink-s3-fs-presto-{FLINK_VERSION}.jar", 96_225_516),
    (f"flink-sql-client-{FLINK_VERSION}.jar", 4_087_513),
    (f"flink-sql-gateway-{FLINK_VERSION}.jar", 215_432),
    (f"flink-state-processor-api-{FLINK_VERSION}.jar", 204_116),
    (f"flink-table-planner_2.12-{FLINK_VERSION}.jar", 37_510_822),
))

_FLINK_CONF = """\
#==============================================================================
# Common
#==============================================================================

# The address the JobManager is reached at. On YARN the entrypoint replaces it with the host of
# the container it runs in.
jobmanager.rpc.address: localhost
jobmanager.rpc.port: 6123

# The host the JobManager binds to; the YARN client drops 'localhost' before staging.
jobmanager.bind-host: localhost

# The total process memory size for the JobManager.
jobmanager.memory.process.size: 1600m

# The host the TaskManager binds to; the YARN client drops 'localhost' before staging.
taskmanager.bind-host: localhost

# The address of the host the TaskManager runs on; always replaced on YARN.
taskmanager.host: localhost

# The total process memory size for the TaskManager.
taskmanager.memory.process.size: 1728m

# The number of task slots each TaskManager offers.
taskmanager.numberOfTaskSlots: 1

# The parallelism of programs that set none.
parallelism.default: 1

#==============================================================================
# Fault tolerance and checkpointing
#==============================================================================

jobmanager.execution.failover-strategy: region

#==============================================================================
# REST & web frontend
#==============================================================================

rest.address: localhost
#rest.bind-address: 0.0.0.0
#rest.port: 8081
"""

_LOG4J_PROPERTIES = """\
# Re-read every 30 seconds, so that log levels can change at runtime.
monitorInterval=30

rootLogger.level = INFO
rootLogger.appenderRef.file.ref = MainAppender

# Quieter third-party loggers.
logger.akka.name = akka
logger.akka.level = INFO
logger.pekko.name = org.apache.pekko
logger.pekko.level = INFO
logger.kafka.name= org.apache.kafka
logger.kafka.level = INFO
logger.hadoop.name = org.apache.hadoop
logger.hadoop.level = WARN
logger.zookeeper.name = org.apache.zookeeper
logger.zookeeper.level = INFO

# One rolling file, named by the process (-Dlog.file=...).
appender.main.name = MainAppender
appender.main.type = RollingFile
appender.main.append = true
appender.main.fileName = ${sys:log.file}
appender.main.filePattern = ${sys:log.file}.%i
appender.main.layout.type = PatternLayout
appender.main.layout.pattern = %d{yyyy-MM-dd HH:mm:ss,SSS} %-5p %-60c %x - %m%n
appender.main.policies.type = Policies
appender.main.policies.size.type = SizeBasedTriggeringPolicy
appender.main.policies.size.size = 100MB
appender.main.policies.startup.type = OnStartupTriggeringPolicy
appender.main.strategy.type = DefaultRolloverStrategy
appender.main.strategy.max = ${env:MAX_LOG_FILE_NUMBER:-10}

# Netty's harmless warning about a missing channel handler.
logger.netty.name = org.jboss.netty.channel.DefaultChannelPipeline
logger.netty.level = OFF
"""

_LOGBACK_XML = """\
<configuration>
    <appender name="file" class="ch.qos.logback.core.FileAppender">
        <file>${log.file}</file>
        <append>false</append>
        <encoder>
            <pattern>%d{yyyy-MM-dd HH:mm:ss.SSS} [%thread] %-5level %logger{60} %X{sourceThread} - %msg%n</pattern>
        </encoder>
    </appender>
    <root level="INFO">
        <appender-ref ref="file"/>
    </root>
</configuration>
"""

_PLUGINS_README = """\
This directory holds Flink's plugins, one sub-directory per plugin (a plugin may consist of
several jars). Each plugin is loaded in a class loader of its own. A plugin directory is
shipped to the cluster as it is; its jars are not put on the system class path.
"""

_TEXT_FILES = (
    (f"conf/{LEGACY_CONFIG_FILE_NAME}", _FLINK_CONF),
    ("conf/log4j.properties", _LOG4J_PROPERTIES),
    ("conf/logback.xml", _LOGBACK_XML),
    ("plugins/README.txt", _PLUGINS_README),
)


def tiny_size(size):
    """:return: the size a file of ``size`` bytes has in a ``tiny`` distribution."""
    return max(_TINY_MINIMUM, size // _TINY_DIVISOR)


def _check_size_mode(size):
    if size not in DIST_SIZES:
        raise IllegalConfigurationException(
            f"Invalid value '{size}' for key '{o.SIM_DIST_SIZE.key}': expected one of "
            f"{', '.join(DIST_SIZES)}")
    return size


@frozen
class FlinkHome:
    """
    A generated Flink distribution; make one with :meth:`create`.

    :ivar str directory: ``FLINK_HOME``, where the files are.
    :ivar str size: ``realistic`` or ``tiny``.
    :ivar str shown_as: the ``FLINK_HOME`` that messages name (``directory`` if ``None``), so
        that where a run keeps its files does not change what it logs.
    """

    directory: str
    size: str
    shown_as: str | None = None

    @classmethod
    def create(cls, directory, size="realistic", shown_as=None):
        """
        Generate (or complete) the distribution in ``directory``.

        :param size: ``realistic`` or ``tiny`` (see the module docstring).
        :param shown_as: the ``FLINK_HOME`` messages name, e.g. ``/opt/flink``.
        :raise IllegalConfigurationException: for another size.
        """
        home = cls(os.path.abspath(os.fspath(directory)), _check_size_mode(size), shown_as)
        for entry in LIB_FILES + PLUGIN_FILES + OPT_FILES:
            home._write_zeros(entry)
        for relative, text in _TEXT_FILES:
            home._write_text_once(relative, text)
        return home

    @classmethod
    def for_configuration(cls, directory, config):
        """
        :return: :meth:`create` with the size of ``flinkyarn.simulation.dist.size`` in ``config``.
        """
        return cls.create(directory, config.get(o.SIM_DIST_SIZE))

    # Where things are

    def path(self, relative):
        """:return: the local path of ``relative`` (``/``-separated) in the distribution."""
        return os.path.join(self.directory, *relative.split("/"))

    def shown_path(self, relative):
        """:return: ``relative`` under the ``FLINK_HOME`` that messages name."""
        return posixpath.join(self.shown_as, relative) if self.shown_as else self.path(relative)

    @property
    def conf_dir(self):
        return self.path("conf")

    @property
    def lib_dir(self):
        return self.path("lib")

    @property
    def plugins_dir(self):
        return self.path("plugins")

    @property
    def opt_dir(self):
        return self.path("opt")

    @property
    def usrlib_dir(self):
        """``FLINK_HOME/usrlib``: shipped when it exists (it does not in a fresh distribution)."""
        return self.path("usrlib")

    @property
    def dist_jar(self):
        """The local path of ``lib/flink-dist-1.18.1.jar``."""
        return self.path(f"lib/{DIST_JAR_NAME}")

    def file_size(self, entry):
        """:return: the size a :class:`DistributionFile` has in this distribution."""
        return entry.size if self.size == "realistic" else tiny_size(entry.size)

    # Reading

    def configuration(self, overrides=()):
        """
        :param overrides: ``key=value`` dynamic properties, as ``-D`` on the command line.
        :return: the :class:`~flinkyarn.config.Configuration` of ``conf/flink-conf.yaml`` with
            the overrides applied.
        :raise IllegalConfigurationException: for a malformed file or override.
        """
        path = self.path(f"conf/{LEGACY_CONFIG_FILE_NAME}")
        with open(path, encoding="utf-8") as stream:
            config = Configuration.from_flink_conf(stream.read(), source=path)
        return config.with_overrides(overrides)

    def publish(self, filesystem, remote_dir, user):
        """
        Copy ``lib/`` and ``plugins/`` to the fake HDFS under ``remote_dir``, as an operator does
        once for ``yarn.provided.lib.dirs`` (instantly: this is set-up, not a deployment).

        :return: the remote directories, ``[<remote_dir>/lib, <remote_dir>/plugins]``.
        """
        remote_dir = remote_dir.rstrip("/")
        for entry in LIB_FILES + PLUGIN_FILES:
            with open(self.path(entry.path), "rb") as stream:
                filesystem.create(f"{remote_dir}/{entry.path}", stream, user, overwrite=True)
        return [f"{remote_dir}/lib", f"{remote_dir}/plugins"]

    # Writing

    def _write_zeros(self, entry):
        path = self.path(entry.path)
        size = self.file_size(entry)
        if os.path.isfile(path) and os.path.getsize(path) == size:
            return
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb"):
            pass
        os.truncate(path, size)

    def _write_text_once(self, relative, text):
        path = self.path(relative)
        if os.path.exists(path):
            return
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as stream:
            stream.write(text)
