"""
Hypothesis strategies for testing the pure schedulers (:mod:`yarnemu.scheduler`) through their
public API, and the id builders they use: clusters of nodes with random sizes and racks,
CapacityScheduler queue trees, resource requests, and sequences of scheduler operations.

Operations are plain tuples, interpreted by the test that draws them; they refer to applications,
nodes and containers by index (modulo what exists when the operation runs), so that every drawn
sequence is runnable and shrinks well.
"""

from hypothesis import strategies as st

from yarnemu.config import DEFAULT_RESOURCE_CALCULATOR, DOMINANT_RESOURCE_CALCULATOR
from yarnemu.records.am_protocol import ANY, ResourceRequest
from yarnemu.records.ids import ApplicationAttemptId, ApplicationId, NodeId
from yarnemu.records.resource import Resource
from yarnemu.scheduler.capacity_config import queue_tree_keys

__all__ = [
    "CLUSTER_TIMESTAMP",
    "NM_PORT",
    "application_id",
    "attempt_id",
    "node_id",
    "RACKS",
    "node_specs",
    "queue_trees",
    "queue_names",
    "capacity_settings",
    "capacity_configurations",
    "resources",
    "ask_groups",
    "operations",
]

CLUSTER_TIMESTAMP = 1767225600000
"""The RM start time the ids built here share."""

NM_PORT = 45454


def application_id(number):
    """:return: ``application_<CLUSTER_TIMESTAMP>_<number>``."""
    return ApplicationId(CLUSTER_TIMESTAMP, number)


def attempt_id(app_number, attempt=1):
    """:return: attempt ``attempt`` of application ``app_number``."""
    return ApplicationAttemptId(application_id(app_number), attempt)


def node_id(index):
    """:return: the node id of host ``host<index>``."""
    return NodeId(f"host{index}", NM_PORT)


RACKS = ("/rack0", "/rack1", "/rack2")


@st.composite
def node_specs(draw, min_nodes=1, max_nodes=6, racks=RACKS):
    """
    :return: a strategy for a list of ``(node_id, capability, rack)``: distinct hosts, memory from
        512 MB to 16 GB (not always a multiple of the minimum allocation), 1 to 16 vcores.
    """
    count = draw(st.integers(min_nodes, max_nodes))
    specs = []
    for index in range(count):
        memory = draw(st.sampled_from([512, 1024, 2048, 3000, 4096, 8192, 16384]))
        vcores = draw(st.integers(1, 16))
        rack = draw(st.sampled_from(racks))
        specs.append((node_id(index), Resource(memory, vcores), rack))
    return specs


def _split_100(draw, parts):
    """``parts`` integer percents (zero included) summing to 100."""
    if parts == 1:
        return [100]
    cuts = sorted(draw(st.lists(st.integers(0, 100), min_size=parts - 1, max_size=parts - 1)))
    bounds = [0] + cuts + [100]
    return [bounds[i + 1] - bounds[i] for i in range(parts)]


def capacity_settings():
    """:return: a strategy for the per-queue settings other than capacity and children."""
    return st.fixed_dictionaries(
        {},
        optional={
            "user-limit-factor": st.sampled_from([0.5, 1, 1.5, 2, 10]),
            "minimum-user-limit-percent": st.sampled_from([100, 50, 25]),
            "maximum-am-resource-percent": st.sampled_from([0.1, 0.5, 1.0]),
            "maximum-applications": st.integers(0, 6),
            "state": st.sampled_from(["RUNNING", "RUNNING", "RUNNING", "STOPPED"]),
        },
    )


@st.composite
def queue_trees(draw, max_depth=2, max_children=3):
    """
    :return: a strategy for a nested queue description accepted by
        :func:`~yarnemu.scheduler.capacity_config.queue_tree_keys`: children's capacities sum to
        100, maximum capacities are -1 or at least the capacity, leaf names are unique, and a
        queue is only STOPPED explicitly where its parent is RUNNING.
    """
    counter = iter(range(1000))

    def level(depth, parent_stopped):
        width = draw(st.integers(1, max_children))
        capacities = _split_100(draw, width)
        tree = {}
        for capacity in capacities:
            name = f"q{next(counter)}"
            settings = dict(draw(capacity_settings()))
            if parent_stopped and settings.get("state") == "RUNNING":
                del settings["state"]
            stopped = parent_stopped or settings.get("state") == "STOPPED"
            settings["capacity"] = capacity
            maximum = draw(st.sampled_from([-1, capacity, min(100, capacity + 25), 100]))
            settings["maximum-capacity"] = maximum
            if depth < max_depth and draw(st.booleans()):
                settings["queues"] = level(depth + 1, stopped)
            tree[name] = settings
        return tree

    return level(1, False)


def queue_names(tree, leaves_only=False):
    """
    :return: the names of the queues of a drawn tree (only the leaves with ``leaves_only``),
        parents first, in configured order.
    """
    names = []
    for name, settings in tree.items():
        children = (settings or {}).get("queues", {})
        if not (leaves_only and children):
            names.append(name)
        names.extend(queue_names(children, leaves_only))
    return names


