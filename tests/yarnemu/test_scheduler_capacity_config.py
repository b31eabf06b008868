"""
Tests for :mod:`yarnemu.scheduler.capacity_config` (the CapacityScheduler's queue tree read from
``yarn.scheduler.capacity.*`` keys) and :mod:`yarnemu.scheduler.capacity_queues` (absolute
capacities of the live queues).
"""

import pytest

from yarnemu.config import YarnConfiguration
from yarnemu.errors import ConfigurationException
from yarnemu.records.states import QueueState
from yarnemu.scheduler.capacity_config import PREFIX, QueueSpec, queue_tree_keys, read_queue_tree
from yarnemu.scheduler.capacity_queues import build_queues

TWO_LEVELS = {
    "prod": {"capacity": 70, "maximum-capacity": 90, "queues": {
        "etl": {"capacity": 40},
        "serving": {"capacity": 60, "user-limit-factor": 2, "state": "STOPPED"},
    }},
    "dev": {"capacity": 30, "maximum-capacity": -1, "maximum-am-resource-percent": 0.5,
            "minimum-user-limit-percent": 25, "maximum-applications": 7},
}


def _tree(tree=None, **extra):
    values = {} if tree is None else queue_tree_keys(tree)
    values.update(extra)
    return read_queue_tree(YarnConfiguration(values))


def _by_path(root):
    return {spec.path: spec for spec in root.walk()}


def _error(tree, **extra):
    with pytest.raises(ConfigurationException) as raised:
        _tree(tree, **extra)
    return raised.value.message


# queue_tree_keys


def test_queue_tree_keys_flattens_a_nested_description():
    """queue_tree_keys turns nested settings into yarn.scheduler.capacity.<path>.<setting> keys."""
    keys = queue_tree_keys(TWO_LEVELS)
    assert keys["yarn.scheduler.capacity.root.queues"] == "prod,dev"
    assert keys["yarn.scheduler.capacity.root.prod.queues"] == "etl,serving"
    assert keys["yarn.scheduler.capacity.root.prod.capacity"] == 70
    assert keys["yarn.scheduler.capacity.root.prod.serving.user-limit-factor"] == 2
    assert keys["yarn.scheduler.capacity.root.dev.maximum-capacity"] == -1
    assert all(key.startswith(PREFIX) for key in keys)


# The tree and its defaults


def test_shipped_default_tree_is_root_with_default_at_100():
    """Without configuration, the tree is root with one child, default, at capacity 100 and maximum 100."""
    root = _tree()
    assert root.path == "root"
    [default] = root.children
    assert (default.path, default.name) == ("root.default", "default")
    assert (default.capacity, default.maximum_capacity) == (100.0, 100.0)
    assert default.children == ()


def test_per_queue_defaults():
    """Unset settings default to user-limit-factor 1, minimum-user-limit-percent 100, AM percent 0.1, RUNNING."""
    [default] = _tree().children
    assert default.user_limit_factor == 1.0
    assert default.minimum_user_limit_percent == 100.0
    assert default.maximum_am_resource_percent == 0.1
    assert default.maximum_applications is None
    assert default.state is QueueState.RUNNING


def test_tree_from_keys():
    """Every configured queue appears at its path with its settings, children in configured order."""
    specs = _by_path(_tree(TWO_LEVELS))
    assert list(specs) == ["root", "root.prod", "root.prod.etl", "root.prod.serving", "root.dev"]
    assert isinstance(specs["root.prod"], QueueSpec)
    assert (specs["root.prod"].capacity, specs["root.prod"].maximum_capacity) == (70.0, 90.0)
    assert specs["root.prod.serving"].user_limit_factor == 2.0
    assert specs["root.prod.serving"].state is QueueState.STOPPED
    dev = specs["root.dev"]
    assert (dev.maximum_am_resource_percent, dev.minimum_user_limit_percent) == (0.5, 25.0)
    assert dev.maximum_applications == 7


