"""
Tests for :func:`flinkyarn.scenario.reader.read_scenario`: valid files become checked
:class:`~flinkyarn.scenario.model.Scenario` values; each kind of invalid file is refused with a
:class:`~flinkyarn.scenario.errors.ScenarioError` reading ``FILE:LINE: message`` at the line a
person has to fix.

The bad files are written with ``textwrap.dedent`` starting on line 1, so the line numbers in the
assertions can be counted in the test's text.
"""

import pathlib
import textwrap

import pytest

from flinkyarn.scenario.errors import ScenarioError
from flinkyarn.scenario.model import (
    AppCheck,
    Cancel,
    ContainersCheck,
    Deploy,
    FailTask,
    JobCheck,
    JobsCheck,
    KillApp,
    KillContainer,
    LogCheck,
    LoseNode,
    MetricsCheck,
    QueueSpec,
    StagingCheck,
    StopCluster,
    Submit,
    TaskManagersCheck,
)
from flinkyarn.scenario.reader import DEFAULT_RUN_UNTIL_MS, read_scenario
from flinkyarn.scenario.values import Comparison
from yarnemu.cluster import NodeGroup

REPO = pathlib.Path(__file__).resolve().parents[2]
VOCABULARY = pathlib.Path(__file__).resolve().parent / "scenario_files" / "vocabulary.yaml"
TWO_JOBS = REPO / "scripts" / "programs" / "two_jobs.py"


def write(tmp_path, text, name="scenario.yaml"):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def read(tmp_path, text, name="scenario.yaml"):
    return read_scenario(write(tmp_path, text, name))


def refused(tmp_path, text, line, *phrases):
    """Read ``text``; assert it is refused at ``line`` with each phrase in the message."""
    path = write(tmp_path, text)
    with pytest.raises(ScenarioError) as caught:
        read_scenario(path)
    error = caught.value
    assert error.line == line, str(error)
    assert str(error).startswith(f"{path}:{line}: "), str(error)
    for phrase in phrases:
        assert phrase in error.message, str(error)
    return error


# Valid files


def test_a_minimal_file_gets_the_defaults(tmp_path):
    """A file with only steps: named after the file, seed 0, one virtual hour, 3 default nodes."""
    scenario = read(tmp_path, """\
        steps:
          - at: 0s
            deploy: session
            name: s
        """, name="just-steps.yaml")
    assert scenario.name == "just-steps"
    assert scenario.seed == 0
    assert scenario.run_until_ms == DEFAULT_RUN_UNTIL_MS == 3_600_000
    assert scenario.cluster.scheduler == "capacity"
    assert scenario.cluster.queues == ()
    assert scenario.cluster.node_groups == (NodeGroup(3),)
    assert scenario.cluster.yarn == {}
    assert scenario.flink == {}
    assert scenario.expectations == ()
    (step,) = scenario.steps
    assert (step.at_ms, step.line, step.kind) == (0, 2, "deploy")
    assert step.action == Deploy(mode="session", name="s", user="flink")


def test_the_vocabulary_file_is_accepted_with_every_key(monkeypatch):
    """The contract file (a verbatim copy) reads; its top level and cluster are as written."""
    monkeypatch.chdir(REPO)
    scenario = read_scenario(VOCABULARY)
    assert scenario.name == "session cluster, two jobs, a lost TaskManager"
    assert scenario.seed == 7
    assert scenario.run_until_ms == 30 * 60_000
    cluster = scenario.cluster
    assert cluster.scheduler == "capacity"
    assert cluster.queues == (
        QueueSpec("default", 40),
        QueueSpec("qa-team", 60,
                  {"maximum-capacity": 100, "user-limit-factor": 1,
                   "maximum-am-resource-percent": 0.5},
                  (QueueSpec("etl", 50), QueueSpec("adhoc", 50))),
    )
    assert cluster.node_groups == (
        NodeGroup(2, 4096, 8, "/rack1", "node"),
        NodeGroup(1, 8192, 16, "/rack2", "big"),
    )
    assert cluster.yarn == {
        "yarn.scheduler.minimum-allocation-mb": 512,
        "yarn.scheduler.maximum-allocation-mb": 4096,
        "yarn.resourcemanager.am.max-attempts": 2,
        "yarn.nodemanager.resource.memory-mb": 4096,
    }
    assert scenario.flink == {"jobmanager.memory.process.size": "768m",
                              "taskmanager.memory.process.size": "1024m",
                              "taskmanager.numberOfTaskSlots": "1"}


