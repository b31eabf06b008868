"""
Tests of ``/metrics`` on the RM web address (:class:`PrometheusMetricsResource`): Prometheus text
with the names Hadoop's Prometheus endpoint gives QueueMetrics and ClusterMetrics, scraped over
HTTP from the RM web root and checked against ``/ws/v1/cluster/metrics`` at the same moment and
against the queues' own figures.
"""

import pytest
from prometheus_client import REGISTRY
from prometheus_client.parser import text_string_to_metric_families

from yarnemu.config import FIFO_SCHEDULER
from yarnemu.programs.distributed_shell import distributed_shell_command
from yarnemu.records import RMAppState
from yarnemu.records.ids import NodeId
from yarnemu.records.states import NodeState, RMContainerState
from yarnemu.scheduler.capacity_config import queue_tree_keys
from yarnemu.web.prometheus import PrometheusMetricsResource
from yarnemu.web.rm import ResourceManagerWebApp

from ..http_harness import HttpClient
from .running_cluster import RunningCluster

EXPIRY = {"yarn.nm.liveness-monitor.expiry-interval-ms": 6000}
TWO_AMS = {"yarn.scheduler.capacity.maximum-am-resource-percent": 0.5}

# QueueMetrics name → the /ws/v1/cluster/metrics field the root queue must agree with.
ROOT_AGAINST_REST = {
    "queue_metrics_apps_submitted": "appsSubmitted",
    "queue_metrics_apps_running": "appsRunning",
    "queue_metrics_apps_pending": "appsPending",
    "queue_metrics_apps_completed": "appsCompleted",
    "queue_metrics_apps_killed": "appsKilled",
    "queue_metrics_apps_failed": "appsFailed",
    "queue_metrics_allocated_mb": "allocatedMB",
    "queue_metrics_allocated_v_cores": "allocatedVirtualCores",
    "queue_metrics_allocated_containers": "containersAllocated",
    "queue_metrics_available_mb": "availableMB",
    "queue_metrics_available_v_cores": "availableVirtualCores",
    "queue_metrics_pending_mb": "pendingMB",
    "queue_metrics_pending_v_cores": "pendingVirtualCores",
    "queue_metrics_pending_containers": "containersPending",
    "queue_metrics_reserved_mb": "reservedMB",
    "queue_metrics_reserved_v_cores": "reservedVirtualCores",
    "queue_metrics_reserved_containers": "containersReserved",
}
CLUSTER_AGAINST_REST = {
    "cluster_metrics_num_active_n_ms": "activeNodes",
    "cluster_metrics_num_lost_n_ms": "lostNodes",
    "cluster_metrics_num_unhealthy_n_ms": "unhealthyNodes",
    "cluster_metrics_num_decommissioning_n_ms": "decommissioningNodes",
    "cluster_metrics_num_decommissioned_n_ms": "decommissionedNodes",
    "cluster_metrics_num_rebooted_n_ms": "rebootedNodes",
    "cluster_metrics_num_shutdown_n_ms": "shutdownNodes",
    "cluster_metrics_capability_mb": "totalMB",
    "cluster_metrics_capability_virtual_cores": "totalVirtualCores",
}
# What the issue asks for, per queue and for the cluster.
ISSUE_QUEUE_METRICS = (
    "queue_metrics_apps_submitted", "queue_metrics_apps_running", "queue_metrics_apps_pending",
    "queue_metrics_apps_completed", "queue_metrics_apps_killed", "queue_metrics_apps_failed",
    "queue_metrics_allocated_mb", "queue_metrics_allocated_v_cores",
    "queue_metrics_allocated_containers", "queue_metrics_available_mb",
    "queue_metrics_available_v_cores", "queue_metrics_pending_mb",
    "queue_metrics_pending_v_cores", "queue_metrics_pending_containers",
)
ISSUE_CLUSTER_METRICS = ("cluster_metrics_num_active_n_ms", "cluster_metrics_num_lost_n_ms")
# Metrics that add up from child queues into their parent.
ADDITIVE = ISSUE_QUEUE_METRICS[:-5] + (
    "queue_metrics_pending_mb", "queue_metrics_pending_v_cores",
    "queue_metrics_pending_containers", "queue_metrics_active_applications",
)


