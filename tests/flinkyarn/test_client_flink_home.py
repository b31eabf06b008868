"""
Tests for :mod:`flinkyarn.client.flink_home`: the generated stand-in Flink distribution.
"""

import os

import pytest

from flinkyarn.client.flink_home import (
    DIST_JAR_NAME,
    LIB_FILES,
    PLUGIN_FILES,
    FlinkHome,
    tiny_size,
)
from flinkyarn.config import Configuration, IllegalConfigurationException
from yarnemu.clock import VirtualClock
from yarnemu.dfs import FakeHDFS


def _lib_bytes(home):
    lib = home.lib_dir
    return sum(os.path.getsize(os.path.join(lib, name)) for name in os.listdir(lib))


def test_realistic_distribution_has_the_sizes_of_flink_1_18_1(tmp_path):
    """A realistic distribution has a dist jar of about 120 MiB and over 200 MB in lib/."""
    home = FlinkHome.create(tmp_path / "flink", "realistic")
    assert os.path.basename(home.dist_jar) == DIST_JAR_NAME == "flink-dist-1.18.1.jar"
    assert 115 * 2**20 < os.path.getsize(home.dist_jar) < 125 * 2**20
    assert _lib_bytes(home) > 200_000_000
    assert sorted(os.listdir(home.lib_dir)) == sorted(f.path[4:] for f in LIB_FILES)
    assert os.path.isfile(os.path.join(home.plugins_dir, "README.txt"))
    assert os.path.isfile(os.path.join(home.plugins_dir, "metrics-jmx",
                                       "flink-metrics-jmx-1.18.1.jar"))
    assert os.listdir(home.opt_dir)


def test_jars_are_sparse_zeros(tmp_path):
    """The jars hold zeros written as holes, so a realistic distribution costs no disk space."""
    home = FlinkHome.create(tmp_path / "flink", "realistic")
    stat = os.stat(home.dist_jar)
    assert stat.st_blocks * 512 < stat.st_size // 1000
    with open(home.dist_jar, "rb") as stream:
        assert stream.read(4096) == bytes(4096)


def test_tiny_distribution_is_a_few_kilobytes(tmp_path):
    """A tiny distribution scales every file down to a few KB in all, none empty."""
    home = FlinkHome.create(tmp_path / "flink", "tiny")
    sizes = [os.path.getsize(home.path(f.path)) for f in LIB_FILES + PLUGIN_FILES]
    assert sizes == [tiny_size(f.size) for f in LIB_FILES + PLUGIN_FILES]
    assert min(sizes) >= 16
    assert 1000 < sum(sizes) < 16 * 1024


def test_generation_resizes_jars_and_keeps_edited_configuration(tmp_path):
    """Generating again resizes the jars and leaves configuration files alone."""
    home = FlinkHome.create(tmp_path / "flink", "tiny")
    conf = home.path("conf/flink-conf.yaml")
    with open(conf, "a", encoding="utf-8") as stream:
        stream.write("taskmanager.numberOfTaskSlots: 4\n")
    again = FlinkHome.create(tmp_path / "flink", "realistic")
    assert os.path.getsize(again.dist_jar) == next(
        f.size for f in LIB_FILES if f.path.endswith(DIST_JAR_NAME))
    assert again.configuration().get_raw("taskmanager.numberOfTaskSlots") == "4"


def test_shipped_configuration_has_flinks_defaults_and_applies_overrides(tmp_path):
    """conf/flink-conf.yaml holds the shipped settings, including the localhost bind hosts."""
    home = FlinkHome.create(tmp_path / "flink", "tiny")
    config = home.configuration(["parallelism.default=3"])
    assert config["jobmanager.memory.process.size"] == "1600m"
    assert config["taskmanager.memory.process.size"] == "1728m"
    assert config["jobmanager.bind-host"] == "localhost"
    assert config["taskmanager.host"] == "localhost"
    assert config["parallelism.default"] == "3"
    assert os.path.isfile(os.path.join(home.conf_dir, "log4j.properties"))
    assert os.path.isfile(os.path.join(home.conf_dir, "logback.xml"))


def test_size_follows_the_simulation_option(tmp_path):
    """``for_configuration`` sizes the distribution by ``flinkyarn.simulation.dist.size``."""
    home = FlinkHome.for_configuration(
        tmp_path / "flink", Configuration({"flinkyarn.simulation.dist.size": "tiny"}))
    assert home.size == "tiny"
    assert os.path.getsize(home.dist_jar) < 8192


def test_unknown_size_is_refused(tmp_path):
    """A size other than realistic or tiny is a configuration error naming the key."""
    with pytest.raises(IllegalConfigurationException, match="flinkyarn.simulation.dist.size"):
        FlinkHome.create(tmp_path / "flink", "huge")


def test_publish_copies_lib_and_plugins_to_the_fake_hdfs(tmp_path):
    """``publish`` puts lib/ and plugins/ on HDFS for ``yarn.provided.lib.dirs``."""
    home = FlinkHome.create(tmp_path / "flink", "tiny")
    fs = FakeHDFS(tmp_path / "hdfs", VirtualClock(0))
    dirs = home.publish(fs, "/flink/1.18.1/", "hdfs")
    assert dirs == ["/flink/1.18.1/lib", "/flink/1.18.1/plugins"]
    assert fs.get_file_status(f"/flink/1.18.1/lib/{DIST_JAR_NAME}").length == os.path.getsize(
        home.dist_jar)
    assert fs.exists("/flink/1.18.1/plugins/metrics-jmx/flink-metrics-jmx-1.18.1.jar")


def test_messages_name_the_home_it_is_shown_as(tmp_path):
    """A distribution shown as /opt/flink names that path, wherever its files are."""
    home = FlinkHome.create(tmp_path / "flink", "tiny", shown_as="/opt/flink")
    assert home.shown_path("conf") == "/opt/flink/conf"
    assert home.conf_dir == str(tmp_path / "flink" / "conf")
    assert FlinkHome.create(tmp_path / "other", "tiny").shown_path("conf") == str(
        tmp_path / "other" / "conf")
