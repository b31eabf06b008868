"""
End to end: Flink's own checks on bad input, through the client's public API against the
emulated YARN — each ends in a clear error, with no YARN application left running and no
staging directory left behind.
"""

import pytest

from flinkyarn.client import (
    ClusterDeploymentException,
    PerJobPipelineExecutor,
    YarnDeploymentException,
    run_program,
)
from flinkyarn.config import IllegalConfigurationException
from flinkyarn.examples.loader import ProgramInvocationException
from tests.flinkyarn.flink_harness import flink_on_yarn

LIVE_STATES = {"NEW", "NEW_SAVING", "SUBMITTED", "ACCEPTED", "RUNNING"}


def failure_of(flink, deferred):
    with pytest.raises(Exception) as raised:
        flink.run(deferred)
    return raised.value


def nothing_left(flink):
    """No application still alive at YARN, and no ``.flink`` staging directory under the home."""
    live = [app for app in flink.rm.apps.values() if app.yarn_state.value in LIVE_STATES]
    staging = f"{flink.yarn.filesystem.home_directory('flink')}/.flink"
    leftovers = (flink.yarn.filesystem.list_status(staging)
                 if flink.yarn.filesystem.exists(staging) else [])
    return live == [] and list(leftovers) == []


def test_an_unknown_queue_fails_the_deployment_with_yarns_diagnostics(tmp_path):
    flink = flink_on_yarn(tmp_path, flink_config={"yarn.application.queue": "nowhere"})
    error = failure_of(flink, flink.descriptor().deploy_session_cluster(flink.specification()))
    assert isinstance(error, ClusterDeploymentException)
    assert isinstance(error.__cause__, YarnDeploymentException)
    assert "to unknown queue: nowhere" in str(error.__cause__)
    flink.advance(10)
    assert nothing_left(flink)


@pytest.mark.parametrize("key, component", [
    ("jobmanager.memory.process.size", "JobManager"),
    ("taskmanager.memory.process.size", "TaskManagers"),
])
def test_memory_above_the_maximum_allocation_is_refused(tmp_path, key, component):
    flink = flink_on_yarn(tmp_path, flink_config={key: "12g"})
    error = failure_of(flink, flink.descriptor().deploy_session_cluster(flink.specification()))
    assert str(error.__cause__).startswith(
        f"The cluster does not have the requested resources for the {component} available!")
    assert nothing_left(flink) and flink.rm.apps == {}


def test_a_bad_configuration_value_is_an_error_naming_the_key(tmp_path):
    flink = flink_on_yarn(tmp_path, flink_config={"taskmanager.numberOfTaskSlots": "many"})
    with pytest.raises(IllegalConfigurationException, match="taskmanager.numberOfTaskSlots"):
        flink.specification()
    assert nothing_left(flink) and flink.rm.apps == {}


def test_a_program_that_raises_before_executing_deploys_nothing(tmp_path):
    """Per-job: the program runs in the client, so its error comes before any deployment."""
    flink = flink_on_yarn(tmp_path)
    program = tmp_path / "broken.py"
    program.write_text("def main(args):\n    raise KeyError('--input')\n")
    config = flink.config.with_values({"execution.target": "yarn-per-job"})
    executor = PerJobPipelineExecutor(flink.descriptor(config=config), config)
    error = failure_of(flink, run_program(str(program), [], executor, config))
    assert isinstance(error, ProgramInvocationException)
    assert str(error) == "The main method caused an error: '--input'"
    assert isinstance(error.__cause__, KeyError)
    assert nothing_left(flink) and flink.rm.apps == {}