class Scrape:
    """One scrape of ``/metrics``, parsed: samples by name and labels."""

    def __init__(self, response):
        assert response.status == 200
        assert response.header("Content-Type") == "text/plain; version=0.0.4; charset=utf-8"
        self.text = response.body.decode("utf-8")
        self.families = {family.name: family
                         for family in text_string_to_metric_families(self.text)}
        self.samples = [sample for family in self.families.values()
                        for sample in family.samples]

    def value(self, name, **labels):
        """:return: the value of the one sample of ``name`` with exactly these labels (besides
        ``context`` and ``hostname``)."""
        found = [s.value for s in self.samples if s.name == name and _own(s.labels) == labels]
        assert len(found) == 1, (name, labels, found)
        return found[0]

    def queue(self, path, user=None):
        """:return: metric name → value of one queue's series (or one user's in it)."""
        wanted = {"queue": path} if user is None else {"queue": path, "user": user}
        return {s.name: s.value for s in self.samples
                if s.name.startswith("queue_metrics_") and _own(s.labels) == wanted}

    def queues(self):
        return {s.labels["queue"] for s in self.samples if "queue" in s.labels}

    def users(self, path):
        return {s.labels["user"] for s in self.samples
                if s.labels.get("queue") == path and "user" in s.labels}


def _own(labels):
    return {k: v for k, v in labels.items() if k not in ("context", "hostname")}


class Web:
    """The RM web root with ``/metrics`` mounted, as the service mounts it."""

    def __init__(self, running):
        self.running = running
        root = ResourceManagerWebApp(running.rm, running.cluster.programs)
        root.putChild(b"metrics", PrometheusMetricsResource(running.rm))
        self.http = HttpClient(root)

    def scrape(self):
        return Scrape(self.http.get("/metrics"))

    def rest_metrics(self):
        response = self.http.get("/ws/v1/cluster/metrics")
        assert response.status == 200
        return response.json()["clusterMetrics"]

    def check_root_against_rest(self, root="root"):
        """Scrape and read ``/ws/v1/cluster/metrics`` at one moment; :return: both, checked."""
        scrape = self.scrape()
        rest = self.rest_metrics()
        queue = scrape.queue(root)
        assert {name: queue[name] for name in ROOT_AGAINST_REST} == {
            name: rest[field] for name, field in ROOT_AGAINST_REST.items()}
        cluster = {name: scrape.value(name, clustermetrics="ResourceManager")
                   for name in CLUSTER_AGAINST_REST}
        assert cluster == {name: rest[field] for name, field in CLUSTER_AGAINST_REST.items()}
        return scrape, rest


def running_containers(running):
    return sum(c.state is RMContainerState.RUNNING for c in running.rm.containers.values())


