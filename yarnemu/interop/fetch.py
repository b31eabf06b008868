"""
Fetching the real clients into the :class:`~yarnemu.interop.cache.InteropCache`: ``pip download
--no-deps`` (this interpreter's pip) of each pinned :mod:`~yarnemu.interop.artifacts`
distribution, then extraction of only what is kept.

- :func:`fetch_hadoop_jars`: the pyspark sdist's Hadoop client and logging jars → ``hadoop/``.
- :func:`fetch_flink_home`: ``pyflink/{lib,opt,plugins,bin,conf}`` of the two Flink wheels →
  ``flink-2.3.0/``, with the scripts' executable bits.

Each is one step with a marker: done once, skipped after (an artifact already downloaded is not
fetched again either).  A step extracts into a ``.partial`` directory and renames it into place,
so an interrupted run leaves no half-filled directory marked done.  Failures raise
:class:`FetchError` with pip's output or the missing member.
"""

import os
import shutil
import subprocess
import sys
import tarfile
import zipfile

from yarnemu.interop.artifacts import (
    FLINK,
    FLINK_HOME_DIRS,
    FLINK_LIBRARIES,
    HADOOP_CLIENT_JARS,
    LOGGING_JARS,
    PYSPARK,
    PYSPARK_JAR_DIR,
)

__all__ = ["FetchError", "pip_download", "fetch_hadoop_jars", "fetch_flink_home"]

_CHUNK = 1 << 20


class FetchError(Exception):
    """A download or extraction that failed; the message says which and why."""


def pip_download(distribution, destination, python=None):
    """
    Download ``distribution``'s one artifact into ``destination`` with ``pip download --no-deps``,
    unless it is there already.

    :param python: the interpreter whose pip to run (default: this one).
    :return: ``(path, downloaded)``: the artifact's path, and whether pip fetched it now.
    :raise FetchError: with pip's output, if pip fails or writes another file.
    """
    path = os.path.join(destination, distribution.filename)
    if os.path.isfile(path):
        return path, False
    os.makedirs(destination, exist_ok=True)
    argv = [python or sys.executable, "-m", "pip", "download", "--no-deps",
            "--disable-pip-version-check", "--progress-bar", "off", "--dest", destination,
            *distribution.pip_options, distribution.requirement]
    result = subprocess.run(argv, capture_output=True, text=True)
    if result.returncode != 0:
        raise FetchError(f"pip download {distribution.requirement} failed (exit "
                         f"{result.returncode}):\n{result.stdout}{result.stderr}")
    if not os.path.isfile(path):
        raise FetchError(f"pip download {distribution.requirement} did not write "
                         f"{distribution.filename} into {destination}:\n{result.stdout}")
    return path, True


def fetch_hadoop_jars(cache, report=print, python=None):
    """
    Make ``cache.hadoop_dir`` hold the Hadoop client and logging jars of the pyspark sdist.

    :param report: called with one line per thing done.
    :raise FetchError: if the download fails or the sdist lacks a jar.
    """
    step, inputs = "hadoop-jars", " ".join([PYSPARK.requirement, *HADOOP_CLIENT_JARS,
                                            *LOGGING_JARS])
    wanted = [*HADOOP_CLIENT_JARS, *LOGGING_JARS]
    outputs = [os.path.join(cache.hadoop_dir, name) for name in wanted]
    if cache.is_done(step, inputs, outputs):
        report(f"Hadoop client jars: already in {cache.hadoop_dir}")
        return
    cache.forget(step)
    sdist, downloaded = pip_download(PYSPARK, cache.downloads, python)
    report(f"{PYSPARK.requirement}: {'downloaded' if downloaded else 'already downloaded'} "
           f"{sdist} ({os.path.getsize(sdist):,} bytes)")
    partial = _fresh(cache.hadoop_dir + ".partial")
    members = {PYSPARK_JAR_DIR + name: name for name in wanted}
    found = set()
    try:
        # A stream ("r|gz"): one pass over 456 MB, no seeking back.
        with tarfile.open(sdist, mode="r|gz") as archive:
            for member in archive:
                name = members.get(member.name)
                if name is None or not member.isfile():
                    continue
                _copy(archive.extractfile(member), os.path.join(partial, name))
                found.add(name)
    except (OSError, tarfile.TarError) as error:
        raise FetchError(f"Cannot read {sdist}: {error}") from None
    lacking = [name for name in wanted if name not in found]
    if lacking:
        raise FetchError(f"{sdist} has no {', '.join(PYSPARK_JAR_DIR + n for n in lacking)}")
    _replace(partial, cache.hadoop_dir)
    cache.mark_done(step, inputs)
    report(f"Hadoop client jars: extracted {len(wanted)} jars into {cache.hadoop_dir}")


def fetch_flink_home(cache, report=print, python=None):
    """
    Make ``cache.flink_home`` a ``FLINK_HOME`` from the two Flink wheels.

    :param report: called with one line per thing done.
    :raise FetchError: if a download fails or the wheels lack a directory.
    """
    step = "flink-home"
    inputs = " ".join([FLINK_LIBRARIES.requirement, FLINK.requirement, *FLINK_HOME_DIRS])
    if cache.is_done(step, inputs, cache.flink_dirs()):
        report(f"Flink {FLINK.version}: already in {cache.flink_home}")
        return
    cache.forget(step)
    wheels = []
    for distribution in (FLINK_LIBRARIES, FLINK):
        wheel, downloaded = pip_download(distribution, cache.downloads, python)
        report(f"{distribution.requirement}: "
               f"{'downloaded' if downloaded else 'already downloaded'} {wheel} "
               f"({os.path.getsize(wheel):,} bytes)")
        wheels.append(wheel)
    partial = _fresh(cache.flink_home + ".partial")
    count = 0
    for wheel in wheels:
        try:
            with zipfile.ZipFile(wheel) as archive:
                for info in archive.infolist():
                    relative = _flink_home_path(info.filename)
                    if relative is None or info.is_dir():
                        continue
                    target = os.path.join(partial, relative)
                    with archive.open(info) as source:
                        _copy(source, target)
                    mode = (info.external_attr >> 16) & 0o777
                    os.chmod(target, 0o755 if mode & 0o111 else 0o644)
                    count += 1
        except (OSError, zipfile.BadZipFile) as error:
            raise FetchError(f"Cannot read {wheel}: {error}") from None
    lacking = [name for name in FLINK_HOME_DIRS if not os.path.isdir(os.path.join(partial, name))]
    if lacking:
        raise FetchError(f"The Flink wheels have no pyflink/{', pyflink/'.join(lacking)}")
    _replace(partial, cache.flink_home)
    cache.mark_done(step, inputs)
    report(f"Flink {FLINK.version}: extracted {count} files into {cache.flink_home}")


def _flink_home_path(member):
    """:return: ``member``'s path under FLINK_HOME, or ``None`` when it is not kept."""
    parts = member.split("/")
    if (len(parts) < 3 or parts[0] != "pyflink" or parts[1] not in FLINK_HOME_DIRS
            or any(part in ("", ".", "..") for part in parts[2:])):
        return None
    return os.path.join(*parts[1:])


def _fresh(directory):
    shutil.rmtree(directory, ignore_errors=True)
    os.makedirs(directory)
    return directory


def _copy(source, target):
    os.makedirs(os.path.dirname(target), exist_ok=True)
    with open(target, "wb") as sink:
        shutil.copyfileobj(source, sink, _CHUNK)


def _replace(partial, directory):
    shutil.rmtree(directory, ignore_errors=True)
    os.replace(partial, directory)
