"""
:func:`read_scenario`: a YAML scenario file → a checked :class:`~flinkyarn.scenario.model.Scenario`.

Everything that can be wrong with a file is found here, before anything runs: unknown keys (with
the nearest known key suggested), values of the wrong type, bad durations and sizes, states that
do not exist, yarn-site and Flink values their components would refuse, a queue tree the
CapacityScheduler would refuse, duplicate names, and steps or expectations naming a cluster, an
application or a node the scenario does not have.  Each error is a
:class:`~flinkyarn.scenario.errors.ScenarioError` with the file and line.

The format is ``scenario-vocabulary.yaml``'s; keys added here beyond it: the ``stop-node`` step,
the queue keys ``minimum-user-limit-percent``, ``maximum-applications`` and ``state``, and FLIP-40
driver mode: ``deploy: driver`` with ``program`` (``args``, ``parallelism``, ``detached``,
``flink``), the driver options ``driverheapmemory``, ``driverdirectmemory``,
``drivernativememory`` (sizes) and ``drivercpus`` (cores), and ``session: NAME`` to run the
driver in a session instead of a per-job cluster of its own (then the step deploys no cluster:
no ``name`` or other YARN application keys); and ``slots`` on a job expectation (the slots it
holds now).
"""

import difflib
import os
import re

from flinkyarn.config import Configuration
from flinkyarn.config.errors import IllegalConfigurationException
from flinkyarn.driver import DriverResources
from flinkyarn.driver.resources import MAX_MEMORY_MB
from flinkyarn.examples import BUILTIN_PROGRAMS
from flinkyarn.scenario.errors import ScenarioError
from flinkyarn.scenario.model import (
    DEPLOY_MODES,
    DRIVER,
    ROLES,
    SESSION,
    AppCheck,
    Cancel,
    ClusterSpec,
    ContainersCheck,
    Deploy,
    Expectation,
    FailTask,
    JobCheck,
    JobsCheck,
    KillApp,
    KillContainer,
    LogCheck,
    LoseNode,
    MetricsCheck,
    QueueSpec,
    Scenario,
    StagingCheck,
    Step,
    StopCluster,
    StopNode,
    Submit,
    TaskManagersCheck,
)
from flinkyarn.scenario.source import load_yaml
from flinkyarn.scenario.values import Comparison, format_duration, parse_duration_ms, parse_size_mb
from flinkyarn.states import JobStatus
from yarnemu.cluster import NodeGroup
from yarnemu.config import CAPACITY_SCHEDULER, FIFO_SCHEDULER, YarnConfiguration
from yarnemu.errors import ConfigurationException
from yarnemu.records.states import FinalApplicationStatus, YarnApplicationState
from yarnemu.resourcemanager.metrics import METRIC_NAMES
from yarnemu.scheduler.capacity_config import read_queue_tree

__all__ = ["read_scenario", "DEFAULT_RUN_UNTIL_MS", "scenario_yarn_configuration", "METRIC_ALIASES"]

DEFAULT_RUN_UNTIL_MS = 3_600_000
"""``run-until`` when a file does not say: one virtual hour."""

_TOP_KEYS = ("name", "seed", "run-until", "cluster", "flink", "steps", "expect")
_CLUSTER_KEYS = ("scheduler", "queues", "nodes", "yarn")
_SCHEDULERS = {"capacity": CAPACITY_SCHEDULER, "fifo": FIFO_SCHEDULER}
_QUEUE_KEYS = ("capacity", "maximum-capacity", "user-limit-factor", "maximum-am-resource-percent",
               "minimum-user-limit-percent", "maximum-applications", "state", "queues")
_NODE_KEYS = ("count", "memory-mb", "vcores", "rack", "name-prefix")
_DRIVER_KEYS = ("driverheapmemory", "driverdirectmemory", "drivercpus", "drivernativememory")
_DEPLOY_KEYS = ("at", "deploy", "name", "queue", "detached", "tags", "priority", "user",
                "application-type", "flink", "program", "parallelism", "args", "session",
                *_DRIVER_KEYS)
_CLUSTER_KEYS_OF_DEPLOY = ("name", "queue", "tags", "priority", "user", "application-type")
_SUBMIT_KEYS = ("cluster", "program", "name", "parallelism", "args", "detached", "flink")
_ACTIONS = ("deploy", "submit", "cancel", "kill-app", "stop-cluster", "kill-container",
            "fail-task", "lose-node", "stop-node")
