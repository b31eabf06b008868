"""
A scenario, read and checked: plain immutable values (:class:`Scenario` and what it holds), built
by :func:`~flinkyarn.scenario.reader.read_scenario` and run by
:class:`~flinkyarn.scenario.runner.ScenarioRunner`.

Every step and expectation keeps the line it was written on, so that timelines and reports can
point back into the file.  Times are virtual milliseconds since the run started.
"""

from attrs import field, frozen

__all__ = [
    "Scenario", "ClusterSpec", "QueueSpec", "Step", "Expectation",
    "Deploy", "Submit", "Cancel", "KillApp", "StopCluster", "KillContainer", "FailTask",
    "LoseNode", "StopNode",
    "AppCheck", "TaskManagersCheck", "ContainersCheck", "JobCheck", "JobsCheck",
    "StagingCheck", "MetricsCheck", "LogCheck",
    "SESSION", "PER_JOB", "APPLICATION", "DRIVER", "DEPLOY_MODES", "JOBMANAGER", "TASKMANAGER",
    "ROLES",
]

SESSION, PER_JOB, APPLICATION, DRIVER = "session", "per-job", "application", "driver"
DEPLOY_MODES = (SESSION, PER_JOB, APPLICATION, DRIVER)
JOBMANAGER, TASKMANAGER = "jobmanager", "taskmanager"
ROLES = (JOBMANAGER, TASKMANAGER)


@frozen
class QueueSpec:
    """A capacity-scheduler queue: the ``cluster.queues`` entry named ``name``."""

    name: str
    capacity: float
    settings: dict = field(factory=dict)
    """Other queue keys as written (``maximum-capacity``, ``user-limit-factor``, …)."""
    children: tuple = ()


@frozen
class ClusterSpec:
    """
    The ``cluster:`` block.

    :ivar str scheduler: ``fifo`` or ``capacity``.
    :ivar tuple queues: top-level :class:`QueueSpec` values (under ``root``).
    :ivar tuple node_groups: :class:`~yarnemu.cluster.NodeGroup` values.
    :ivar dict yarn: yarn-site keys → values as written.
    """

    scheduler: str
    queues: tuple
    node_groups: tuple
    yarn: dict


# Steps


@frozen
class Deploy:
    """
    Deploy a Flink cluster: ``mode`` is ``session``, ``per-job``, ``application`` or ``driver``
    (FLIP-40: the program's ``main()`` runs in a driver job — in the deployment ``session``
    names, or else in a per-job cluster of its own, ``name``).

    :ivar session: a driver's session (the name of a session deployment), or ``None``.
    :ivar driver: a driver's :class:`~flinkyarn.driver.DriverResources` (``driverheapmemory``,
        ``driverdirectmemory``, ``drivercpus``, ``drivernativememory``), or ``None``.
    """

    mode: str
    name: str | None
    queue: str | None = None
    detached: bool | None = None
    tags: tuple = ()
    priority: int | None = None
    user: str = "flink"
    application_type: str | None = None
    flink: dict = field(factory=dict)
    program: str | None = None
    parallelism: int | None = None
    args: tuple = ()
    session: str | None = None
    driver: object = None

    def describe(self):
        if self.mode == DRIVER and self.session is not None:
            return f"deploy driver running {self.program} on {self.session}"
        what = f"deploy {self.mode} cluster {self.name or '(unnamed)'}"
        return f"{what} running {self.program}" if self.program else what


@frozen
class Submit:
    """Run a program against a session: its jobs go to the session's Dispatcher."""

    cluster: str
    program: str
    name: str | None = None
    parallelism: int | None = None
    args: tuple = ()
    detached: bool = True
    flink: dict = field(factory=dict)

    def describe(self):
        label = f" as {self.name}" if self.name else ""
        return f"submit {self.program}{label} to {self.cluster}"


@frozen
class Cancel:
    cluster: str
    job: str

    def describe(self):
        return f"cancel job {self.job} of {self.cluster}"


@frozen
class KillApp:
    """``yarn application -kill``: the RM kills the application."""

    app: str

    def describe(self):
        return f"kill application {self.app}"


@frozen
class StopCluster:
    """A graceful shutdown of a Flink cluster, as ``DELETE /cluster``."""

    cluster: str

    def describe(self):
        return f"stop cluster {self.cluster}"