def test_root_and_cluster_metrics_agree_with_the_rest_metrics_as_the_cluster_runs(tmp_path):
    """Apps run, finish, fail, are killed and rejected, containers wait, a node is lost: at
    each moment the root queue and ClusterMetrics series equal ``/ws/v1/cluster/metrics``."""
    running = RunningCluster(tmp_path, nodes=3, config={**EXPIRY, **TWO_AMS})
    web = Web(running)
    scrape, rest = web.check_root_against_rest()
    assert (rest["activeNodes"], rest["totalMB"], rest["appsSubmitted"]) == (3, 3 * 8192, 0)

    finished = running.submit(distributed_shell_command(2, 512, "sleep", "60"))
    killed = running.submit(distributed_shell_command(1, 512, "sleep", "600"))
    failed = running.submit("false", max_app_attempts=1)
    rejected = running.submit("sleep 1", queue="missing")
    greedy = running.submit(distributed_shell_command(30, 1024, "sleep", "600"), user="bob")
    # 24 containers of 1024 MB fill the cluster (512 MB asks are normalized up).
    running.run_until(lambda: running_containers(running) == 24)
    scrape, rest = web.check_root_against_rest()
    assert rest["appsRunning"] == 3 and rest["containersPending"] > 0
    assert scrape.value("queue_metrics_pending_mb", queue="root") == (
        1024 * scrape.value("queue_metrics_pending_containers", queue="root")) > 0

    running.client.force_kill_application(killed)
    running.run_until(lambda: all(running.app(i).state.is_final
                                  for i in (finished, killed, failed, rejected)))
    scrape, rest = web.check_root_against_rest()
    assert running.app(greedy).state is RMAppState.RUNNING
    assert {name: scrape.value(f"queue_metrics_apps_{name}", queue="root") for name in (
        "submitted", "completed", "failed", "killed", "running", "pending")} == {
        "submitted": 4, "completed": 1, "failed": 1, "killed": 1, "running": 1, "pending": 0}

    running.cluster.node_managers["node-2"].fail()
    running.run_until(lambda: NodeId("node-2", 45454) in running.rm.inactive_nodes)
    scrape, rest = web.check_root_against_rest()
    assert running.rm.inactive_nodes[NodeId("node-2", 45454)].state is NodeState.LOST
    assert scrape.value("cluster_metrics_num_lost_n_ms", clustermetrics="ResourceManager") == 1
    assert scrape.value("cluster_metrics_num_active_n_ms", clustermetrics="ResourceManager") == 2
    assert scrape.value("cluster_metrics_capability_mb", clustermetrics="ResourceManager") == (
        2 * 8192)
    # With one leaf queue, the leaf shows what the root shows (and its active users: bob).
    leaf = scrape.queue("root.default")
    assert leaf.pop("queue_metrics_active_users") == 1
    assert leaf == scrape.queue("root")


def test_every_yarn_metric_the_issue_names_is_served_for_every_queue(tmp_path):
    running = RunningCluster(tmp_path, nodes=1, config=queue_tree_keys({
        "default": {"capacity": 40}, "etl": {"capacity": 60}}))
    scrape = Web(running).scrape()
    assert scrape.queues() == {"root", "root.default", "root.etl"}
    for path in ("root", "root.default", "root.etl"):
        assert set(ISSUE_QUEUE_METRICS) <= set(scrape.queue(path)), path
    for name in ISSUE_CLUSTER_METRICS:
        assert scrape.value(name, clustermetrics="ResourceManager") >= 0
    # HELP carries Hadoop's description; every family is a gauge named without a suffix.
    assert "# HELP queue_metrics_apps_submitted # of apps submitted\n" in scrape.text
    assert "# HELP cluster_metrics_num_lost_n_ms # of lost NMs\n" in scrape.text
    assert {family.type for family in scrape.families.values()} == {"gauge"}
    assert all(s.name == name for name, family in scrape.families.items()
               for s in family.samples)
    labels = scrape.families["queue_metrics_apps_submitted"].samples[0].labels
    assert labels == {"queue": "root", "context": "yarn", "hostname": "localhost"}


QUEUES = queue_tree_keys({
    "default": {"capacity": 50},
    "batch": {"capacity": 50, "queues": {"etl": {"capacity": 70}, "adhoc": {"capacity": 30}}},
})


