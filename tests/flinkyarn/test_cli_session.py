"""``yarn-session -q``'s cluster description and the detached session's note."""

from flinkyarn.cli.session import cluster_description
from flinkyarn.client.cluster_descriptor import detached_cluster_information
from tests.yarnemu.running_cluster import RunningCluster
from yarnemu.records.states import NodeState


def _result(deferred):
    results = []
    deferred.addBoth(results.append)
    return results[0]


def test_the_description_is_flinks_get_cluster_description(tmp_path):
    running = RunningCluster(tmp_path, nodes=2, memory_mb=4096, vcores=4)
    running.submit("sleep 600")
    running.advance(5)
    yarn = running.cluster.yarn_client("alice")
    text = cluster_description(_result(yarn.get_yarn_cluster_metrics()),
                               _result(yarn.get_node_reports([NodeState.RUNNING])),
                               _result(yarn.get_all_queues()))
    lines = text.split("\n")
    # Flink appends the first line without a line break.
    assert lines[0] == "NodeManagers in the ClusterClient 2|Property         |Value          "
    assert lines[1] == "+---------------------------------------+"
    assert lines[2].startswith("|NodeID           |") and lines[2].endswith(":45454     ")
    assert lines[3:6] == ["|Memory           |4096 MB          ",
                          "|vCores           |4                ",
                          "|HealthReport     |                 "]
    containers = sorted(line for line in lines if line.startswith("|Containers"))
    assert containers == ["|Containers       |0                ",
                          "|Containers       |1                "]  # the sleeping AM
    assert "Summary: totalMemory 8192 totalCores 8" in lines
    queues = [line for line in lines if line.startswith("Queue: ")]
    assert queues == ["Queue: root, Current Capacity: 0.125 Max Capacity: 1.0 Applications: 0",
                      "Queue: default, Current Capacity: 0.125 Max Capacity: 1.0 "
                      "Applications: 1"]
    assert text.endswith("Applications: 1\n")


def test_the_detached_note_says_how_to_stop_the_session():
    note = detached_cluster_information("application_1_0001")
    assert note.startswith("The Flink YARN session cluster has been started in detached mode.")
    assert '$ echo "stop" | ./bin/yarn-session.sh -id application_1_0001\n' in note
    assert "$ yarn application -kill application_1_0001\n" in note