def test_the_vocabulary_file_steps_are_parsed_in_time_order(monkeypatch):
    """Every step kind of the contract file is read, with its time, line and fields."""
    monkeypatch.chdir(REPO)
    steps = read_scenario(VOCABULARY).steps
    assert [(s.at_ms, s.kind, s.line) for s in steps] == [
        (0, "deploy", 40),
        (20_000, "submit", 52),
        (20_000, "submit", 59),
        (120_000, "kill-container", 61),
        (180_000, "deploy", 63),
        (180_000, "deploy", 69),
        (300_000, "fail-task", 73),
        (360_000, "lose-node", 75),
        (480_000, "cancel", 77),
        (540_000, "stop-cluster", 79),
        (600_000, "kill-app", 81),
    ]
    actions = [s.action for s in steps]
    assert actions[0] == Deploy(
        mode="session", name="my-session", queue="qa-team", detached=True, tags=("test-tag",),
        priority=5, user="alice", application_type="Apache Flink",
        flink={"taskmanager.numberOfTaskSlots": "2", "yarn.containers.vcores": "2"})
    assert actions[1] == Submit(cluster="my-session", program="wordcount", name="wc-1",
                                parallelism=2, args=("--records", "200000"))
    assert actions[2] == Submit(cluster="my-session", program="streaming-window", name="win-1",
                                parallelism=2)
    assert actions[3] == KillContainer("my-session", "taskmanager", 0)
    assert actions[4] == Deploy(mode="per-job", name="nightly", program="wordcount",
                                parallelism=2, detached=True)
    assert actions[5] == Deploy(mode="application", name="app-mode",
                                program=f"{TWO_JOBS}:main")
    assert actions[6] == FailTask("my-session", "win-1", 0, 1)
    assert actions[7] == LoseNode("big-0")
    assert actions[8] == Cancel("my-session", "win-1")
    assert actions[9] == StopCluster("my-session")
    assert actions[10] == KillApp("nightly")


def test_the_vocabulary_file_expectations_are_parsed(monkeypatch):
    """Every expectation kind of the contract file is read, with its time, line and checks."""
    monkeypatch.chdir(REPO)
    expectations = read_scenario(VOCABULARY).expectations
    assert [(e.at_ms, e.line, e.optional) for e in expectations] == [
        (60_000, 85, False), (None, 93, True), (60_000, 98, False), (60_000, 100, False),
        (60_000, 102, False), (60_000, 104, False), (None, 106, False), (None, 109, False),
        (None, 113, False), (None, 115, False), (None, 120, False), (None, 123, False),
        (None, 125, False), (None, 127, True),
    ]
    checks = [e.check for e in expectations]

    def eq(value):
        return Comparison("==", value)

    assert checks[0] == AppCheck(app="my-session", state="RUNNING", queue="qa-team",
                                 priority=eq(5), tags=("test-tag",), type="Apache Flink",
                                 user="alice")
    assert checks[1] == AppCheck(app="rejected-app", state="FAILED",
                                 diagnostics="to unknown queue: no-such-queue")
    assert checks[2] == TaskManagersCheck("my-session", Comparison(">=", 1), eq(2))
    assert checks[3] == ContainersCheck("my-session", "taskmanager", Comparison(">=", 1),
                                        eq(1024), eq(2))
    assert checks[4] == ContainersCheck("my-session", None, Comparison(">=", 2))
    assert checks[5] == ContainersCheck("my-session", "jobmanager", eq(1), eq(768))
    assert checks[6] == JobCheck("my-session", "wc-1", "FINISHED")
    assert checks[7] == JobCheck("my-session", "win-1", "CANCELED", Comparison(">=", 1))
    assert checks[8] == JobsCheck("app-mode", eq(2), "FINISHED")
    assert checks[9] == AppCheck(app="my-session", state="FINISHED", final_status="SUCCEEDED",
                                 attempts=eq(1))
    assert checks[10] == AppCheck(app="nightly", state="KILLED")
    assert checks[11] == StagingCheck("my-session", False)
    assert checks[12] == MetricsCheck((("pendingContainers", eq(0)), ("allocatedMB", eq(0))))
    assert checks[13] == LogCheck("Returning excess container", "my-session")