def test_tree_from_raw_string_keys():
    """Values given as strings, as in capacity-scheduler.xml, are parsed."""
    root = _tree(None, **{
        "yarn.scheduler.capacity.root.queues": " a , b ",
        "yarn.scheduler.capacity.root.a.capacity": "25.5",
        "yarn.scheduler.capacity.root.b.capacity": "74.5",
        "yarn.scheduler.capacity.root.b.state": "stopped",
    })
    specs = _by_path(root)
    assert specs["root.a"].capacity == 25.5
    assert specs["root.b"].state is QueueState.STOPPED


def test_maximum_capacity_minus_one_means_100():
    """maximum-capacity -1 (or unset) means 100."""
    specs = _by_path(_tree(TWO_LEVELS))
    assert specs["root.dev"].maximum_capacity == 100.0
    assert specs["root.prod.etl"].maximum_capacity == 100.0


def test_maximum_am_resource_percent_defaults_to_the_global_key():
    """A queue without its own maximum-am-resource-percent takes yarn.scheduler.capacity.maximum-am-resource-percent."""
    specs = _by_path(_tree(TWO_LEVELS, **{"yarn.scheduler.capacity.maximum-am-resource-percent": 0.3}))
    assert specs["root.prod.etl"].maximum_am_resource_percent == 0.3
    assert specs["root.dev"].maximum_am_resource_percent == 0.5


def test_child_of_a_stopped_parent_is_stopped():
    """A queue with no state of its own under a STOPPED parent is STOPPED, as in Hadoop 3."""
    specs = _by_path(_tree({
        "a": {"capacity": 50, "state": "STOPPED", "queues": {"x": {"capacity": 100}}},
        "b": {"capacity": 50},
    }))
    assert specs["root.a.x"].state is QueueState.STOPPED
    assert specs["root.b"].state is QueueState.RUNNING


def test_absolute_capacities_multiply_down_the_tree():
    """Live queues hold absolute capacities: the product of the percents along their path."""
    root = build_queues(_tree(TWO_LEVELS))
    queues = {queue.path: queue for queue in _walk(root)}
    assert queues["root"].absolute_capacity == 1.0
    assert queues["root.prod.etl"].absolute_capacity == pytest.approx(0.7 * 0.4)
    assert queues["root.prod.etl"].absolute_maximum_capacity == pytest.approx(0.9)
    assert queues["root.dev"].absolute_maximum_capacity == 1.0
    assert queues["root.prod.etl"].parent is queues["root.prod"]
    assert [q.path for q in queues["root.prod.etl"].ancestry()] == ["root.prod.etl", "root.prod", "root"]
    assert not queues["root.prod"].is_leaf and queues["root.dev"].is_leaf


def test_queue_maximum_applications():
    """A queue's application limit is its own key, else the global maximum-applications times its absolute capacity."""
    root = build_queues(_tree(TWO_LEVELS))
    queues = {queue.path: queue for queue in _walk(root)}
    assert queues["root.dev"].maximum_applications(10000) == 7
    assert queues["root.prod.etl"].maximum_applications(10000) == int(10000 * 0.7 * 0.4)


def _walk(queue):
    yield queue
    for child in queue.children:
        yield from _walk(child)


# Errors naming the key


def test_children_capacities_must_sum_to_100():
    """Children whose capacities do not sum to 100 are refused, naming the parent's children's capacity keys."""
    message = _error({"a": {"capacity": 50}, "b": {"capacity": 40}})
    assert "Illegal capacity of 0.9 for children of queue root" in message
    assert "yarn.scheduler.capacity.root.<child>.capacity" in message


def test_nested_children_capacities_must_sum_to_100():
    """The sum is checked at every level of the tree."""
    message = _error({"a": {"capacity": 100, "queues": {"x": {"capacity": 30}, "y": {"capacity": 30}}}})
    assert "children of queue root.a" in message


def test_capacity_above_maximum_capacity_is_refused():
    """A capacity above the queue's maximum-capacity is refused, naming the capacity key."""
    message = _error({"a": {"capacity": 60, "maximum-capacity": 50}, "b": {"capacity": 40}})
    assert "yarn.scheduler.capacity.root.a.capacity" in message
    assert "(capacity=60.0) > (maximum-capacity=50.0)" in message


