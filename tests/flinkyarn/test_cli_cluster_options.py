"""Which cluster a command line is for, and the configuration it runs with."""

import pytest

from flinkyarn.cli.cluster_options import (
    GENERAL_OPTIONS,
    DETACHED,
    YarnOptions,
    cluster_configuration,
    memory_value,
)
from flinkyarn.cli.options import CliArgsException, parse
from flinkyarn.cli.properties_file import write_properties_file
from flinkyarn.config import Configuration
from flinkyarn.runtime.errors import FlinkException
from yarnemu.records.ids import ApplicationId

YARN = YarnOptions("y", "yarn")
OPTIONS = GENERAL_OPTIONS + YARN.all + (DETACHED,)
SESSION = ApplicationId(1700000000000, 3)
BASE = Configuration.shipped_default()


def configure(tmp_path, *arguments, base=BASE):
    return cluster_configuration(base, parse(OPTIONS, list(arguments)), YARN,
                                 properties_file_location=str(tmp_path), user_name="alice")


@pytest.fixture
def properties(tmp_path):
    write_properties_file(str(tmp_path / ".yarn-properties-alice"), SESSION,
                          "parallelism.default=3")
    return tmp_path


def test_the_properties_file_names_the_session_when_nothing_else_does(properties):
    cluster = configure(properties)
    assert (cluster.target, cluster.application_id) == ("yarn-session", SESSION)
    config = cluster.configuration
    assert config["yarn.application.id"] == str(SESSION)
    assert config["high-availability.cluster-id"] == str(SESSION)
    assert config["parallelism.default"] == "3"
    assert config["execution.target"] == "yarn-session"
    assert configure(properties, "-d").application_id == SESSION


def test_yarn_options_leave_properties_file_mode(properties):
    cluster = configure(properties, "-yjm", "2048")
    assert (cluster.target, cluster.application_id) == (None, None)
    assert cluster.configuration["jobmanager.memory.process.size"] == "2048m"


def test_an_explicit_session_wins_over_the_file(properties):
    other = ApplicationId(1700000000000, 9)
    for arguments in (("-yid", str(other)), ("-Dyarn.application.id=" + str(other),),
                      ("-t", "yarn-session", "-yid", str(other))):
        cluster = configure(properties, *arguments)
        assert (cluster.target, cluster.application_id) == ("yarn-session", other)
        assert cluster.properties_file is None


def test_targets_that_deploy_ignore_sessions(properties):
    for target in ("yarn-per-job", "yarn-application"):
        cluster = configure(properties, "-t", target)
        assert (cluster.target, cluster.application_id) == (target, None)
        assert cluster.configuration["parallelism.default"] == "1"
    assert configure(properties, "-m", "yarn-cluster").target == "yarn-per-job"
    with pytest.raises(CliArgsException, match="only '-m yarn-cluster'"):
        configure(properties, "-m", "localhost:8081")


def test_without_file_or_options_there_is_no_cluster(tmp_path):
    cluster = configure(tmp_path)
    assert (cluster.target, cluster.application_id) == (None, None)


def test_yarn_options_become_configuration(tmp_path):
    ship = tmp_path / "ship"
    ship.mkdir()
    config = configure(tmp_path, "-t", "yarn-per-job", "-yjm", "1g", "-ytm", "2048",
                       "-ys", "3", "-yqu", "q1", "-ynm", "name", "-yat", "Flink-X",
                       "-ynl", "gpu", "-yz", "ns", "-yt", str(ship), "-yj", "/opt/dist.jar",
                       "-yD", "a=1", "-D", "b=2", "-yd").configuration
    assert {key: config[key] for key in (
        "jobmanager.memory.process.size", "taskmanager.memory.process.size",
        "taskmanager.numberOfTaskSlots", "yarn.application.queue", "yarn.application.name",
        "yarn.application.type", "yarn.application.node-label",
        "high-availability.cluster-id", "yarn.ship-files", "yarn.flink-dist-jar", "a", "b",
        "execution.attached")} == {
        "jobmanager.memory.process.size": "1g", "taskmanager.memory.process.size": "2048m",
        "taskmanager.numberOfTaskSlots": "3", "yarn.application.queue": "q1",
        "yarn.application.name": "name", "yarn.application.type": "Flink-X",
        "yarn.application.node-label": "gpu", "high-availability.cluster-id": "ns",
        "yarn.ship-files": str(ship), "yarn.flink-dist-jar": "file:///opt/dist.jar",
        "a": "1", "b": "2", "execution.attached": "false"}
    assert configure(tmp_path, "-t", "yarn-per-job").configuration["execution.attached"] == \
        "true"


def test_bad_yarn_options_fail_in_flinks_words(tmp_path):
    with pytest.raises(FlinkException, match='^For input string: "two"$'):
        configure(tmp_path, "-ys", "two")
    with pytest.raises(FlinkException, match="^Ship file /no/such/dir does not exist$"):
        configure(tmp_path, "-yt", "/no/such/dir")
    with pytest.raises(FlinkException, match="Invalid ApplicationId: app_1"):
        configure(tmp_path, "-yid", "app_1")


def test_memory_without_a_unit_is_in_megabytes():
    assert [memory_value(text) for text in ("1024", " 2g ", "512 mb")] == ["1024m", "2g",
                                                                          "512 mb"]