def test_a_program_path_is_also_found_beside_the_scenario_file(tmp_path, monkeypatch):
    """A program path not found from the current directory is looked up next to the file."""
    (tmp_path / "progs").mkdir()
    (tmp_path / "progs" / "mine.py").write_text("def main(args):\n    pass\n")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    scenario = read(tmp_path, """\
        steps:
          - at: 0s
            deploy: application
            name: a
            program: progs/mine.py:main
        """)
    assert scenario.steps[0].action.program == f"{tmp_path / 'progs' / 'mine.py'}:main"


def test_steps_written_out_of_order_are_run_in_time_order(tmp_path):
    """Steps are sorted by time; steps at the same time keep their file order."""
    scenario = read(tmp_path, """\
        steps:
          - at: 1m
            lose-node: {node: node-2}
          - at: 0s
            deploy: session
            name: s
          - at: 1m
            lose-node: {node: node-1}
        """)
    assert [(s.at_ms, s.line) for s in scenario.steps] == [(0, 4), (60_000, 2), (60_000, 7)]


def test_a_step_may_name_a_cluster_deployed_earlier_in_time_but_later_in_the_file(tmp_path):
    """
    Steps run in time order whatever their file order, so a submit at 10s may name a session
    deployed at 0s even when the deploy step is written after it.
    """
    scenario = read(tmp_path, """\
        steps:
          - at: 10s
            submit: {cluster: s, program: wordcount}
          - at: 0s
            deploy: session
            name: s
        """)
    assert [s.kind for s in scenario.steps] == ["deploy", "submit"]


def test_an_optional_expectation_may_name_an_app_no_step_deploys(tmp_path):
    """optional: true allows naming an application the scenario does not deploy."""
    scenario = read(tmp_path, """\
        steps:
          - at: 0s
            deploy: session
            name: s
        expect:
          - at: end
            app: other
            state: FINISHED
            optional: true
        """)
    (expectation,) = scenario.expectations
    assert expectation.optional
    assert expectation.check == AppCheck(app="other", state="FINISHED")


# Invalid files: YAML


def test_not_yaml_bad_indentation(tmp_path):
    """A mis-indented key is reported at its line as not valid YAML."""
    refused(tmp_path, """\
        name: x
        steps:
          - at: 0s
            deploy: session
           name: s
        """, 5, "not valid YAML")


def test_not_yaml_mapping_value_where_none_is_allowed(tmp_path):
    """A key indented under a scalar is reported at that key's line."""
    refused(tmp_path, """\
        name: x
        cluster:
          scheduler: fifo
            nodes: 3
        """, 4, "not valid YAML", "mapping values are not allowed")


def test_not_yaml_an_unclosed_quote_points_at_the_opening_quote(tmp_path):
    """
    An unclosed quote is reported at the line where the quote opens, not past the end of the file
    (PyYAML's problem mark is the end of the stream; its context mark is the quote).
    """
    refused(tmp_path, """\
        name: x
        steps:
          - at: 0s
            deploy: session
            name: "s
        seed: 3
        """, 5, "not valid YAML", "quoted scalar")