_APP_KEYS = ("at", "optional", "app", "state", "final-status", "queue", "priority", "tags", "type",
             "user", "diagnostics", "attempts")
_JOB_KEYS = ("at", "optional", "job", "state", "restarts", "slots")
_SUBJECTS = ("app", "taskmanagers", "containers", "job", "jobs", "staging", "metrics",
             "log-contains")
_APP_STATES = tuple(state.value for state in YarnApplicationState)
_FINAL_STATUSES = tuple(status.value for status in FinalApplicationStatus)
_JOB_STATES = tuple(state.value for state in JobStatus)
METRIC_ALIASES = {"pendingContainers": "containersPending",
                  "allocatedContainers": "containersAllocated",
                  "reservedContainers": "containersReserved"}
"""QueueMetrics' names (``PendingContainers``, …) for ``/ws/v1/cluster/metrics``' container
fields: the vocabulary file writes ``pendingContainers``."""


def read_scenario(path):
    """
    :return: the :class:`~flinkyarn.scenario.model.Scenario` in the file at ``path``.
    :raise ScenarioError: for the first thing wrong with it, with its line.
    """
    return _Reader(str(path)).scenario(load_yaml(path))


def scenario_yarn_configuration(cluster):
    """:return: the :class:`~yarnemu.config.YarnConfiguration` a ``cluster:`` block describes."""
    values = {key: _yarn_text(value) for key, value in cluster.yarn.items()}
    values["yarn.resourcemanager.scheduler.class"] = _SCHEDULERS[cluster.scheduler]
    if cluster.queues:
        values.update(_queue_keys("root", cluster.queues))
    return YarnConfiguration(values)


def _queue_keys(parent, queues):
    keys = {f"yarn.scheduler.capacity.{parent}.queues": ",".join(q.name for q in queues)}
    for queue in queues:
        path = f"{parent}.{queue.name}"
        keys[f"yarn.scheduler.capacity.{path}.capacity"] = str(queue.capacity)
        for key, value in queue.settings.items():
            keys[f"yarn.scheduler.capacity.{path}.{key}"] = _yarn_text(value)
        if queue.children:
            keys.update(_queue_keys(path, queue.children))
    return keys