def test_each_queue_and_user_has_its_own_series_adding_up_to_the_root(tmp_path):
    """Per-queue and per-user series of a queue tree (user metrics enabled): counts follow each
    application's queue and user, children add up to their parent, the root agrees with REST,
    and available resource is the queue's guarantee minus what it uses."""
    running = RunningCluster(tmp_path, nodes=2, config={
        **QUEUES, **TWO_AMS, "yarn.scheduler.capacity.user-metrics.enable": "true"})
    web = Web(running)
    running.submit(distributed_shell_command(1, 1024, "sleep", "600"), queue="default")
    running.submit(distributed_shell_command(2, 1024, "sleep", "600"), user="bob", queue="etl")
    killed = running.submit(distributed_shell_command(1, 1024, "sleep", "600"), user="carol",
                            queue="root.batch.etl")
    running.submit("sleep 600", queue="adhoc")
    failed = running.submit("false", user="bob", queue="adhoc", max_app_attempts=1)
    running.run_until(lambda: running_containers(running) == 2 + 3 + 2 + 1)
    running.client.force_kill_application(killed)
    running.run_until(lambda: running.app(killed).state.is_final
                      and running.app(failed).state.is_final)
    running.advance(5)

    scrape, rest = web.check_root_against_rest()
    assert scrape.queues() == {"root", "root.default", "root.batch", "root.batch.etl",
                               "root.batch.adhoc"}

    def figures(path, user=None):
        queue = scrape.queue(path, user)
        return tuple(int(queue[f"queue_metrics_{name}"]) for name in (
            "apps_submitted", "apps_running", "apps_pending", "apps_completed", "apps_killed",
            "apps_failed", "allocated_mb", "allocated_v_cores", "allocated_containers"))

    #                                  sub run pend done kill fail   MB  vc  cont
    assert figures("root") == (5, 3, 0, 0, 1, 1, 6144, 6, 6)
    assert figures("root.default") == (1, 1, 0, 0, 0, 0, 2048, 2, 2)
    assert figures("root.batch") == (4, 2, 0, 0, 1, 1, 4096, 4, 4)
    assert figures("root.batch.etl") == (2, 1, 0, 0, 1, 0, 3072, 3, 3)
    assert figures("root.batch.adhoc") == (2, 1, 0, 0, 0, 1, 1024, 1, 1)
    assert figures("root", "bob") == (2, 1, 0, 0, 0, 1, 3072, 3, 3)
    assert figures("root.batch.etl", "carol") == (1, 0, 0, 0, 1, 0, 0, 0, 0)
    assert figures("root.batch.adhoc", "bob") == (1, 0, 0, 0, 0, 1, 0, 0, 0)
    assert scrape.users("root") == {"alice", "bob", "carol"}
    assert scrape.users("root.default") == {"alice"}
    assert scrape.users("root.batch.adhoc") == {"alice", "bob"}

    tree = {"root": ("root.default", "root.batch"),
            "root.batch": ("root.batch.etl", "root.batch.adhoc")}
    for parent, children in tree.items():
        for name in ADDITIVE:
            assert scrape.queue(parent)[name] == sum(scrape.queue(c)[name] for c in children), (
                parent, name)
    for path in scrape.queues():
        for name in ADDITIVE:
            assert scrape.queue(path)[name] == sum(
                scrape.queue(path, user)[name] for user in scrape.users(path)), (path, name)

    # Guarantees of 16384 MB / 16 vcores: default and batch 50%, etl 35%, adhoc 15% (rounded
    # down), less what each uses.
    available = {path: (scrape.queue(path)["queue_metrics_available_mb"],
                        scrape.queue(path)["queue_metrics_available_v_cores"])
                 for path in scrape.queues()}
    assert available == {
        "root": (16384 - 6144, 10), "root.default": (8192 - 2048, 6),
        "root.batch": (8192 - 4096, 4), "root.batch.etl": (5734 - 3072, 2),
        "root.batch.adhoc": (2457 - 1024, 1)}
    assert rest["availableMB"] == available["root"][0]