def test_duplicate_key(tmp_path):
    """A key written twice is refused at its second line, naming the first."""
    refused(tmp_path, """\
        name: x
        seed: 1
        steps: []
        seed: 2
        """, 4, "'seed' appears twice", "first on line 2")


def test_duplicate_key_inside_a_flow_mapping(tmp_path):
    """Duplicates are found at every depth, also in {…} mappings."""
    refused(tmp_path, """\
        cluster:
          nodes:
            - {count: 1, count: 2}
        """, 3, "'count' appears twice")


def test_several_documents(tmp_path):
    """A scenario is one YAML document."""
    refused(tmp_path, "name: a\n---\nname: b\n", 2, "not valid YAML", "single document")


def test_empty_file(tmp_path):
    """An empty file is refused with no line: FILE: the scenario file is empty."""
    path = write(tmp_path, "")
    with pytest.raises(ScenarioError) as caught:
        read_scenario(path)
    assert caught.value.line is None
    assert str(caught.value) == f"{path}: the scenario file is empty"


def test_a_file_of_only_comments_is_empty(tmp_path):
    """Comments alone are no scenario."""
    path = write(tmp_path, "# nothing here\n")
    with pytest.raises(ScenarioError, match="empty"):
        read_scenario(path)


def test_a_missing_file(tmp_path):
    """A file that does not exist: FILE: cannot read the scenario file."""
    path = tmp_path / "nope.yaml"
    with pytest.raises(ScenarioError) as caught:
        read_scenario(path)
    assert caught.value.line is None
    assert str(caught.value).startswith(f"{path}: cannot read the scenario file")


def test_the_top_level_must_be_a_mapping(tmp_path):
    """A list at the top is not a scenario."""
    refused(tmp_path, "- a\n- b\n", 1, "must be a mapping")


# Invalid files: unknown keys


def test_unknown_top_level_key_suggests_the_nearest(tmp_path):
    """A misspelt top-level key is named, with 'did you mean' and the known keys."""
    refused(tmp_path, """\
        name: x
        stpes: []
        """, 2, "unknown key 'stpes'", "did you mean 'steps'?", "known keys")


def test_unknown_key_in_cluster(tmp_path):
    """cluster: accepts scheduler, queues, nodes, yarn."""
    refused(tmp_path, """\
        cluster:
          schedular: fifo
        """, 2, "unknown key 'schedular' in cluster", "did you mean 'scheduler'?")


def test_unknown_key_in_a_node_group(tmp_path):
    """memory_mb (underscore) in a node group suggests memory-mb."""
    refused(tmp_path, """\
        cluster:
          nodes:
            - count: 2
              memory_mb: 4096
        """, 4, "unknown key 'memory_mb' in a node group", "did you mean 'memory-mb'?")


def test_unknown_key_in_a_queue(tmp_path):
    """max-capacity in a queue suggests maximum-capacity and names the queue."""
    refused(tmp_path, """\
        cluster:
          queues:
            default:
              capacity: 100
              max-capacity: 100
        """, 5, "unknown key 'max-capacity' in queue default",
        "did you mean 'maximum-capacity'?")


def test_unknown_key_in_a_deploy_step(tmp_path):
    """A misspelt deploy key suggests the right one."""
    refused(tmp_path, """\
        steps:
          - at: 0s
            deploy: session
            name: s
            detatched: true
        """, 5, "unknown key 'detatched' in a deploy step", "did you mean 'detached'?")


def test_unknown_key_inside_a_submit_step(tmp_path):
    """A misspelt key in the submit: block is reported at its own line."""
    refused(tmp_path, """\
        steps:
          - at: 0s
            deploy: session
            name: s
          - at: 10s
            submit:
              cluster: s
              program: wordcount
              paralelism: 2
        """, 9, "unknown key 'paralelism' in this submit step", "did you mean 'parallelism'?")