@st.composite
def capacity_configurations(draw, tree=None):
    """
    :return: a strategy for ``(tree, values)``: a queue tree (drawn unless given) and the
        configuration values of a CapacityScheduler over it, with random global settings
        (resource calculator, locality delay, off-switch assignments, AM percent, application
        limit).
    """
    if tree is None:
        tree = draw(queue_trees())
    values = queue_tree_keys(tree)
    values.update(draw(st.fixed_dictionaries({}, optional={
        "yarn.scheduler.capacity.resource-calculator":
            st.sampled_from([DEFAULT_RESOURCE_CALCULATOR, DOMINANT_RESOURCE_CALCULATOR]),
        "yarn.scheduler.capacity.node-locality-delay": st.sampled_from([-1, 0, 2, 40]),
        "yarn.scheduler.capacity.per-node-heartbeat.maximum-offswitch-assignments":
            st.integers(1, 3),
        "yarn.scheduler.capacity.maximum-am-resource-percent": st.sampled_from([0.1, 0.5, 1.0]),
        "yarn.scheduler.capacity.maximum-applications": st.sampled_from([20, 10000]),
    })))
    return tree, values


def resources():
    """
    :return: a strategy for capabilities, mostly within the default allocation limits (8192 MB,
        4 vcores) and now and then outside them, negative included.
    """
    valid = st.builds(Resource, st.sampled_from([0, 1, 512, 1024, 1500, 2048, 3072, 4096, 8192]),
                      st.integers(0, 4))
    invalid = st.builds(Resource, st.sampled_from([-1, 0, 1024, 8193, 9000]),
                        st.sampled_from([-1, 1, 5]))
    return st.sampled_from([valid] * 15 + [invalid]).flatmap(lambda strategy: strategy)


@st.composite
def ask_groups(draw, hosts, priorities=(1, 2, 3), max_count=5, capability=None):
    """
    :return: a strategy for the requests one allocate call sends for one scheduler key: always an
        ANY request, and sometimes a node request with its rack request (each of the rack and ANY
        relaxed or not), as AMRMClient sends them.

    :param hosts: ``(host, rack)`` pairs to aim node requests at.
    """
    priority = draw(st.sampled_from(priorities))
    allocation_request_id = draw(st.integers(0, 1))
    if capability is None:
        capability = draw(resources())
    count = draw(st.sampled_from([0] + list(range(1, max_count + 1)) * 2))
    requests = []
    relax_any = True
    if hosts and draw(st.booleans()):
        host, rack = draw(st.sampled_from(hosts))
        relax_rack = draw(st.booleans())
        relax_any = draw(st.booleans())
        requests.append(ResourceRequest(priority, host, capability, count,
                                        allocation_request_id=allocation_request_id))
        requests.append(ResourceRequest(priority, rack, capability, count, relax_rack,
                                        allocation_request_id=allocation_request_id))
    requests.append(ResourceRequest(priority, ANY, capability, count, relax_any,
                                    allocation_request_id=allocation_request_id))
    return requests


@st.composite
def operations(draw, hosts, queues=("default",), users=("alice", "bob"), max_size=40):
    """
    :param hosts: ``(host, rack)`` pairs that node requests may name.
    :param queues: the queue names submissions pick from (repeat a name to favour it).
    :return: a strategy for lists of scheduler operations, one to four submissions and then at
        least ten other operations (asks and heartbeats most often), tuples whose first item
        names them:

        - ``("submit", queue, user, am_memory or None)``: admit an app and add its first attempt
          (``None``: an unmanaged AM);
        - ``("ask", app, [requests, ...])``: the app's current attempt sends these asks;
        - ``("heartbeat", node)`` and ``("heartbeat_all",)``;
        - ``("release", app, container)`` and ``("complete", container)``;
        - ``("fail", app, keep_containers)``: the app's current attempt is removed;
        - ``("next_attempt", app)``: an app whose attempt failed gets its next attempt;
        - ``("finish", app, keep_containers)``: the current attempt, if any, is removed, then
          the application;
        - ``("blacklist", app, node, add)``;
        - ``("remove_node", node)`` and ``("add_node", memory, vcores, rack)``.

        ``app``, ``node`` and ``container`` are indexes, taken modulo what exists at the time.
    """
    index = st.integers(0, 50)
    asks = st.lists(ask_groups(hosts), min_size=1, max_size=3).map(
        lambda groups: [request for group in groups for request in group]
    )
    submit = st.tuples(st.just("submit"), st.sampled_from(queues), st.sampled_from(users),
                       st.one_of(st.none(), st.sampled_from([512, 1024, 2048, 4096])))
    ask = st.tuples(st.just("ask"), index, asks)
    heartbeat = st.tuples(st.just("heartbeat"), index)
    kinds = {
        "submit": submit,
        "ask": ask,
        "heartbeat": heartbeat,
        "heartbeat_all": st.tuples(st.just("heartbeat_all")),
        "release": st.tuples(st.just("release"), index, index),
        "complete": st.tuples(st.just("complete"), index),
        "fail": st.tuples(st.just("fail"), index, st.booleans()),
        "next_attempt": st.tuples(st.just("next_attempt"), index),
        "finish": st.tuples(st.just("finish"), index, st.booleans()),
        "blacklist": st.tuples(st.just("blacklist"), index, index, st.booleans()),
        "remove_node": st.tuples(st.just("remove_node"), index),
        "add_node": st.tuples(st.just("add_node"), st.sampled_from([1024, 4096, 8192]),
                              st.integers(1, 8), st.sampled_from(RACKS)),
    }
    # Asks and heartbeats make things happen: they are drawn three times as often.
    weighted = list(kinds) + ["ask", "heartbeat", "heartbeat_all"] * 2
    op = st.sampled_from(weighted).flatmap(kinds.__getitem__)
    setup = draw(st.lists(submit, min_size=1, max_size=4))
    return setup + draw(st.lists(op, min_size=10, max_size=max_size))
