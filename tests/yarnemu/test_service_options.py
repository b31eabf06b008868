"""``twistd yarnemu`` options and the settings they resolve to."""

import pytest
from twisted.python import usage

from yarnemu.config import CAPACITY_SCHEDULER, FIFO_SCHEDULER
from yarnemu.cluster import NodeGroup
from yarnemu.service.options import DEFAULT_RM_LISTEN, DEFAULT_WEBHDFS_LISTEN, ServiceOptions


def parse(*argv, options_class=ServiceOptions):
    options = options_class()
    options.parseOptions(list(argv))
    return options


def test_defaults_listen_on_loopback_with_four_nodes_and_the_capacity_scheduler():
    settings = parse().service_settings
    assert settings.rm_listen == DEFAULT_RM_LISTEN == "tcp:8088:interface=127.0.0.1"
    assert settings.webhdfs_listen == DEFAULT_WEBHDFS_LISTEN == "tcp:9870:interface=127.0.0.1"
    assert settings.node_groups == (NodeGroup(4),)
    assert settings.yarn_config == {"yarn.resourcemanager.scheduler.class": CAPACITY_SCHEDULER}
    assert (settings.data_dir, settings.endpoints_file, settings.time_scale, settings.seed) == (
        None, None, 1.0, 0)


def test_nodes_are_spread_evenly_over_racks():
    settings = parse("--nodes", "5", "--racks", "2", "--memory-mb", "4096",
                     "--vcores", "2").service_settings
    assert settings.node_groups == (
        NodeGroup(3, 4096, 2, rack="/rack-0", name_prefix="node-r0"),
        NodeGroup(2, 4096, 2, rack="/rack-1", name_prefix="node-r1"),
    )


def test_queues_and_conf_become_yarn_site_settings():
    settings = parse("--queue", "prod:70", "--queue", "dev:30", "--conf",
                     "yarn.scheduler.maximum-allocation-mb=4096", "-D",
                     "yarn.resourcemanager.am.max-attempts=1").service_settings
    assert settings.yarn_config == {
        "yarn.resourcemanager.scheduler.class": CAPACITY_SCHEDULER,
        "yarn.scheduler.capacity.root.queues": "prod,dev",
        "yarn.scheduler.capacity.root.prod.capacity": "70",
        "yarn.scheduler.capacity.root.dev.capacity": "30",
        "yarn.scheduler.maximum-allocation-mb": "4096",
        "yarn.resourcemanager.am.max-attempts": "1",
    }


def test_listen_data_and_time_options_are_kept(tmp_path):
    settings = parse("--scheduler", "fifo", "--rm-listen", "tcp:0", "--webhdfs-listen",
                     "tcp:0", "--data-dir", str(tmp_path), "--endpoints-file",
                     str(tmp_path / "e.json"), "--time-scale", "60", "--seed", "7").service_settings
    assert settings.yarn_config["yarn.resourcemanager.scheduler.class"] == FIFO_SCHEDULER
    assert (settings.rm_listen, settings.webhdfs_listen) == ("tcp:0", "tcp:0")
    assert settings.data_dir == str(tmp_path)
    assert settings.endpoints_file == str(tmp_path / "e.json")
    assert (settings.time_scale, settings.seed) == (60.0, 7)


def test_a_scenario_file_gives_the_cluster(tmp_path):
    scenario = tmp_path / "s.yaml"
    scenario.write_text("cluster: {}\n")
    seen = []

    class Options(ServiceOptions):
        @staticmethod
        def cluster_from_scenario(path):
            seen.append(path)
            return (NodeGroup(2, 2048),), [("yarn.resourcemanager.scheduler.class",
                                            FIFO_SCHEDULER)]

    settings = parse("--scenario", str(scenario), "-D", "a.b=c",
                     options_class=Options).service_settings
    assert seen == [str(scenario)]
    assert settings.node_groups == (NodeGroup(2, 2048),)
    assert settings.yarn_config == {"yarn.resourcemanager.scheduler.class": FIFO_SCHEDULER,
                                    "a.b": "c"}