def test_missing_capacity_is_refused():
    """A queue without a capacity is refused, naming the missing key."""
    message = _error({"a": {"capacity": 100}, "b": {}})
    assert "yarn.scheduler.capacity.root.b.capacity" in message


def test_capacity_minus_one_is_refused():
    """A capacity of -1 (Hadoop's "undefined") is refused like a missing one."""
    message = _error({"a": {"capacity": -1}, "b": {"capacity": 100}, "c": {"capacity": 1}})
    assert "yarn.scheduler.capacity.root.a.capacity" in message


@pytest.mark.parametrize("setting, value", [("capacity", 101), ("capacity", -5), ("maximum-capacity", 150)])
def test_capacity_out_of_range_is_refused(setting, value):
    """Capacities outside 0..100 are refused, naming the key."""
    tree = {"a": {"capacity": 100, setting: value}}
    if setting == "capacity":
        tree["a"]["maximum-capacity"] = 100
    assert f"yarn.scheduler.capacity.root.a.{setting}" in _error(tree)


def test_bad_state_is_refused():
    """A state other than RUNNING or STOPPED is refused, naming the key."""
    message = _error({"a": {"capacity": 100, "state": "PAUSED"}})
    assert "yarn.scheduler.capacity.root.a.state" in message
    assert "PAUSED" in message


def test_running_child_of_a_stopped_parent_is_refused():
    """A queue explicitly RUNNING under a STOPPED parent is refused with Hadoop's message."""
    message = _error({"a": {"capacity": 100, "state": "STOPPED",
                            "queues": {"x": {"capacity": 100, "state": "RUNNING"}}}})
    assert message.startswith(
        "The parent queue:root.a cannot be STOPPED as the child queue:root.a.x is in RUNNING state."
    )
    assert "yarn.scheduler.capacity.root.a.x.state" in message


def test_duplicate_leaf_names_are_refused():
    """Two leaf queues with the same name under different parents are refused, naming both paths."""
    message = _error({
        "a": {"capacity": 50, "queues": {"x": {"capacity": 100}}},
        "b": {"capacity": 50, "queues": {"x": {"capacity": 100}}},
    })
    assert "root.a.x" in message and "root.b.x" in message


def test_duplicate_child_names_are_refused():
    """A queue listed twice among its parent's children is refused, naming the queues key."""
    message = _error(None, **{
        "yarn.scheduler.capacity.root.queues": "a,a",
        "yarn.scheduler.capacity.root.a.capacity": 50,
    })
    assert "yarn.scheduler.capacity.root.queues" in message


@pytest.mark.parametrize(
    "setting, value",
    [
        ("capacity", "lots"),
        ("maximum-capacity", "all"),
        ("user-limit-factor", "x"),
        ("minimum-user-limit-percent", "half"),
        ("maximum-am-resource-percent", "ten"),
        ("maximum-applications", "1.5"),
    ],
)
def test_non_numeric_values_are_refused(setting, value):
    """A non-numeric value is refused with ConfigurationException naming its key."""
    tree = {"a": {"capacity": 100, setting: value}}
    assert f"yarn.scheduler.capacity.root.a.{setting}" in _error(tree)


@pytest.mark.parametrize(
    "setting, value",
    [
        ("user-limit-factor", -1),
        ("minimum-user-limit-percent", 101),
        ("maximum-am-resource-percent", 1.5),
        ("maximum-applications", -3),
    ],
)
def test_out_of_range_settings_are_refused(setting, value):
    """Negative factors, percents above their maximum and negative limits are refused, naming the key."""
    tree = {"a": {"capacity": 100, setting: value}}
    assert f"yarn.scheduler.capacity.root.a.{setting}" in _error(tree)


def test_queue_names_with_dots_are_refused():
    """A child name containing a dot is refused, naming the queues key."""
    message = _error(None, **{"yarn.scheduler.capacity.root.queues": "a.b"})
    assert "yarn.scheduler.capacity.root.queues" in message
