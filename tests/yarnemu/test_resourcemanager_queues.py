"""
Tests of the CapacityScheduler's queues as applications see them through the ResourceManager.
"""

from yarnemu.programs.distributed_shell import distributed_shell_command
from yarnemu.records import RMAppState, YarnApplicationState

from .running_cluster import RunningCluster

TWO_QUEUES = {
    "yarn.scheduler.capacity.root.queues": "a,b",
    "yarn.scheduler.capacity.root.a.capacity": 50,
    "yarn.scheduler.capacity.root.a.maximum-capacity": 100,
    "yarn.scheduler.capacity.root.a.user-limit-factor": 2,
    "yarn.scheduler.capacity.root.a.maximum-am-resource-percent": 0.5,
    "yarn.scheduler.capacity.root.b.capacity": 50,
    "yarn.scheduler.capacity.root.b.maximum-am-resource-percent": 0.5,
}


def test_an_app_in_a_second_queue_waits_until_the_first_frees_capacity(tmp_path):
    """Queue a grows into the whole cluster; b's app stays ACCEPTED until a's containers end."""
    running = RunningCluster(tmp_path, nodes=2, memory_mb=4096, config=TWO_QUEUES)
    greedy = running.submit(distributed_shell_command(7, 1024, "sleep", "120"), queue="a")
    running.run_until(lambda: running.rm.scheduler.used_resource.memory == 8192)
    assert running.rm.scheduler.queues["root.a"].used.memory == 8192

    waiting = running.submit(distributed_shell_command(1, 1024, "sleep", "10"), queue="b",
                             user="bob")
    running.advance(60)
    report = running.client.get_application_report(waiting)
    assert report.yarn_application_state is YarnApplicationState.ACCEPTED
    assert "waiting for resources to be assigned for AM" in report.diagnostics

    assert running.run_until_app_state(greedy, RMAppState.FINISHED)
    assert running.run_until_app_state(waiting, RMAppState.FINISHED)
    first_running = next(e.time for e in running.events_of("app.state")
                         if e.application_id == waiting and e.to_state is RMAppState.RUNNING)
    freed = min(e.time for e in running.events_of("container.state")
                if e.container_id.application_id == greedy and e.to_state.is_final)
    assert first_running >= freed


def test_applications_report_the_queue_they_were_admitted_to(tmp_path):
    """A submission by leaf name or full path reports the leaf queue's name."""
    running = RunningCluster(tmp_path, config=TWO_QUEUES)
    by_path = running.submit("sleep 1", queue="root.b")
    running.advance(1)
    assert running.client.get_application_report(by_path).queue == "b"
