"""
:class:`InteropCache`: the layout of the interop cache, ``.cache/interop/`` at the repository root
(ignored by git) or the directory ``$YARNEMU_INTEROP_CACHE`` names::

    downloads/            what pip downloaded (pyspark sdist, the two Flink wheels)
    hadoop/               Hadoop's client jars and the logging jars they need
    flink-2.3.0/          a FLINK_HOME: lib/ opt/ plugins/ bin/ conf/
    classes/              our Java programs, compiled
    hadoop-yarn.fds       the Hadoop RPC and YARN message descriptors (a FileDescriptorSet)
    steps/NAME.done       one marker per finished set-up step

A step is done when its marker holds the step's pinned inputs and its outputs exist, so running
the set-up again skips it at once, and changing a pin redoes it.
"""

import os

from attrs import field, frozen

from yarnemu.interop.artifacts import (
    FLINK_HOME_DIRS,
    FLINK_VERSION,
    HADOOP_CLIENT_JARS,
    LOGGING_JARS,
)

__all__ = ["InteropCache", "CACHE_ENV", "default_cache_root"]

CACHE_ENV = "YARNEMU_INTEROP_CACHE"
"""The environment variable naming another cache directory."""


def default_cache_root(environ=None):
    """
    :param environ: the environment (default: ``os.environ``).
    :return: ``$YARNEMU_INTEROP_CACHE``, else ``.cache/interop`` at the repository root (the
        directory holding the ``yarnemu`` package).
    """
    environ = os.environ if environ is None else environ
    named = environ.get(CACHE_ENV)
    if named:
        return os.path.abspath(named)
    package = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    return os.path.join(os.path.dirname(package), ".cache", "interop")


@frozen
class InteropCache:
    """
    :ivar str root: the cache directory (made absolute).
    """

    root: str = field(converter=os.path.abspath)

    @classmethod
    def default(cls, environ=None):
        """:return: the cache at :func:`default_cache_root`."""
        return cls(default_cache_root(environ))

    @property
    def downloads(self):
        """:return: where pip downloads to."""
        return os.path.join(self.root, "downloads")

    @property
    def hadoop_dir(self):
        """:return: the directory of the Hadoop client and logging jars."""
        return os.path.join(self.root, "hadoop")

    @property
    def flink_home(self):
        """:return: the ``FLINK_HOME`` made of the two Flink wheels."""
        return os.path.join(self.root, f"flink-{FLINK_VERSION}")

    @property
    def classes(self):
        """:return: where our Java programs are compiled to."""
        return os.path.join(self.root, "classes")

    @property
    def descriptors(self):
        """:return: the descriptor set's path."""
        return os.path.join(self.root, "hadoop-yarn.fds")

    def hadoop_client_jars(self):
        """:return: the paths of Hadoop's two shaded client jars."""
        return [os.path.join(self.hadoop_dir, name) for name in HADOOP_CLIENT_JARS]

    def logging_jars(self):
        """:return: the paths of the slf4j, commons-logging bridge and log4j jars."""
        return [os.path.join(self.hadoop_dir, name) for name in LOGGING_JARS]

    def flink_dirs(self):
        """:return: the paths of ``FLINK_HOME``'s directories."""
        return [os.path.join(self.flink_home, name) for name in FLINK_HOME_DIRS]

    # Steps

    def marker(self, step):
        """:return: the path of ``step``'s marker."""
        return os.path.join(self.root, "steps", f"{step}.done")

    def is_done(self, step, inputs, outputs):
        """
        :param str inputs: what the step was made from (pins); a different marker means redo.
        :param outputs: the paths the step makes.
        :return: whether ``step`` has been done from ``inputs`` and its outputs are there.
        """
        try:
            with open(self.marker(step), encoding="utf-8") as stream:
                recorded = stream.read()
        except FileNotFoundError:
            return False
        return recorded == inputs + "\n" and all(os.path.exists(path) for path in outputs)

    def mark_done(self, step, inputs):
        """Record that ``step`` has been done from ``inputs``."""
        path = self.marker(step)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        partial = path + ".partial"
        with open(partial, "w", encoding="utf-8") as stream:
            stream.write(inputs + "\n")
        os.replace(partial, path)

    def forget(self, step):
        """Remove ``step``'s marker (before redoing it: a half-done step is never marked)."""
        try:
            os.remove(self.marker(step))
        except FileNotFoundError:
            pass

    def missing(self):
        """
        :return: the paths a complete set-up has that this cache lacks (empty when it is
            complete), for telling the user to run the set-up.
        """
        wanted = [*self.hadoop_client_jars(), *self.logging_jars(), *self.flink_dirs(),
                  self.descriptors]
        return [path for path in wanted if not os.path.exists(path)]
