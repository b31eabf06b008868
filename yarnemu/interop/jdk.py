"""
:class:`Jdk`: the machine's Java Development Kit, found as Hadoop's scripts find Java —
``$JAVA_HOME/bin`` when ``JAVA_HOME`` is set, else ``javac`` and ``java`` on ``PATH`` — and used to
compile our Java programs and run Java programs.

A JDK, not only a runtime, is needed (``javac``), of Java 11 or later (Flink 2.x's minimum).  On
Debian, ``scripts/interop`` installs ``openjdk-17-jdk-headless``.
"""

import os
import re
import shutil
import subprocess

from attrs import frozen

__all__ = ["Jdk", "JdkNotFound", "MINIMUM_JAVA", "find_jdk"]

MINIMUM_JAVA = 11
"""The oldest Java release Flink 2.x (and so the interop suite) runs on."""

_INSTALL_HINT = ("install a JDK (on Debian: apt-get install openjdk-17-jdk-headless) or set "
                 "JAVA_HOME to one")


class JdkNotFound(Exception):
    """No usable JDK; the message says what is missing and how to get one."""


@frozen
class Jdk:
    """
    :ivar str home: the JDK's directory (``JAVA_HOME`` for programs started with it).
    :ivar str java: the ``java`` launcher.
    :ivar str javac: the ``javac`` compiler.
    :ivar int release: the Java feature release (17 for 17.0.15).
    """

    home: str
    java: str
    javac: str
    release: int

    def compile(self, sources, classpath, destination):
        """
        Compile ``sources`` against ``classpath`` into ``destination``.

        :param sources: ``.java`` paths.
        :param classpath: jar and directory paths.
        :raise RuntimeError: with javac's output, if it fails.
        """
        os.makedirs(destination, exist_ok=True)
        argv = [self.javac, "-nowarn", "-encoding", "UTF-8", "-d", destination,
                "-cp", os.pathsep.join(classpath), *sources]
        result = subprocess.run(argv, capture_output=True, text=True)
        if result.returncode != 0:
            raise RuntimeError(f"javac failed (exit {result.returncode}) on "
                               f"{', '.join(sources)}:\n{result.stdout}{result.stderr}")

    def command(self, classpath, main, *arguments, jvm_options=()):
        """:return: the argv running class ``main`` with ``classpath`` (paths)."""
        return [self.java, *jvm_options, "-cp", os.pathsep.join(classpath), main, *arguments]


def find_jdk(environ=None):
    """
    :param environ: the environment (default: ``os.environ``).
    :return: the :class:`Jdk` of ``$JAVA_HOME``, or of ``javac`` on ``$PATH``.
    :raise JdkNotFound: if there is none, it lacks ``java`` or ``javac``, or it is too old.
    """
    environ = os.environ if environ is None else environ
    java_home = environ.get("JAVA_HOME")
    if java_home:
        where = f"JAVA_HOME={java_home}"
        javac = os.path.join(java_home, "bin", "javac")
        java = os.path.join(java_home, "bin", "java")
        for tool in (javac, java):
            if not os.access(tool, os.X_OK):
                raise JdkNotFound(f"No JDK: {where} has no {os.path.basename(tool)}; "
                                  + _INSTALL_HINT)
    else:
        where = "PATH"
        found = shutil.which("javac", path=environ.get("PATH"))
        if found is None:
            raise JdkNotFound("No JDK: javac is not on PATH and JAVA_HOME is not set; "
                              + _INSTALL_HINT)
        javac = os.path.realpath(found)
        java_home = os.path.dirname(os.path.dirname(javac))
        java = os.path.join(java_home, "bin", "java")
        if not os.access(java, os.X_OK):
            raise JdkNotFound(f"No JDK: {javac} has no java beside it; " + _INSTALL_HINT)
    release = _release(java)
    if release < MINIMUM_JAVA:
        raise JdkNotFound(f"The JDK from {where} ({java_home}) is Java {release}; Java "
                          f"{MINIMUM_JAVA} or later is needed: " + _INSTALL_HINT)
    return Jdk(home=java_home, java=java, javac=javac, release=release)


def _release(java):
    """:return: the feature release ``java -version`` reports ("1.8.0_x" is 8)."""
    result = subprocess.run([java, "-version"], capture_output=True, text=True)
    match = re.search(r'version "(\d+)(?:\.(\d+))?', result.stderr + result.stdout)
    if result.returncode != 0 or match is None:
        raise JdkNotFound(f"{java} -version failed (exit {result.returncode}): "
                          f"{(result.stderr + result.stdout).strip()}")
    major, minor = int(match.group(1)), int(match.group(2) or 0)
    return minor if major == 1 else major