def _yarn_text(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


class _Reader:
    """Reads one file; every ``_…`` method raises :class:`ScenarioError` at the right line."""

    def __init__(self, path):
        self.path = path
        self.directory = os.path.dirname(os.path.abspath(path))

    def fail(self, line, message):
        raise ScenarioError(self.path, line, message)

    # Generic shapes

    def mapping(self, node, what, allowed):
        if not node.is_mapping:
            self.fail(node.line, f"{what} must be a mapping of keys to values, "
                                 f"not {_kind(node.value)}")
        for key, line in node.key_lines.items():
            if key not in allowed:
                self.fail(line, _unknown(key, what, allowed))
        return node.value

    def sequence(self, node, what):
        if not node.is_sequence:
            self.fail(node.line, f"{what} must be a list (items starting with '- '), "
                                 f"not {_kind(node.value)}")
        return node.value

    def convert(self, node, what, convert):
        try:
            return convert(node.value)
        except ValueError as error:
            self.fail(node.line, f"{what}: {error}")

    def get(self, fields, key, what, convert, default=None, required=False, line=None):
        node = fields.get(key)
        if node is None:
            if required:
                self.fail(line, f"{what} needs '{key}'")
            return default
        return self.convert(node, f"{key} of {what}", convert)

    # The file

    def scenario(self, root):
        fields = self.mapping(root, "the scenario", _TOP_KEYS)
        name = self.get(fields, "name", "the scenario", _text,
                        default=os.path.splitext(os.path.basename(self.path))[0])
        seed = self.get(fields, "seed", "the scenario", _integer(0), default=0)
        run_until = self.get(fields, "run-until", "the scenario", _positive_duration,
                             default=DEFAULT_RUN_UNTIL_MS)
        cluster = self.cluster(fields.get("cluster"))
        flink = self.flink_config(fields.get("flink"), "the flink block")
        steps = self.steps(fields.get("steps"), run_until, cluster)
        scenario = Scenario(self.path, name, seed, run_until, cluster, flink, steps, ())
        expectations = self.expectations(fields.get("expect"), scenario)
        return Scenario(self.path, name, seed, run_until, cluster, flink, steps, expectations)

    # cluster:

    def cluster(self, node):
        if node is None:
            return ClusterSpec("capacity", (), (NodeGroup(3),), {})
        fields = self.mapping(node, "cluster", _CLUSTER_KEYS)
        scheduler = self.get(fields, "scheduler", "cluster", _choice(tuple(_SCHEDULERS)),
                             default="capacity")
        queues = ()
        if "queues" in fields:
            if scheduler != "capacity":
                self.fail(node.key_lines["queues"],
                          f"queues are for the capacity scheduler; this cluster's scheduler is "
                          f"{scheduler}")
            queues = self.queues(fields["queues"], "cluster.queues")
        groups = self.node_groups(fields.get("nodes"))
        yarn = {}
        if "yarn" in fields:
            yarn_node = fields["yarn"]
            yarn = self.mapping(yarn_node, "cluster.yarn", _Anything())
            for key, value in yarn.items():
                if value.is_mapping or value.is_sequence or value.value is None:
                    self.fail(value.line, f"yarn-site key {key} needs a single value")
            yarn = {key: value.value for key, value in yarn.items()}
        spec = ClusterSpec(scheduler, queues, groups, yarn)
        self.check_yarn(spec, node, fields)
        return spec

    def queues(self, node, what):
        entries = self.mapping(node, what, _Anything())
        if not entries:
            self.fail(node.line, f"{what} is empty: name at least one queue")
        queues = []
        for name, queue_node in entries.items():
            where = f"queue {name}"
            if "." in name or not name.strip():
                self.fail(node.key_lines[name], f"a queue name cannot be empty or hold '.': "
                                                f"{name!r}")
            fields = self.mapping(queue_node, where, _QUEUE_KEYS)
            capacity = self.get(fields, "capacity", where, _percent, required=True,
                                line=queue_node.line)
            settings = {}
            for key in _QUEUE_KEYS[1:-1]:
                if key in fields:
                    value = fields[key]
                    if value.is_mapping or value.is_sequence:
                        self.fail(value.line, f"{key} of {where} must be a single value")
                    settings[key] = value.value
            children = ()
            if "queues" in fields:
                children = self.queues(fields["queues"], f"the child queues of {name}")
            queues.append(QueueSpec(name, capacity, settings, children))
        return tuple(queues)

    def node_groups(self, node):
        if node is None:
            return (NodeGroup(3),)
        items = self.sequence(node, "cluster.nodes")
        if not items:
            self.fail(node.line, "cluster.nodes is empty: a cluster needs at least one node group")
        groups, hosts = [], {}
        for item in items:
            fields = self.mapping(item, "a node group", _NODE_KEYS)
            group = NodeGroup(
                count=self.get(fields, "count", "a node group", _integer(1), required=True,
                               line=item.line),
                memory_mb=self.get(fields, "memory-mb", "a node group", _positive_size),
                vcores=self.get(fields, "vcores", "a node group", _integer(1)),
                rack=self.get(fields, "rack", "a node group", _rack, default="/default-rack"),
                name_prefix=self.get(fields, "name-prefix", "a node group", _host_prefix,
                                     default="node"),
            )
            for index in range(group.count):
                host = f"{group.name_prefix}-{index}"
                if host in hosts:
                    self.fail(item.line, f"this group's node {host} clashes with the group on "
                                         f"line {hosts[host]}: give the groups different "
                                         "name-prefix values")
                hosts[host] = item.line
            groups.append(group)
        return tuple(groups)

    def check_yarn(self, spec, node, fields):
        """Refuse what the ResourceManager would refuse: bad yarn-site values, a bad queue tree."""
        try:
            config = scenario_yarn_configuration(spec)
            if spec.scheduler == "capacity":
                read_queue_tree(config)
        except ConfigurationException as error:
            message = str(error)
            line = node.line
            if "yarn" in fields:
                for key, key_line in fields["yarn"].key_lines.items():
                    if key in message:
                        line = key_line
                        break
                else:
                    line = (_queue_line(fields["queues"], message) if "queues" in fields
                            else node.line)
            elif "queues" in fields:
                line = _queue_line(fields["queues"], message)
            self.fail(line, f"the ResourceManager would refuse this cluster: {message}")

    # flink:

    def flink_config(self, node, what):
        if node is None:
            return {}
        entries = self.mapping(node, what, _Anything())
        values = {}
        for key, value in entries.items():
            if value.is_mapping or value.value is None:
                self.fail(value.line, f"Flink option {key} in {what} needs a value (a single "
                                      "value or a list)")
            values[key] = _flink_text(value.plain())
        try:
            Configuration(values).validate()
        except IllegalConfigurationException as error:
            problem = error.problems[0]
            line = next((node.key_lines[key] for key in entries if key in problem), node.line)
            self.fail(line, f"Flink would refuse this configuration: {problem}")
        return values

    # steps:

    def steps(self, node, run_until, cluster):
        if node is None:
            return ()
        hosts = {f"{g.name_prefix}-{i}" for g in cluster.node_groups for i in range(g.count)}
        items = self.sequence(node, "steps")
        # Deploys first, so that steps may name a cluster whatever the order they are written in;
        # what matters is when each step happens.
        deploys = [item for item in items if item.is_mapping and "deploy" in item.value]
        # A driver in a session names a deployment: read the deployments first.
        deploys.sort(key=lambda item: "session" in item.value)
        deployed, steps = {}, {}
        for item in deploys:
            step = self.step(item, run_until, deployed, hosts)
            if step.action.name:
                deployed[step.action.name] = step
            steps[id(item)] = step
        for item in items:
            if id(item) not in steps:
                steps[id(item)] = self.step(item, run_until, deployed, hosts)
        # In time order; at the same time, deploys first, then as written.
        order = {id(item): index for index, item in enumerate(items)}
        return tuple(step for _, step in sorted(
            ((order[key], step) for key, step in steps.items()),
            key=lambda pair: (pair[1].at_ms, not isinstance(pair[1].action, Deploy), pair[0])))

    def step(self, item, run_until, deployed, hosts):
        if not item.is_mapping:
            self.fail(item.line, f"a step must be a mapping with 'at' and an action, "
                                 f"not {_kind(item.value)}")
        actions = [key for key in item.value if key in _ACTIONS]
        if not actions:
            unknown = [key for key in item.value if key != "at"]
            if unknown:
                self.fail(item.key_lines[unknown[0]], _unknown(unknown[0], "a step",
                                                               ("at",) + _ACTIONS))
            self.fail(item.line, f"this step has no action: give one of {', '.join(_ACTIONS)}")
        if len(actions) > 1:
            self.fail(item.key_lines[actions[1]],
                      f"a step does one thing: this one has both '{actions[0]}' and "
                      f"'{actions[1]}'; make them two steps")
        kind = actions[0]
        fields = item.value
        if kind != "deploy":
            self.mapping(item, f"a {kind} step", ("at", kind))
        if "at" not in fields:
            self.fail(item.line, f"this {kind} step needs 'at' (when it happens, e.g. at: 30s)")
        at = self.convert(fields["at"], f"'at' of this {kind} step", parse_duration_ms)
        if at > run_until:
            self.fail(fields["at"].line, f"this step is at {format_duration(at)}, after "
                                         f"run-until ({format_duration(run_until)})")
        if kind == "deploy":
            action = self.deploy(item, deployed, at)
        else:
            action = getattr(self, "step_" + kind.replace("-", "_"))(fields[kind], at, deployed,
                                                                     hosts)
        return Step(at, action, item.line)

    def deploy(self, item, deployed, at):
        fields = self.mapping(item, "a deploy step", _DEPLOY_KEYS)
        what = "this deploy step"
        mode = self.get(fields, "deploy", what, _choice(DEPLOY_MODES))
        session = None
        if mode != DRIVER:
            for key in ("session", *_DRIVER_KEYS):
                if key in fields:
                    self.fail(item.key_lines[key], f"'{key}' is for a driver (deploy: driver); "
                                                   f"this step deploys a {mode} cluster")
        elif "session" in fields:
            session = self.cluster_ref(fields["session"], at, deployed,
                                       "this driver deploy step", key="session",
                                       session_only=True)
            for key in _CLUSTER_KEYS_OF_DEPLOY:
                if key in fields:
                    self.fail(item.key_lines[key], f"a driver in session {session} deploys no "
                                                   f"cluster: '{key}' has nothing to apply to "
                                                   "(expectations name the session)")
        name = self.get(fields, "name", what, _text)
        if name is not None and name in deployed:
            self.fail(item.key_lines["name"], f"the name {name} is taken by the deploy step on "
                                              f"line {deployed[name].line}")
        program = self.get(fields, "program", what, _program(self.directory))
        if mode == SESSION:
            for key in ("program", "parallelism", "args"):
                if key in fields:
                    self.fail(item.key_lines[key], f"a session runs no program of its own: "
                                                   f"'{key}' belongs in a submit step")
        elif program is None:
            self.fail(item.line, f"a {mode} deployment needs 'program' (a built-in such as "
                                 "wordcount, or path/to/file.py:main)")
        return Deploy(
            mode=mode, name=name,
            queue=self.get(fields, "queue", what, _text),
            detached=self.get(fields, "detached", what, _boolean),
            tags=tuple(self.get(fields, "tags", what, _text_list, default=())),
            priority=self.get(fields, "priority", what, _integer(0)),
            user=self.get(fields, "user", what, _user, default="flink"),
            application_type=self.get(fields, "application-type", what, _text),
            flink=self.flink_config(fields["flink"], "this deploy step's flink block")
            if "flink" in fields else {},
            program=program,
            parallelism=self.get(fields, "parallelism", what, _integer(1)),
            args=self.get(fields, "args", what, _args, default=()),
            session=session,
            driver=DriverResources(
                heap_mb=self.get(fields, "driverheapmemory", what, _driver_memory(1)),
                direct_mb=self.get(fields, "driverdirectmemory", what, _driver_memory(0)),
                cpus=self.get(fields, "drivercpus", what, _driver_cpus),
                native_mb=self.get(fields, "drivernativememory", what, _driver_memory(0)),
            ) if mode == DRIVER else None,
        )

    def cluster_ref(self, node, at, deployed, what, key="cluster", session_only=False):
        """:return: the cluster a step names, checked to be deployed by then."""
        name = self.convert(node, f"{key} of {what}", _text)
        step = deployed.get(name)
        if step is None:
            known = ", ".join(sorted(deployed)) or "none"
            self.fail(node.line, f"{what} names {key} {name!r}, which no deploy step deploys "
                                 f"(the scenario deploys: {known})")
        if step.at_ms > at:
            self.fail(node.line, f"{what} at {format_duration(at)} names {name!r}, which is "
                                 f"deployed only at {format_duration(step.at_ms)}")
        if session_only and step.action.mode != SESSION:
            self.fail(node.line, f"{what} needs a session: {name!r} is a {step.action.mode} "
                                 "cluster, which runs only its own program")
        return name

    def step_submit(self, node, at, deployed, hosts):
        what = "this submit step"
        fields = self.mapping(node, what, _SUBMIT_KEYS)
        if "cluster" not in fields:
            self.fail(node.line, f"{what} needs 'cluster' (the session's name)")
        return Submit(
            cluster=self.cluster_ref(fields["cluster"], at, deployed, what, session_only=True),
            program=self.get(fields, "program", what, _program(self.directory), required=True,
                             line=node.line),
            name=self.get(fields, "name", what, _text),
            parallelism=self.get(fields, "parallelism", what, _integer(1)),
            args=self.get(fields, "args", what, _args, default=()),
            detached=self.get(fields, "detached", what, _boolean, default=True),
            flink=self.flink_config(fields["flink"], "this submit step's flink block")
            if "flink" in fields else {},
        )

    def _cluster_and_job(self, node, at, deployed, kind, allowed):
        what = f"this {kind} step"
        fields = self.mapping(node, what, allowed)
        for key in ("cluster", "job"):
            if key in allowed and key not in fields:
                self.fail(node.line, f"{what} needs '{key}'")
        return what, fields, self.cluster_ref(fields["cluster"], at, deployed, what)

    def step_cancel(self, node, at, deployed, hosts):
        _, fields, cluster = self._cluster_and_job(node, at, deployed, "cancel",
                                                   ("cluster", "job"))
        return Cancel(cluster, self.convert(fields["job"], "job of this cancel step", _text))

    def step_fail_task(self, node, at, deployed, hosts):
        what, fields, cluster = self._cluster_and_job(node, at, deployed, "fail-task",
                                                      ("cluster", "job", "vertex", "subtask"))
        return FailTask(cluster, self.convert(fields["job"], f"job of {what}", _text),
                        self.get(fields, "vertex", what, _vertex, default=0),
                        self.get(fields, "subtask", what, _integer(0), default=0))

    def step_kill_container(self, node, at, deployed, hosts):
        what, fields, cluster = self._cluster_and_job(node, at, deployed, "kill-container",
                                                      ("cluster", "role", "index"))
        return KillContainer(cluster,
                             self.get(fields, "role", what, _choice(ROLES), required=True,
                                      line=node.line),
                             self.get(fields, "index", what, _integer(0), default=0))

    def step_stop_cluster(self, node, at, deployed, hosts):
        what = "this stop-cluster step"
        fields = self.mapping(node, what, ("cluster",))
        if "cluster" not in fields:
            self.fail(node.line, f"{what} needs 'cluster'")
        return StopCluster(self.cluster_ref(fields["cluster"], at, deployed, what))

    def step_kill_app(self, node, at, deployed, hosts):
        what = "this kill-app step"
        fields = self.mapping(node, what, ("app",))
        if "app" not in fields:
            self.fail(node.line, f"{what} needs 'app' (a deploy step's name)")
        return KillApp(self.cluster_ref(fields["app"], at, deployed, what, key="app"))

    def _node_ref(self, node, hosts, kind):
        what = f"this {kind} step"
        fields = self.mapping(node, what, ("node",))
        if "node" not in fields:
            self.fail(node.line, f"{what} needs 'node' (a NodeManager's host, e.g. node-0)")
        host = self.convert(fields["node"], f"node of {what}", _text)
        if host not in hosts:
            self.fail(fields["node"].line, f"the cluster has no node {host!r} (its nodes: "
                                           f"{_host_summary(hosts)})")
        return host

    def step_lose_node(self, node, at, deployed, hosts):
        return LoseNode(self._node_ref(node, hosts, "lose-node"))

    def step_stop_node(self, node, at, deployed, hosts):
        return StopNode(self._node_ref(node, hosts, "stop-node"))

    # expect:

    def expectations(self, node, scenario):
        if node is None:
            return ()
        names = scenario.deploys()
        return tuple(self.expectation(item, scenario, names)
                     for item in self.sequence(node, "expect"))

    def expectation(self, item, scenario, names):
        if not item.is_mapping:
            self.fail(item.line, f"an expectation must be a mapping, not {_kind(item.value)}")
        fields = item.value
        subjects = [key for key in fields if key in _SUBJECTS]
        if not subjects:
            unknown = [key for key in fields if key not in ("at", "optional")]
            if unknown:
                self.fail(item.key_lines[unknown[0]],
                          _unknown(unknown[0], "an expectation", ("at", "optional") + _SUBJECTS))
            self.fail(item.line, f"this expectation checks nothing: give one of "
                                 f"{', '.join(_SUBJECTS)}")
        if len(subjects) > 1:
            self.fail(item.key_lines[subjects[1]],
                      f"an expectation checks one thing: this one has both '{subjects[0]}' and "
                      f"'{subjects[1]}'; make them two")
        subject = subjects[0]
        optional = self.get(fields, "optional", "this expectation", _boolean, default=False)
        at = None
        if "at" in fields and fields["at"].value != "end":
            at = self.convert(fields["at"], "'at' of this expectation (a duration or end)",
                              parse_duration_ms)
            if at > scenario.run_until_ms:
                self.fail(fields["at"].line,
                          f"this expectation is at {format_duration(at)}, after run-until "
                          f"({format_duration(scenario.run_until_ms)})")
        check = getattr(self, "expect_" + subject.replace("-", "_"))(item, fields)
        for key in ("app", "cluster"):
            name = getattr(check, key, None)
            if name is not None and name not in names and not optional:
                line = fields[subject].line
                known = ", ".join(sorted(names)) or "none"
                self.fail(line, f"this expectation names {key} {name!r}, which no deploy step "
                                f"deploys (deployed: {known}); mark it optional: true if that "
                                "is intended")
        return Expectation(at, check, item.line, optional)

    def expect_app(self, item, fields):
        what = "this app expectation"
        self.mapping(item, what, _APP_KEYS)
        return AppCheck(
            app=self.convert(fields["app"], f"app of {what}", _text),
            state=self.get(fields, "state", what, _choice(_APP_STATES)),
            final_status=self.get(fields, "final-status", what, _choice(_FINAL_STATUSES)),
            queue=self.get(fields, "queue", what, _text),
            priority=self.get(fields, "priority", what, _comparison),
            tags=self.get(fields, "tags", what, _text_list),
            type=self.get(fields, "type", what, _text),
            user=self.get(fields, "user", what, _text),
            diagnostics=self.get(fields, "diagnostics", what, _text),
            attempts=self.get(fields, "attempts", what, _comparison),
        )

    def _subject_block(self, item, fields, subject, allowed, required):
        self.mapping(item, f"this {subject} expectation", ("at", "optional", subject))
        what = f"this {subject} expectation"
        block = self.mapping(fields[subject], what, allowed)
        for key in required:
            if key not in block:
                self.fail(fields[subject].line, f"{what} needs '{key}'")
        return what, block

    def expect_taskmanagers(self, item, fields):
        what, block = self._subject_block(item, fields, "taskmanagers",
                                          ("cluster", "count", "slots-each"), ("cluster",))
        return TaskManagersCheck(self.get(block, "cluster", what, _text),
                                 self.get(block, "count", what, _comparison),
                                 self.get(block, "slots-each", what, _comparison))

    def expect_containers(self, item, fields):
        what, block = self._subject_block(item, fields, "containers",
                                          ("app", "role", "count", "memory-mb", "vcores"),
                                          ("app",))
        return ContainersCheck(self.get(block, "app", what, _text),
                               self.get(block, "role", what, _choice(ROLES)),
                               self.get(block, "count", what, _comparison),
                               self.get(block, "memory-mb", what, _size_comparison),
                               self.get(block, "vcores", what, _comparison))

    def expect_job(self, item, fields):
        what = "this job expectation"
        self.mapping(item, what, _JOB_KEYS)
        block = self.mapping(fields["job"], what, ("cluster", "name"))
        for key in ("cluster", "name"):
            if key not in block:
                self.fail(fields["job"].line, f"{what} needs '{key}' in job: {{cluster, name}}")
        return JobCheck(self.get(block, "cluster", what, _text),
                        self.get(block, "name", what, _text),
                        self.get(fields, "state", what, _choice(_JOB_STATES)),
                        self.get(fields, "restarts", what, _comparison),
                        self.get(fields, "slots", what, _comparison))

    def expect_jobs(self, item, fields):
        what, block = self._subject_block(item, fields, "jobs", ("cluster", "state", "count"),
                                          ("cluster", "count"))
        return JobsCheck(self.get(block, "cluster", what, _text),
                         self.get(block, "count", what, _comparison),
                         self.get(block, "state", what, _choice(_JOB_STATES)))

    def expect_staging(self, item, fields):
        what, block = self._subject_block(item, fields, "staging", ("app", "exists"),
                                          ("app", "exists"))
        return StagingCheck(self.get(block, "app", what, _text),
                            self.get(block, "exists", what, _boolean))

    def expect_metrics(self, item, fields):
        what, block = self._subject_block(item, fields, "metrics",
                                          METRIC_NAMES + tuple(METRIC_ALIASES), ())
        if not block:
            self.fail(fields["metrics"].line, f"{what} names no metric")
        return MetricsCheck(tuple((name, self.get(block, name, what, _comparison))
                                  for name in block))

    def expect_log_contains(self, item, fields):
        what, block = self._subject_block(item, fields, "log-contains", ("cluster", "text"),
                                          ("text",))
        return LogCheck(self.get(block, "text", what, _text),
                        self.get(block, "cluster", what, _text))


# Value converters: each takes a YAML scalar and returns the value or raises ValueError.


class _Anything(tuple):
    """Allowed keys of a free-form mapping: any key."""

    def __contains__(self, key):
        return True


def _kind(value):
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing (an empty value)"
    return f"{value!r}"


def _unknown(key, what, allowed):
    close = difflib.get_close_matches(key, list(allowed), n=1)
    hint = f" (did you mean '{close[0]}'?)" if close else ""
    return f"unknown key '{key}' in {what}{hint}; known keys: {', '.join(allowed)}"


def _text(value):
    if isinstance(value, bool) or value is None or isinstance(value, (dict, list)):
        raise ValueError(f"expected text, got {_kind(value)}")
    text = str(value).strip()
    if not text:
        raise ValueError("expected text, got an empty value")
    return text


def _user(value):
    text = _text(value)
    if any(c.isspace() for c in text) or "/" in text:
        raise ValueError(f"not a user name: {text!r}")
    return text


def _integer(minimum):
    def convert(value):
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"expected a whole number, got {_kind(value)}")
        if value < minimum:
            raise ValueError(f"must be at least {minimum}, got {value}")
        return value
    return convert