@frozen
class KillContainer:
    """Kill the process of the ``index``-th running container of ``role`` (by container id)."""

    cluster: str
    role: str
    index: int = 0

    def describe(self):
        return f"kill {self.role} container #{self.index} of {self.cluster}"


@frozen
class FailTask:
    """Make subtask ``subtask`` of job vertex ``vertex`` (an index or a name) throw."""

    cluster: str
    job: str
    vertex: object = 0
    subtask: int = 0

    def describe(self):
        return f"fail subtask {self.subtask} of vertex {self.vertex} of job {self.job}"


@frozen
class LoseNode:
    """The machine dies: heartbeats stop; the RM marks it LOST when its liveness expires."""

    node: str

    def describe(self):
        return f"lose node {self.node}"


@frozen
class StopNode:
    """The NodeManager shuts down gracefully: its containers are killed, the node is SHUTDOWN."""

    node: str

    def describe(self):
        return f"stop node {self.node}"


@frozen
class Step:
    """An action at virtual time ``at_ms``, written on ``line``."""

    at_ms: int
    action: object
    line: int

    @property
    def kind(self):
        return _ACTION_NAMES[type(self.action)]


_ACTION_NAMES = {Deploy: "deploy", Submit: "submit", Cancel: "cancel", KillApp: "kill-app",
                 StopCluster: "stop-cluster", KillContainer: "kill-container",
                 FailTask: "fail-task", LoseNode: "lose-node", StopNode: "stop-node"}


# Expectations. Each value to check is a Comparison or an exact value; None means "not checked".


@frozen
class AppCheck:
    """The YARN application a deploy step named: its report's fields."""

    app: str
    state: str | None = None
    final_status: str | None = None
    queue: str | None = None
    priority: object = None
    tags: tuple | None = None
    type: str | None = None
    user: str | None = None
    diagnostics: str | None = None
    attempts: object = None


@frozen
class TaskManagersCheck:
    """The TaskManagers registered with a Flink cluster's ResourceManager."""

    cluster: str
    count: object = None
    slots_each: object = None


@frozen
class ContainersCheck:
    """An application's running containers (of ``role``, when given)."""

    app: str
    role: str | None = None
    count: object = None
    memory_mb: object = None
    vcores: object = None


@frozen
class JobCheck:
    """
    One Flink job, by the name a submit step gave it or by its job name.

    :ivar slots: the slots it holds now (a :class:`~flinkyarn.scenario.values.Comparison`), as
        the JobManager's ``/taskmanagers/<id>`` list them allocated to it.
    """

    cluster: str
    name: str
    state: str | None = None
    restarts: object = None
    slots: object = None


@frozen
class JobsCheck:
    """How many jobs a Flink cluster ran (in ``state``, when given)."""

    cluster: str
    count: object
    state: str | None = None


@frozen
class StagingCheck:
    """Whether an application's ``.flink/<applicationId>`` staging directory exists."""

    app: str
    exists: bool


@frozen
class MetricsCheck:
    """Cluster metrics (``/ws/v1/cluster/metrics`` names) → expected values."""

    values: tuple


@frozen
class LogCheck:
    """A log line containing ``text`` (from ``cluster``'s processes and client, when given)."""

    text: str
    cluster: str | None = None


@frozen
class Expectation:
    """
    A check at ``at_ms`` (``None``: at the end of the run), written on ``line``.  An optional
    expectation is reported but never fails the run.
    """

    at_ms: int | None
    check: object
    line: int
    optional: bool = False


@frozen
class Scenario:
    """
    A whole scenario file.

    :ivar str path: the file it was read from.
    :ivar str directory: where relative program paths are also looked up.
    :ivar run_until_ms: the latest virtual time the run may reach.
    :ivar dict flink: Flink config for every deployment.
    :ivar tuple steps: :class:`Step` values, in time order (file order at equal times).
    :ivar tuple expectations: :class:`Expectation` values, in file order.
    """

    path: str
    name: str
    seed: int
    run_until_ms: int
    cluster: ClusterSpec
    flink: dict
    steps: tuple
    expectations: tuple

    def deploys(self):
        """:return: name → :class:`Deploy` of every named deploy step."""
        return {step.action.name: step.action for step in self.steps
                if isinstance(step.action, Deploy) and step.action.name}
