"""
The real clients as commands: :class:`HadoopClient` runs a Java class with the Hadoop client's
classpath (``ApplicationCLI`` — the ``yarn`` command's ``application`` views — or a program of our
own), :class:`FlinkClient` runs Flink's own scripts (``bin/yarn-session.sh``, ``bin/flink``) with
the environment they read (``FLINK_CONF_DIR``, ``HADOOP_CONF_DIR``, ``HADOOP_CLASSPATH``,
``JAVA_HOME``, ``FLINK_LOG_DIR``).

Both return argv lists and environments; running them (``subprocess``) is the caller's choice.
"""

import os

from attrs import frozen

from yarnemu.interop.classpaths import flink_hadoop_classpath, hadoop_client_classpath

__all__ = ["APPLICATION_CLI", "NODE_CLI", "QUEUE_CLI", "HadoopClient", "FlinkClient"]

APPLICATION_CLI = "org.apache.hadoop.yarn.client.cli.ApplicationCLI"
"""``yarn application|applicationattempt|container …``."""

NODE_CLI = "org.apache.hadoop.yarn.client.cli.NodeCLI"
"""``yarn node …``."""

QUEUE_CLI = "org.apache.hadoop.yarn.client.cli.QueueCLI"
"""``yarn queue …``."""


def _environment(base, **values):
    environment = dict(os.environ if base is None else base)
    environment.update(values)
    return environment


@frozen
class HadoopClient:
    """
    :ivar jdk: the :class:`~yarnemu.interop.jdk.Jdk`.
    :ivar cache: the :class:`~yarnemu.interop.cache.InteropCache`.
    :ivar str conf_dir: the Hadoop configuration directory
        (:func:`~yarnemu.interop.hadoop_conf.write_hadoop_conf`).
    """

    jdk: object
    cache: object
    conf_dir: str

    def classpath(self, *more):
        """:return: the client's classpath (paths), then ``more``."""
        return hadoop_client_classpath(self.cache, self.conf_dir, *more)

    def command(self, main, *arguments, classpath=()):
        """:return: the argv running class ``main`` (with ``classpath`` added)."""
        return self.jdk.command(self.classpath(*classpath), main, *arguments)

    def yarn(self, cli, *arguments):
        """
        :param cli: :data:`APPLICATION_CLI`, :data:`NODE_CLI` or :data:`QUEUE_CLI`.
        :return: the argv of ``yarn ARGUMENTS`` (the sub-command first, e.g. ``application``).
        """
        return self.command(cli, *arguments)

    def environment(self, base=None):
        """:return: ``base`` (default: this process's environment) with ``JAVA_HOME`` and
            ``HADOOP_CONF_DIR`` set."""
        return _environment(base, JAVA_HOME=self.jdk.home, HADOOP_CONF_DIR=self.conf_dir)


@frozen
class FlinkClient:
    """
    :ivar jdk: the :class:`~yarnemu.interop.jdk.Jdk`.
    :ivar cache: the :class:`~yarnemu.interop.cache.InteropCache` (its ``FLINK_HOME``).
    :ivar str conf_dir: the Flink configuration directory
        (:func:`~yarnemu.interop.flink_conf.write_flink_conf`).
    :ivar str hadoop_conf_dir: the Hadoop configuration directory.
    :ivar str log_dir: where the client's own log goes.
    """

    jdk: object
    cache: object
    conf_dir: str
    hadoop_conf_dir: str
    log_dir: str

    def script(self, name, *arguments):
        """:return: the argv of ``FLINK_HOME/bin/NAME ARGUMENTS``."""
        return [os.path.join(self.cache.flink_home, "bin", name), *arguments]

    def yarn_session(self, *arguments):
        """:return: the argv of ``bin/yarn-session.sh ARGUMENTS``."""
        return self.script("yarn-session.sh", *arguments)

    def flink(self, *arguments):
        """:return: the argv of ``bin/flink ARGUMENTS``."""
        return self.script("flink", *arguments)

    def environment(self, base=None):
        """:return: ``base`` (default: this process's environment) with what Flink's scripts
            read."""
        os.makedirs(self.log_dir, exist_ok=True)
        return _environment(
            base,
            JAVA_HOME=self.jdk.home,
            FLINK_CONF_DIR=self.conf_dir,
            FLINK_LOG_DIR=self.log_dir,
            HADOOP_CONF_DIR=self.hadoop_conf_dir,
            HADOOP_CLASSPATH=flink_hadoop_classpath(self.cache),
        )