def _boolean(value):
    if not isinstance(value, bool):
        raise ValueError(f"expected true or false, got {_kind(value)}")
    return value


def _percent(value):
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"expected a percentage (0 to 100), got {_kind(value)}")
    if not 0 <= value <= 100:
        raise ValueError(f"a percentage is between 0 and 100, got {value}")
    return value


def _choice(options):
    def convert(value):
        text = _text(value)
        if text not in options:
            close = difflib.get_close_matches(text, list(options), n=1)
            hint = f" (did you mean {close[0]}?)" if close else ""
            raise ValueError(f"{text!r} is not one of {', '.join(options)}{hint}")
        return text
    return convert


def _positive_duration(value):
    duration = parse_duration_ms(value)
    if duration <= 0:
        raise ValueError("must be longer than 0s")
    return duration


def _positive_size(value):
    size = parse_size_mb(value)
    if size <= 0:
        raise ValueError("must be more than 0 MB")
    return size


def _rack(value):
    text = _text(value)
    if not text.startswith("/"):
        raise ValueError(f"a rack is a path such as /rack1, got {text!r}")
    return text


def _host_prefix(value):
    text = _text(value)
    if not all(c.isalnum() or c in "-." for c in text):
        raise ValueError(f"a host name prefix holds letters, digits, '-' and '.', got {text!r}")
    return text


