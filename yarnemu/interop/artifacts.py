"""
The pinned third-party artifacts the interop setup fetches from PyPI, and what it keeps of each.

- ``pyspark`` (an sdist only) ships Hadoop's shaded client jars and the logging jars they need in
  ``deps/jars/``: the Java YARN client, ``ApplicationCLI`` (the ``yarn`` command), WebHDFS and
  every YARN protobuf class.
- ``apache-flink-libraries`` holds Flink's ``lib/``, ``opt/``, ``plugins/`` (and a jar in
  ``bin/``); ``apache-flink`` holds ``bin/`` (``flink``, ``yarn-session.sh``, …) and ``conf/``.
  Together, under ``pyflink/``, they make a ``FLINK_HOME``.
- The Hadoop RPC message descriptors come from the eight outer classes below (their dependencies
  follow): nine ``.proto`` files, in dependency order.
"""

from attrs import frozen

__all__ = ["Distribution", "PYSPARK", "FLINK_LIBRARIES", "FLINK", "HADOOP_VERSION",
           "FLINK_VERSION", "HADOOP_CLIENT_JARS", "LOGGING_JARS", "PYSPARK_JAR_DIR",
           "FLINK_HOME_DIRS", "DESCRIPTOR_CLASSES", "DESCRIPTOR_FILES"]


@frozen
class Distribution:
    """
    A pinned PyPI distribution.

    :ivar str name: the project name.
    :ivar str version: the exact version.
    :ivar tuple pip_options: what ``pip download`` needs besides ``--no-deps`` to pick the one
        artifact wanted (an sdist, or a wheel for a fixed platform whatever the interpreter).
    :ivar str filename: the artifact ``pip download`` writes.
    """

    name: str
    version: str
    pip_options: tuple
    filename: str

    @property
    def requirement(self):
        """:return: ``name==version``."""
        return f"{self.name}=={self.version}"


HADOOP_VERSION = "3.5.0"
FLINK_VERSION = "2.3.0"

PYSPARK = Distribution(
    "pyspark", "4.3.0", ("--no-binary", "pyspark"), "pyspark-4.3.0.tar.gz")
"""456 MB; pip builds its metadata (a few seconds) even with ``--no-deps``."""

FLINK_LIBRARIES = Distribution(
    "apache-flink-libraries", FLINK_VERSION, ("--only-binary", ":all:"),
    f"apache_flink_libraries-{FLINK_VERSION}-py2.py3-none-any.whl")
"""329 MB."""

FLINK = Distribution(
    "apache-flink", FLINK_VERSION,
    ("--only-binary", ":all:", "--python-version", "3.11", "--implementation", "cp",
     "--abi", "cp311", "--platform", "manylinux2014_x86_64"),
    f"apache_flink-{FLINK_VERSION}-cp311-cp311-manylinux_2_5_x86_64.manylinux1_x86_64"
    ".manylinux_2_17_x86_64.manylinux2014_x86_64.whl")
"""2.8 MB; only its ``bin/`` and ``conf/`` are kept, which are the same on every platform."""

PYSPARK_JAR_DIR = f"pyspark-{PYSPARK.version}/deps/jars/"
"""Where the jars are inside the pyspark sdist."""

HADOOP_CLIENT_JARS = (f"hadoop-client-api-{HADOOP_VERSION}.jar",
                      f"hadoop-client-runtime-{HADOOP_VERSION}.jar")
"""Hadoop's shaded client: the API classes and the relocated third-party classes they use."""

LOGGING_JARS = ("slf4j-api-2.0.17.jar", "jcl-over-slf4j-2.0.17.jar", "log4j-api-2.25.4.jar",
                "log4j-core-2.25.4.jar", "log4j-slf4j2-impl-2.25.4.jar")
"""What the Hadoop client needs to log (without slf4j-api: ``NoClassDefFoundError``)."""

FLINK_HOME_DIRS = ("lib", "opt", "plugins", "bin", "conf")
"""The directories of ``pyflink/`` in the two wheels that make a ``FLINK_HOME``."""

DESCRIPTOR_CLASSES = (
    "org.apache.hadoop.ipc.protobuf.RpcHeaderProtos",
    "org.apache.hadoop.ipc.protobuf.IpcConnectionContextProtos",
    "org.apache.hadoop.ipc.protobuf.ProtobufRpcEngine2Protos",
    "org.apache.hadoop.yarn.proto.YarnProtos",
    "org.apache.hadoop.yarn.proto.YarnServiceProtos",
    "org.apache.hadoop.yarn.proto.ApplicationClientProtocol",
    "org.apache.hadoop.yarn.proto.ApplicationMasterProtocol",
    "org.apache.hadoop.yarn.proto.ContainerManagementProtocol",
)
"""The generated outer classes (in ``hadoop-client-api``) whose descriptors are dumped."""

DESCRIPTOR_FILES = (
    "RpcHeader.proto", "IpcConnectionContext.proto", "ProtobufRpcEngine2.proto", "Security.proto",
    "yarn_protos.proto", "yarn_service_protos.proto", "applicationclient_protocol.proto",
    "applicationmaster_protocol.proto", "containermanagement_protocol.proto",
)
"""The files of the dumped ``FileDescriptorSet``, each after the files it imports."""
