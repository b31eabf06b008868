"""
Fetching into the interop cache, on stand-in artifacts already in ``downloads/`` (so pip is not
run): only the pinned jars and FLINK_HOME's directories are extracted, with the scripts'
executable bits; a second run skips the step; a bad artifact fails without marking it done.
"""

import io
import os
import stat
import tarfile
import zipfile

import pytest

from yarnemu.interop.artifacts import (
    FLINK,
    FLINK_LIBRARIES,
    HADOOP_CLIENT_JARS,
    LOGGING_JARS,
    PYSPARK,
    Distribution,
)
from yarnemu.interop.cache import InteropCache
from yarnemu.interop.fetch import FetchError, fetch_flink_home, fetch_hadoop_jars, pip_download


@pytest.fixture
def cache(tmp_path):
    cache = InteropCache(str(tmp_path / "cache"))
    os.makedirs(cache.downloads)
    return cache


def write_sdist(path, names):
    with tarfile.open(path, "w:gz") as archive:
        for name in names:
            data = f"contents of {name}".encode()
            member = tarfile.TarInfo(name)
            member.size = len(data)
            archive.addfile(member, io.BytesIO(data))


def write_wheel(path, members):
    """``members``: name → (data, mode) ."""
    with zipfile.ZipFile(path, "w") as archive:
        for name, (data, mode) in members.items():
            info = zipfile.ZipInfo(name)
            info.external_attr = mode << 16
            archive.writestr(info, data)


JARS = [*HADOOP_CLIENT_JARS, *LOGGING_JARS]


def test_the_hadoop_jars_are_extracted_from_the_sdist_and_nothing_else(cache):
    """The seven pinned jars land in hadoop/; other members of deps/jars stay out."""
    write_sdist(os.path.join(cache.downloads, PYSPARK.filename),
                ["pyspark-4.3.0/setup.py", "pyspark-4.3.0/deps/jars/spark-core_2.13-4.3.0.jar",
                 *(f"pyspark-4.3.0/deps/jars/{name}" for name in JARS)])
    lines = []
    fetch_hadoop_jars(cache, lines.append)
    assert sorted(os.listdir(cache.hadoop_dir)) == sorted(JARS)
    with open(cache.hadoop_client_jars()[0]) as stream:
        assert stream.read() == f"contents of pyspark-4.3.0/deps/jars/{HADOOP_CLIENT_JARS[0]}"
    assert lines[0].startswith("pyspark==4.3.0: already downloaded ")
    assert lines[1] == f"Hadoop client jars: extracted 7 jars into {cache.hadoop_dir}"


def test_a_second_run_skips_the_step(cache):
    """Once marked, the step neither reads the sdist nor extracts again."""
    sdist = os.path.join(cache.downloads, PYSPARK.filename)
    write_sdist(sdist, [f"pyspark-4.3.0/deps/jars/{name}" for name in JARS])
    fetch_hadoop_jars(cache, lambda line: None)
    os.remove(sdist)
    lines = []
    fetch_hadoop_jars(cache, lines.append)
    assert lines == [f"Hadoop client jars: already in {cache.hadoop_dir}"]


def test_an_sdist_without_a_jar_fails_and_marks_nothing(cache):
    """A missing jar is named; no hadoop/ directory is left and the step is not marked."""
    write_sdist(os.path.join(cache.downloads, PYSPARK.filename),
                [f"pyspark-4.3.0/deps/jars/{name}" for name in JARS[1:]])
    with pytest.raises(FetchError, match=f"has no pyspark-4.3.0/deps/jars/{JARS[0]}"):
        fetch_hadoop_jars(cache, lambda line: None)
    assert not os.path.exists(cache.hadoop_dir)
    assert not os.path.exists(cache.marker("hadoop-jars"))


