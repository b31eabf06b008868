"""``FLINK_HOME`` for the ``flinkyarn`` command: where it is, and at which size."""

import os

from flinkyarn.cli.distribution import flink_home_directory, open_flink_home
from flinkyarn.client.flink_home import DIST_JAR_NAME, FlinkHome


def _dist_jar_size(home):
    return os.path.getsize(os.path.join(home.directory, "lib", DIST_JAR_NAME))


def test_flink_home_is_the_variable_else_a_cache_directory(tmp_path):
    assert flink_home_directory({"FLINK_HOME": str(tmp_path)}) == str(tmp_path)
    assert flink_home_directory({"XDG_CACHE_HOME": "/c", "HOME": "/h"}) == "/c/flinkyarn/flink"
    assert flink_home_directory({"HOME": "/h"}) == "/h/.cache/flinkyarn/flink"


def test_a_new_distribution_is_realistic_unless_told_otherwise(tmp_path):
    home = open_flink_home(str(tmp_path / "a"), {})
    assert home.size == "realistic" and _dist_jar_size(home) > 100_000_000
    tiny = open_flink_home(str(tmp_path / "b"), {"flinkyarn.simulation.dist.size": "tiny"})
    assert tiny.size == "tiny" and _dist_jar_size(tiny) < 10_000


def test_an_existing_distribution_keeps_its_size_unless_the_configuration_says(tmp_path):
    directory = str(tmp_path / "flink")
    FlinkHome.create(directory, "tiny")
    assert open_flink_home(directory, {}).size == "tiny"
    conf = os.path.join(directory, "conf", "flink-conf.yaml")
    with open(conf, "a", encoding="utf-8") as stream:
        stream.write("flinkyarn.simulation.dist.size: realistic\n")
    assert open_flink_home(directory, {}).size == "realistic"
    home = open_flink_home(directory, {"flinkyarn.simulation.dist.size": "tiny"})
    assert home.size == "tiny" and _dist_jar_size(home) < 10_000