def _text_list(value):
    if isinstance(value, str):
        return tuple(part.strip() for part in value.split(",") if part.strip())
    if not isinstance(value, list):
        raise ValueError(f"expected a list of text, got {_kind(value)}")
    return tuple(_text(item.value if hasattr(item, "value") else item) for item in value)


def _args(value):
    """``{records: 200000}`` → ``("--records", "200000")``; a list is taken as written."""
    if isinstance(value, dict):
        result = []
        for key, item in value.items():
            item = item.value if hasattr(item, "value") else item
            if isinstance(item, (dict, list)):
                raise ValueError(f"argument {key} must be a single value")
            result.append(f"--{key}")
            if item is not True:
                result.append(_flink_text(item))
        return tuple(result)
    if isinstance(value, list):
        return tuple(_flink_text(item.value if hasattr(item, "value") else item)
                     for item in value)
    if isinstance(value, str):
        return tuple(value.split())
    raise ValueError(f"expected a mapping such as {{records: 1000}} or a list, got {_kind(value)}")


def _program(directory):
    """A built-in program name, or ``file.py[:function]`` found from here or beside the file."""

    def convert(value):
        text = _text(value)
        if text in BUILTIN_PROGRAMS:
            return text
        path, _, function = text.partition(":")
        if not path.endswith(".py"):
            raise ValueError(f"{text!r} is neither a built-in program "
                             f"({', '.join(sorted(BUILTIN_PROGRAMS))}) nor path/to/file.py:main")
        for candidate in (path, os.path.join(directory, path)):
            if os.path.isfile(candidate):
                found = os.path.abspath(candidate)
                return f"{found}:{function}" if function else found
        raise ValueError(f"program file {path} not found (looked in the current directory and "
                         f"in {directory})")
    return convert