def test_applications_held_back_by_the_am_limit_are_pending_not_active(tmp_path):
    """The default AM limit (10% of the queue) lets one AM in: the other application waits
    inactive, still asking for its AM container."""
    running = RunningCluster(tmp_path, nodes=1)
    web = Web(running)
    running.submit("sleep 600")
    running.submit("sleep 600")
    running.run_until(lambda: running_containers(running) == 1)
    running.advance(5)
    scrape, rest = web.check_root_against_rest()
    assert (rest["appsRunning"], rest["appsPending"]) == (1, 1)
    leaf = scrape.queue("root.default")
    assert (leaf["queue_metrics_apps_running"], leaf["queue_metrics_apps_pending"],
            leaf["queue_metrics_active_applications"], leaf["queue_metrics_pending_containers"],
            leaf["queue_metrics_active_users"]) == (1, 1, 1, 1, 0)
    assert "queue_metrics_active_users" not in scrape.queue("root")


def test_the_fifo_scheduler_has_one_queue_default(tmp_path):
    running = RunningCluster(tmp_path, nodes=1, config={
        "yarn.resourcemanager.scheduler.class": FIFO_SCHEDULER,
        "yarn.scheduler.capacity.user-metrics.enable": "true"})
    web = Web(running)
    running.submit("sleep 600", queue="anything")
    running.submit(distributed_shell_command(20, 1024, "sleep", "600"), user="bob")
    running.run_until(lambda: running_containers(running) == 8)
    scrape, rest = web.check_root_against_rest(root="default")
    assert scrape.queues() == {"default"}
    assert scrape.users("default") == set()
    assert rest["appsRunning"] == 2 and rest["containersPending"] > 0
    assert scrape.queue("default")["queue_metrics_active_users"] == 1


def test_made_after_applications_ran_it_still_counts_them_per_queue(tmp_path):
    """The per-queue counters replay the events the RM's log still holds."""
    running = RunningCluster(tmp_path, nodes=1, config=QUEUES)
    done = [running.submit(distributed_shell_command(1, 512, "true"), queue=queue)
            for queue in ("default", "etl", "etl")]
    running.run_until(lambda: all(running.app(i).state.is_final for i in done))
    scrape = Web(running).scrape()
    submitted = {path: scrape.queue(path)["queue_metrics_apps_submitted"]
                 for path in scrape.queues()}
    assert submitted == {"root": 3, "root.default": 1, "root.batch": 2, "root.batch.etl": 2,
                         "root.batch.adhoc": 0}
    assert scrape.queue("root.batch.etl")["queue_metrics_apps_completed"] == 2


def test_each_resource_has_its_own_registry(tmp_path):
    """Two RMs, two resources: each scrape shows its own RM; the global registry has neither."""
    one = RunningCluster(tmp_path / "one", nodes=1)
    two = RunningCluster(tmp_path / "two", nodes=2)
    assert Web(one).scrape().value("cluster_metrics_num_active_n_ms",
                                   clustermetrics="ResourceManager") == 1
    assert Web(two).scrape().value("cluster_metrics_num_active_n_ms",
                                   clustermetrics="ResourceManager") == 2
    assert not [m for m in REGISTRY.collect() if m.name.startswith(("queue_", "cluster_"))]


@pytest.fixture
def web(tmp_path):
    return Web(RunningCluster(tmp_path, nodes=1))


def test_head_answers_like_get_without_a_body(web):
    response = web.http.request("HEAD", "/metrics")
    assert response.status == 200 and response.body == b""
    assert response.header("Content-Type") == "text/plain; version=0.0.4; charset=utf-8"


def test_a_trailing_slash_is_served(web):
    assert web.http.get("/metrics/").status == 200


def test_a_path_below_metrics_is_a_not_found_remote_exception(web):
    response = web.http.get("/metrics/queues")
    assert response.status == 404
    assert response.json()["RemoteException"] == {
        "exception": "NotFoundException",
        "javaClassName": "org.apache.hadoop.yarn.webapp.NotFoundException",
        "message": "java.lang.Exception: The resource /metrics/queues does not exist"}


def test_other_methods_are_not_allowed(web):
    response = web.http.post("/metrics", b"x")
    assert response.status == 405
    assert response.header("Allow") == "GET, HEAD"
    assert response.json()["RemoteException"]["message"] == "HTTP 405 Method Not Allowed"