@pytest.mark.parametrize("argv, message", [
    (["--nodes", "0"], "positive integer"),
    (["--nodes", "two"], "not an integer: 'two'"),
    (["--time-scale", "fast"], "not a number: 'fast'"),
    (["--time-scale", "0"], "positive"),
    (["--scheduler", "fair"], "--scheduler must be one of capacity, fifo, not 'fair'"),
    (["--nodes", "2", "--racks", "3"], "--racks (3) cannot exceed --nodes (2)"),
    (["--queue", "prod"], "--queue takes NAME:CAPACITY, not 'prod'"),
    (["--queue", "prod:x"], "the capacity is not a number"),
    (["--queue", "prod:150"], "the capacity must be within 0-100"),
    (["--queue", "a:50", "--queue", "a:50"], "--queue a is given twice"),
    (["--queue", "a:50", "--queue", "b:40"], "the --queue capacities add up to 90, not 100"),
    (["--scheduler", "fifo", "--queue", "a:100"], "--queue needs --scheduler capacity"),
    (["--conf", "novalue"], "--conf takes KEY=VALUE, not 'novalue'"),
    (["--scenario", "/no/such/file.yaml"], "--scenario /no/such/file.yaml: no such file"),
])
def test_bad_options_are_usage_errors(argv, message):
    with pytest.raises(usage.UsageError) as raised:
        parse(*argv)
    assert message in str(raised.value)


def test_a_scenario_cannot_be_combined_with_cluster_options(tmp_path):
    scenario = tmp_path / "s.yaml"
    scenario.write_text("cluster: {}\n")
    with pytest.raises(usage.UsageError, match="cannot be combined with --nodes, --queue"):
        parse("--scenario", str(scenario), "--nodes", "3", "--queue", "a:100")


def test_a_bad_yarn_setting_is_a_usage_error():
    with pytest.raises(usage.UsageError, match="yarn.nodemanager.resource.memory-mb"):
        parse("-D", "yarn.nodemanager.resource.memory-mb=lots")


def test_without_a_scenario_reader_a_scenario_is_a_usage_error(tmp_path):
    scenario = tmp_path / "s.yaml"
    scenario.write_text("cluster: {}\n")
    with pytest.raises(usage.UsageError, match="--scenario is not supported here"):
        parse("--scenario", str(scenario))


# The options of the real clients (Hadoop RPC, process containers, Java WebHDFS)


def test_by_default_no_hadoop_rpc_in_process_containers_and_json_content_type():
    settings = parse().service_settings
    assert (settings.hadoop_rpc, settings.hadoop_descriptors, settings.container_executor,
            settings.java_home, settings.webhdfs_json_content_type) == (
        None, None, "inprocess", None, True)


def test_process_containers_java_home_and_no_content_type_are_kept(tmp_path):
    settings = parse("--container-executor", "process", "--java-home", str(tmp_path),
                     "--webhdfs-no-content-type").service_settings
    assert (settings.container_executor, settings.java_home,
            settings.webhdfs_json_content_type) == ("process", str(tmp_path), False)


def test_hadoop_rpc_needs_a_descriptor_set_and_says_what_to_run(tmp_path):
    missing = tmp_path / "none.fds"
    with pytest.raises(usage.UsageError) as raised:
        parse("--hadoop-rpc", "tcp:0", "--hadoop-descriptors", str(missing))
    assert str(raised.value).startswith(f"--hadoop-rpc: Cannot read the Hadoop RPC descriptor "
                                        f"set {missing}")
    assert "python -m yarnemu.interop.setup" in str(raised.value)


def test_hadoop_rpc_finds_the_descriptor_set_through_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("YARNEMU_HADOOP_DESCRIPTORS", str(tmp_path / "env.fds"))
    with pytest.raises(usage.UsageError, match=f"descriptor set {tmp_path / 'env.fds'}"):
        parse("--hadoop-rpc", "tcp:0")


@pytest.mark.parametrize("argv, message", [
    (["--container-executor", "docker"],
     "--container-executor must be one of inprocess, process, not 'docker'"),
    (["--java-home", "/"], "--java-home needs --container-executor process"),
    (["--container-executor", "process", "--java-home", "/no/such/jdk"],
     "--java-home /no/such/jdk: no such directory"),
    (["--hadoop-descriptors", "/x.fds"], "--hadoop-descriptors needs --hadoop-rpc"),
])
def test_bad_real_client_options_are_usage_errors(argv, message):
    with pytest.raises(usage.UsageError) as raised:
        parse(*argv)
    assert message in str(raised.value)