def test_unknown_key_beside_a_non_deploy_action(tmp_path):
    """A step other than deploy holds only at and its action."""
    refused(tmp_path, """\
        steps:
          - at: 0s
            deploy: session
            name: s
          - at: 10s
            stop-cluster: {cluster: s}
            name: bye
        """, 7, "unknown key 'name' in a stop-cluster step")


def test_unknown_key_in_an_app_expectation(tmp_path):
    """stat in an app expectation suggests state."""
    refused(tmp_path, """\
        steps:
          - at: 0s
            deploy: session
            name: s
        expect:
          - app: s
            stat: RUNNING
        """, 7, "unknown key 'stat' in this app expectation", "did you mean 'state'?")


def test_unknown_key_inside_a_containers_expectation(tmp_path):
    """A misspelt key inside containers: {…} is reported with a suggestion."""
    refused(tmp_path, """\
        steps:
          - at: 0s
            deploy: session
            name: s
        expect:
          - at: 1m
            containers: {app: s, rol: taskmanager}
        """, 7, "unknown key 'rol' in this containers expectation", "did you mean 'role'?")


def test_an_expectation_with_an_unknown_subject(tmp_path):
    """An expectation whose only key is unknown suggests the nearest subject."""
    refused(tmp_path, """\
        expect:
          - at: end
            metric: {allocatedMB: 0}
        """, 3, "unknown key 'metric' in an expectation", "did you mean 'metrics'?")


# Invalid files: values


def test_bad_duration_in_at(tmp_path):
    """'at' must be a duration such as 90s; the message shows what was written."""
    refused(tmp_path, """\
        steps:
          - at: 0s
            deploy: session
            name: s
          - at: 10 seconds
            stop-cluster: {cluster: s}
        """, 5, "'at' of this stop-cluster step", "expected a duration", "'10 seconds'")


def test_bad_duration_in_an_expectation_at(tmp_path):
    """An expectation's at is a duration or end."""
    refused(tmp_path, """\
        expect:
          - at: later
            metrics: {allocatedMB: 0}
        """, 2, "a duration or end", "'later'")


def test_bad_duration_in_run_until(tmp_path):
    """run-until: 30 has no unit."""
    refused(tmp_path, """\
        name: x
        run-until: 30
        """, 2, "run-until", "needs a unit")


def test_run_until_of_zero(tmp_path):
    """run-until must be longer than 0s."""
    refused(tmp_path, "run-until: 0s\n", 1, "run-until", "longer than 0s")


def test_bad_size_in_memory_mb(tmp_path):
    """memory-mb: lots is not a memory size."""
    refused(tmp_path, """\
        cluster:
          nodes:
            - count: 2
              memory-mb: lots
        """, 4, "memory-mb of a node group", "expected a memory size", "'lots'")


def test_type_error_count_as_text(tmp_path):
    """count: three is not a whole number."""
    refused(tmp_path, """\
        cluster:
          nodes:
            - vcores: 8
              count: three
        """, 4, "count of a node group", "expected a whole number", "'three'")


def test_type_error_detached_as_quoted_text(tmp_path):
    """detached: "yes" (quoted, so text) is not true or false."""
    refused(tmp_path, """\
        steps:
          - at: 0s
            deploy: session
            detached: "yes"
        """, 4, "detached of this deploy step", "expected true or false", "'yes'")


def test_type_error_priority_as_a_fraction(tmp_path):
    """priority: 1.5 is not a whole number."""
    refused(tmp_path, """\
        steps:
          - at: 0s
            deploy: session
            priority: 1.5
        """, 4, "priority of this deploy step", "expected a whole number", "1.5")


def test_type_error_tags_as_a_number(tmp_path):
    """tags: 5 is not a list of text."""
    refused(tmp_path, """\
        steps:
          - at: 0s
            deploy: session
            tags: 5
        """, 4, "tags of this deploy step", "expected a list of text")


def test_type_error_seed_negative(tmp_path):
    """seed must be a whole number, at least 0."""
    refused(tmp_path, "name: x\nseed: -1\n", 2, "seed of the scenario", "at least 0")