def _driver_memory(minimum):
    """A driver memory option: a size (``512m``, ``1g``, ``1024``), in whole MB."""
    def convert(value):
        size = parse_size_mb(value)
        if not minimum <= size <= MAX_MEMORY_MB:
            raise ValueError(f"must be from {minimum} to {MAX_MEMORY_MB} MB, got {size}")
        return size
    return convert


def _driver_cpus(value):
    """``drivercpus``: a positive number of cores."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"expected a number of cores such as 1 or 0.5, got {_kind(value)}")
    if not 0 < value <= 1_000_000:
        raise ValueError(f"must be a positive number of cores, got {value}")
    return float(value)


def _vertex(value):
    if isinstance(value, bool):
        raise ValueError("expected a vertex index or name")
    if isinstance(value, int):
        if value < 0:
            raise ValueError(f"a vertex index is at least 0, got {value}")
        return value
    return _text(value)


def _comparison(value):
    if isinstance(value, (dict, list)):
        raise ValueError(f"expected a value or a comparison such as '>= 1', got {_kind(value)}")
    return Comparison.parse(value)


def _size_comparison(value):
    if isinstance(value, (dict, list)):
        raise ValueError(f"expected a size or a comparison such as '>= 1024', got {_kind(value)}")
    return Comparison.parse(value, parse_size_mb)


def _flink_text(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ";".join(_flink_text(item) for item in value)
    return str(value)


def _queue_line(queues, message):
    """
    :return: the line of the ``queues:`` block the RM's ``message`` is about: the children of
        the deepest queue path (``root.a.b``) it names, else the top-level block.
    """
    line = queues.line
    best = []
    for match in re.finditer(r"root(?:\.[\w-]+)*", message):
        path = match.group(0).split(".")[1:]
        if len(path) > len(best):
            best = path
    block = queues
    for name in best:
        queue = block.value.get(name) if block.is_mapping else None
        if queue is None or not queue.is_mapping:
            break
        line = queue.line
        children = queue.value.get("queues")
        if children is None:
            break
        block = children
        line = children.line
    return line


def _host_summary(hosts):
    ordered = sorted(hosts)
    if len(ordered) > 6:
        return ", ".join(ordered[:5]) + f", … ({len(ordered)} in all)"
    return ", ".join(ordered)