def test_a_corrupt_sdist_is_a_fetch_error(cache):
    """An artifact that is not a gzip tarball fails with its path."""
    with open(os.path.join(cache.downloads, PYSPARK.filename), "wb") as stream:
        stream.write(b"not a tarball")
    with pytest.raises(FetchError, match="Cannot read .*pyspark-4.3.0.tar.gz"):
        fetch_hadoop_jars(cache, lambda line: None)


def flink_wheels(cache, extra=None):
    write_wheel(os.path.join(cache.downloads, FLINK_LIBRARIES.filename), {
        "pyflink/lib/flink-dist-2.3.0.jar": (b"dist", 0o664),
        "pyflink/opt/flink-python-2.3.0.jar": (b"python", 0o664),
        "pyflink/plugins/metrics-jmx/flink-metrics-jmx-2.3.0.jar": (b"jmx", 0o664),
        "pyflink/bin/bash-java-utils.jar": (b"utils", 0o664),
        "pyflink/licenses/LICENSE.txt": (b"license", 0o644),
        **(extra or {}),
    })
    write_wheel(os.path.join(cache.downloads, FLINK.filename), {
        "pyflink/bin/yarn-session.sh": (b"#!/bin/bash\n", 0o755),
        "pyflink/conf/config.yaml": (b"parallelism:\n  default: 1\n", 0o644),
        "pyflink/examples/datastream/word_count.py": (b"", 0o644),
        "pyflink/__init__.py": (b"", 0o644),
    })


def test_flink_home_is_made_of_the_two_wheels(cache):
    """lib, opt, plugins, bin and conf of both wheels, scripts executable, nothing else."""
    flink_wheels(cache)
    lines = []
    fetch_flink_home(cache, lines.append)
    home = cache.flink_home
    assert sorted(os.listdir(home)) == ["bin", "conf", "lib", "opt", "plugins"]
    assert sorted(os.listdir(os.path.join(home, "bin"))) == ["bash-java-utils.jar",
                                                             "yarn-session.sh"]
    script = os.stat(os.path.join(home, "bin", "yarn-session.sh")).st_mode
    jar = os.stat(os.path.join(home, "lib", "flink-dist-2.3.0.jar")).st_mode
    assert script & stat.S_IXUSR and not jar & stat.S_IXUSR
    assert os.path.isfile(os.path.join(home, "plugins", "metrics-jmx",
                                       "flink-metrics-jmx-2.3.0.jar"))
    assert lines[-1] == f"Flink 2.3.0: extracted 6 files into {home}"
    assert not os.path.exists(home + ".partial")


def test_wheel_members_leading_out_of_flink_home_are_not_extracted(cache):
    """A member with .. in its path is left out."""
    flink_wheels(cache, {"pyflink/lib/../../escaped.jar": (b"x", 0o644)})
    fetch_flink_home(cache, lambda line: None)
    assert not os.path.exists(os.path.join(cache.root, "escaped.jar"))
    assert not os.path.exists(os.path.join(cache.flink_home, "..", "escaped.jar"))


def test_pip_download_keeps_an_artifact_already_there(cache):
    """An artifact in downloads/ is used as it is: pip is not run."""
    path = os.path.join(cache.downloads, PYSPARK.filename)
    open(path, "w").close()
    assert pip_download(PYSPARK, cache.downloads, python="/nonexistent/python") == (path, False)


def test_a_failing_pip_is_a_fetch_error_with_its_output(cache, tmp_path):
    """pip's exit status and output are in the message."""
    fake_python = tmp_path / "python"
    fake_python.write_text("#!/bin/sh\necho 'ERROR: No matching distribution found' >&2\n"
                           "exit 1\n")
    fake_python.chmod(0o755)
    wanted = Distribution("no-such-project", "1.0", (), "no_such_project-1.0.tar.gz")
    with pytest.raises(FetchError, match=r"(?s)pip download no-such-project==1.0 failed "
                                         r"\(exit 1\).*No matching distribution"):
        pip_download(wanted, cache.downloads, python=str(fake_python))