def test_type_error_steps_not_a_list(tmp_path):
    """steps: must be a list."""
    refused(tmp_path, "steps: {at: 0s}\n", 1, "steps must be a list")


def test_type_error_a_step_that_is_not_a_mapping(tmp_path):
    """Each step is a mapping."""
    refused(tmp_path, "steps:\n  - hello\n", 2, "a step must be a mapping")


def test_queue_capacity_over_100(tmp_path):
    """Capacities are percentages."""
    refused(tmp_path, """\
        cluster:
          queues:
            default: {capacity: 140}
        """, 3, "capacity of queue default", "between 0 and 100")


# Invalid files: steps


def test_unknown_deploy_mode(tmp_path):
    """deploy: yarn-session is not session, per-job or application; session is suggested."""
    refused(tmp_path, """\
        steps:
          - at: 0s
            deploy: yarn-session
        """, 3, "'yarn-session' is not one of session, per-job, application",
        "did you mean session?")


def test_a_step_with_two_actions(tmp_path):
    """A step does one thing: the second action's line is reported."""
    refused(tmp_path, """\
        steps:
          - at: 0s
            deploy: session
            name: s
          - at: 10s
            stop-cluster: {cluster: s}
            kill-app: {app: s}
        """, 7, "a step does one thing", "'stop-cluster' and 'kill-app'")


def test_a_step_with_no_action(tmp_path):
    """A step with only at does nothing: the step's line is reported with the actions."""
    refused(tmp_path, """\
        name: x
        steps:
          - at: 10s
        """, 3, "this step has no action", "deploy, submit")


def test_a_step_with_a_misspelt_action(tmp_path):
    """A step whose action is misspelt suggests the action."""
    refused(tmp_path, """\
        steps:
          - at: 0s
            deplyo: session
        """, 3, "unknown key 'deplyo' in a step", "did you mean 'deploy'?")


def test_a_step_without_at(tmp_path):
    """Every step needs at."""
    refused(tmp_path, """\
        name: x
        steps:
          - deploy: session
            name: s
        """, 3, "needs 'at'")


def test_a_step_after_run_until(tmp_path):
    """A step past run-until would never happen."""
    refused(tmp_path, """\
        run-until: 5m
        steps:
          - at: 0s
            deploy: session
            name: s
          - at: 6m
            stop-cluster: {cluster: s}
        """, 6, "at 6m, after run-until (5m)")


def test_an_expectation_after_run_until(tmp_path):
    """An expectation past run-until could never be checked."""
    refused(tmp_path, """\
        run-until: 5m
        expect:
          - at: 6m
            metrics: {allocatedMB: 0}
        """, 3, "at 6m, after run-until (5m)")


def test_a_submit_naming_a_cluster_that_does_not_exist(tmp_path):
    """The submit's cluster: value is reported, with the names that are deployed."""
    refused(tmp_path, """\
        steps:
          - at: 0s
            deploy: session
            name: s
          - at: 10s
            submit:
              cluster: nope
              program: wordcount
        """, 7, "names cluster 'nope'", "the scenario deploys: s")


def test_a_submit_naming_a_cluster_deployed_later(tmp_path):
    """A submit at 10s cannot use a session deployed at 1m."""
    refused(tmp_path, """\
        steps:
          - at: 1m
            deploy: session
            name: s
          - at: 10s
            submit: {cluster: s, program: wordcount}
        """, 6, "at 10s names 's', which is deployed only at 1m")


def test_a_submit_to_a_per_job_cluster(tmp_path):
    """Only sessions take submitted jobs."""
    refused(tmp_path, """\
        steps:
          - at: 0s
            deploy: per-job
            name: pj
            program: wordcount
          - at: 10s
            submit: {cluster: pj, program: wordcount}
        """, 7, "needs a session", "'pj' is a per-job cluster")


def test_a_submit_without_a_program(tmp_path):
    """A submit names its program."""
    refused(tmp_path, """\
        steps:
          - at: 0s
            deploy: session
            name: s
          - at: 10s
            submit:
              cluster: s
        """, 7, "submit step needs 'program'")


def test_kill_app_of_an_unknown_app(tmp_path):
    """kill-app names a deploy step's name."""
    refused(tmp_path, """\
        steps:
          - at: 0s
            deploy: session
            name: s
          - at: 10s
            kill-app:
              app: ghost
        """, 7, "names app 'ghost'", "the scenario deploys: s")


def test_lose_node_of_an_unknown_node(tmp_path):
    """lose-node names a host of the cluster; the hosts are listed."""
    refused(tmp_path, """\
        steps:
          - at: 10s
            lose-node:
              node: node-7
        """, 4, "no node 'node-7'", "node-0, node-1, node-2")


def test_two_node_groups_whose_host_names_clash(tmp_path):
    """Two groups with the default prefix both make node-0: the second group is reported."""
    refused(tmp_path, """\
        cluster:
          nodes:
            - count: 2
            - count: 1
              memory-mb: 8192
        """, 4, "node-0 clashes with the group on line 3", "name-prefix")


def test_duplicate_deploy_names(tmp_path):
    """Two deploys cannot share a name: the second name: line is reported."""
    refused(tmp_path, """\
        steps:
          - at: 0s
            deploy: session
            name: s
          - at: 1s
            deploy: session
            name: s
        """, 7, "the name s is taken by the deploy step on line 2")


def test_a_session_deploy_with_a_program(tmp_path):
    """A session runs no program of its own: program belongs in a submit step."""
    refused(tmp_path, """\
        steps:
          - at: 0s
            deploy: session
            name: s
            program: wordcount
        """, 5, "a session runs no program of its own", "submit step")


def test_a_per_job_deploy_without_a_program(tmp_path):
    """per-job and application deployments need program."""
    refused(tmp_path, """\
        steps:
          - at: 0s
            deploy: per-job
            name: pj
        """, 2, "a per-job deployment needs 'program'")


def test_a_missing_program_file(tmp_path):
    """A program path that exists neither from here nor beside the file is refused at its line."""
    refused(tmp_path, """\
        steps:
          - at: 0s
            deploy: application
            name: a
            program: no/such/file.py:main
        """, 5, "program file no/such/file.py not found")


def test_a_program_that_is_neither_builtin_nor_a_python_file(tmp_path):
    """An unknown program name lists the built-in programs."""
    refused(tmp_path, """\
        steps:
          - at: 0s
            deploy: per-job
            name: pj
            program: wordcnt
        """, 5, "neither a built-in program", "wordcount")


# Invalid files: cluster configuration the ResourceManager or Flink would refuse


def test_queues_under_a_fifo_scheduler(tmp_path):
    """Queues are for the capacity scheduler: the queues: key is reported."""
    refused(tmp_path, """\
        cluster:
          scheduler: fifo
          queues:
            default: {capacity: 100}
        """, 3, "queues are for the capacity scheduler", "fifo")


def test_top_level_queue_capacities_not_summing_to_100(tmp_path):
    """The RM's ConfigurationException is reported at the queues of the offending level."""
    refused(tmp_path, """\
        cluster:
          queues:
            default: {capacity: 40}
            qa: {capacity: 50}
        """, 3, "the ResourceManager would refuse this cluster", "children of queue root",
        "must sum to 100")


def test_child_queue_capacities_not_summing_to_100(tmp_path):
    """
    When qa's children sum to 90, the error points at qa's child queues (line 7), the level
    that is wrong, the same way the top-level case points at the top-level queues.
    """
    refused(tmp_path, """\
        cluster:
          queues:
            default: {capacity: 40}
            qa:
              capacity: 60
              queues:
                etl: {capacity: 50}
                adhoc: {capacity: 40}
        """, 7, "the ResourceManager would refuse this cluster", "children of queue root.qa",
        "must sum to 100")


def test_a_bad_yarn_site_value(tmp_path):
    """yarn.scheduler.minimum-allocation-mb: lots is reported at that key's line."""
    refused(tmp_path, """\
        cluster:
          yarn:
            yarn.resourcemanager.am.max-attempts: 2
            yarn.scheduler.minimum-allocation-mb: lots
        """, 4, "the ResourceManager would refuse this cluster",
        "yarn.scheduler.minimum-allocation-mb", "'lots'")


def test_a_bad_yarn_site_value_under_the_fifo_scheduler(tmp_path):
    """Bad yarn-site values are found whatever the scheduler."""
    refused(tmp_path, """\
        cluster:
          scheduler: fifo
          yarn:
            yarn.resourcemanager.am.max-attempts: 2
            yarn.scheduler.minimum-allocation-mb: lots
        """, 5, "yarn.scheduler.minimum-allocation-mb", "'lots'")


def test_a_bad_flink_value(tmp_path):
    """taskmanager.numberOfTaskSlots: many is reported at that key's line."""
    refused(tmp_path, """\
        flink:
          jobmanager.memory.process.size: 768m
          taskmanager.numberOfTaskSlots: many
        """, 3, "Flink would refuse this configuration", "taskmanager.numberOfTaskSlots",
        "'many'")


def test_a_bad_flink_value_in_a_deploy_step(tmp_path):
    """A deploy step's own flink: block is checked the same way, at the key's line."""
    refused(tmp_path, """\
        steps:
          - at: 0s
            deploy: session
            flink:
              jobmanager.memory.process.size: 768m
              taskmanager.numberOfTaskSlots: many
        """, 6, "Flink would refuse this configuration", "taskmanager.numberOfTaskSlots")


# Invalid files: expectations


def test_an_unknown_job_state(tmp_path):
    """Job states are Flink's JobStatus values; they are listed."""
    refused(tmp_path, """\
        steps:
          - at: 0s
            deploy: session
            name: s
        expect:
          - job: {cluster: s, name: wc}
            state: DONE
        """, 7, "state of this job expectation", "'DONE' is not one of", "FINISHED")


def test_an_unknown_app_state(tmp_path):
    """App states are YarnApplicationState values; FINISH suggests FINISHED."""
    refused(tmp_path, """\
        steps:
          - at: 0s
            deploy: session
            name: s
        expect:
          - app: s
            state: FINISH
        """, 7, "state of this app expectation", "did you mean FINISHED?")


def test_an_unknown_final_status(tmp_path):
    """final-status is a FinalApplicationStatus; SUCCESS suggests SUCCEEDED."""
    refused(tmp_path, """\
        steps:
          - at: 0s
            deploy: session
            name: s
        expect:
          - app: s
            final-status: SUCCESS
        """, 7, "final-status of this app expectation", "did you mean SUCCEEDED?")


def test_an_unknown_metric_name(tmp_path):
    """Metric names are /ws/v1/cluster/metrics fields; the nearest is suggested."""
    refused(tmp_path, """\
        expect:
          - metrics:
              allocatedMB: 0
              pendingContainer: 0
        """, 4, "unknown key 'pendingContainer' in this metrics expectation",
        "did you mean 'pendingContainers'?")


def test_an_expectation_naming_an_undeployed_app(tmp_path):
    """Naming an app no step deploys is an error unless the expectation is optional."""
    refused(tmp_path, """\
        steps:
          - at: 0s
            deploy: session
            name: s
        expect:
          - at: end
            app: other
            state: FINISHED
        """, 7, "names app 'other', which no deploy step deploys", "optional: true")


def test_an_expectation_naming_an_undeployed_cluster(tmp_path):
    """The same holds for a cluster named inside jobs: {…}."""
    refused(tmp_path, """\
        expect:
          - at: end
            jobs: {cluster: z, count: 1}
        """, 3, "names cluster 'z'")
