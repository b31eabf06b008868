"""
The CapacityScheduler's queue tree, read from ``yarn.scheduler.capacity.*`` keys (as in
``capacity-scheduler.xml``) and checked as the CapacityScheduler checks it.

Per queue path ``P`` (``root``, ``root.a``, ``root.a.b``, …): ``P.queues`` (children,
comma-separated), ``P.capacity`` (percent of the parent; children of a parent must sum to 100),
``P.maximum-capacity`` (percent of the parent; -1 or absent = 100), ``P.user-limit-factor``
(default 1), ``P.minimum-user-limit-percent`` (default 100), ``P.maximum-am-resource-percent``
(default ``yarn.scheduler.capacity.maximum-am-resource-percent``), ``P.maximum-applications``
(default the global ``maximum-applications`` times the absolute capacity) and ``P.state``
(``RUNNING`` or ``STOPPED``; unset, a queue takes its parent's state, and a queue set RUNNING under a
STOPPED parent is refused, as in Hadoop 3).
"""

from attrs import frozen

from yarnemu.errors import ConfigurationException
from yarnemu.records.states import QueueState

__all__ = ["QueueSpec", "read_queue_tree", "PREFIX", "queue_tree_keys"]

PREFIX = "yarn.scheduler.capacity."
ROOT = "root"
_EPSILON = 1e-6


@frozen
class QueueSpec:
    """
    One configured queue.  Capacities are percents of the parent queue.

    :ivar maximum_applications: ``None`` means derived from the global limit.
    """

    path: str
    capacity: float
    maximum_capacity: float
    user_limit_factor: float
    minimum_user_limit_percent: float
    maximum_am_resource_percent: float
    maximum_applications: int | None
    state: QueueState
    children: tuple

    @property
    def name(self):
        return self.path.rsplit(".", 1)[-1]

    def walk(self):
        """:return: this queue and every queue below it, depth first, in configured order."""
        result = [self]
        for child in self.children:
            result.extend(child.walk())
        return result


def read_queue_tree(config):
    """
    :return: the root :class:`QueueSpec`.
    :raise ConfigurationException: naming the key of the first value that is wrong.
    """
    root = _read_queue(config, ROOT, parent_state=None)
    leaves = {}
    for spec in root.walk():
        if not spec.children:
            if spec.name in leaves:
                raise ConfigurationException(
                    f"Queue name {spec.name!r} is used by both {leaves[spec.name]} and {spec.path}; "
                    "leaf queue names must be unique"
                )
            leaves[spec.name] = spec.path
    return root


def queue_tree_keys(tree, prefix=ROOT):
    """
    Turn a nested description of queues into ``yarn.scheduler.capacity.*`` keys.

    :param tree: queue name → settings, where settings holds the per-queue keys without the
        prefix (``capacity``, ``maximum-capacity``, …) and optionally ``queues`` with the children
        nested the same way.
    :return: the keys and values, in a stable order.
    """
    keys = {f"{PREFIX}{prefix}.queues": ",".join(tree)}
    for name, settings in tree.items():
        path = f"{prefix}.{name}"
        for setting, value in (settings or {}).items():
            if setting == "queues":
                keys.update(queue_tree_keys(value, path))
            else:
                keys[f"{PREFIX}{path}.{setting}"] = value
    return keys


def _read_queue(config, path, parent_state):
    def key(setting):
        return f"{PREFIX}{path}.{setting}"

    is_root = parent_state is None
    if is_root:
        capacity = 100.0
        maximum_capacity = 100.0
    else:
        capacity = _percent(config, key("capacity"), None)
        if capacity is None or capacity == -1.0:
            raise ConfigurationException(
                f"Illegal capacity of -1.0 for queue {path}: {key('capacity')} is not set"
            )
        maximum_capacity = _percent(config, key("maximum-capacity"), -1.0)
        if maximum_capacity == -1.0:
            maximum_capacity = 100.0
        if capacity > maximum_capacity + _EPSILON:
            raise ConfigurationException(
                f"Illegal queue capacity setting (capacity={capacity}) > "
                f"(maximum-capacity={maximum_capacity}) for queue=[{path}] ({key('capacity')})"
            )
    state = _state(config, key("state"), path, parent_state)
    children_text = config.raw(key("queues"))
    if is_root and children_text is None:
        children_text = config.get_str(f"{PREFIX}root.queues")
    names = [name.strip() for name in str(children_text or "").split(",") if name.strip()]
    if len(set(names)) != len(names):
        raise ConfigurationException(f"Invalid value for {key('queues')}: {children_text!r} (duplicate queue)")
    for name in names:
        if "." in name or not name:
            raise ConfigurationException(f"Invalid queue name {name!r} in {key('queues')}")
    children = tuple(_read_queue(config, f"{path}.{name}", state) for name in names)
    if children:
        total = sum(child.capacity for child in children)
        if abs(total - 100.0) > 1e-3:
            raise ConfigurationException(
                f"Illegal capacity of {total / 100.0} for children of queue {path} "
                f"(the {PREFIX}{path}.<child>.capacity values must sum to 100)"
            )
    return QueueSpec(
        path=path,
        capacity=capacity,
        maximum_capacity=maximum_capacity,
        user_limit_factor=_number(config, key("user-limit-factor"), 1.0, minimum=0.0),
        minimum_user_limit_percent=_number(config, key("minimum-user-limit-percent"), 100.0,
                                           minimum=0.0, maximum=100.0),
        maximum_am_resource_percent=_number(
            config, key("maximum-am-resource-percent"),
            config.get_float(f"{PREFIX}maximum-am-resource-percent"), minimum=0.0, maximum=1.0,
        ),
        maximum_applications=_optional_int(config, key("maximum-applications")),
        state=state,
        children=children,
    )


def _state(config, key, path, parent_state):
    value = config.raw(key)
    if value is None:
        return parent_state or QueueState.RUNNING
    text = str(value).strip().upper()
    try:
        state = QueueState(text)
    except ValueError:
        raise ConfigurationException(
            f"Invalid value for {key}: {text!r} (expected RUNNING or STOPPED)"
        ) from None
    if state is QueueState.RUNNING and parent_state is QueueState.STOPPED:
        parent = path.rsplit(".", 1)[0]
        raise ConfigurationException(
            f"The parent queue:{parent} cannot be STOPPED as the child queue:{path} is in RUNNING "
            f"state. ({key})"
        )
    return state


def _number(config, key, default, minimum=None, maximum=None):
    value = config.raw(key)
    if value is None:
        return default
    try:
        number = float(str(value).strip())
    except ValueError:
        raise ConfigurationException(f"Invalid value for {key}: {value!r} (expected a number)") from None
    if minimum is not None and number < minimum:
        raise ConfigurationException(f"Invalid value for {key}: {value!r} (must be at least {minimum})")
    if maximum is not None and number > maximum:
        raise ConfigurationException(f"Invalid value for {key}: {value!r} (must be at most {maximum})")
    return number


def _percent(config, key, default):
    value = _number(config, key, default)
    if value is None:
        return None
    if value != -1.0 and not 0.0 <= value <= 100.0:
        raise ConfigurationException(f"Illegal capacity of {value / 100.0} for queue ({key} = {value})")
    return value


def _optional_int(config, key):
    value = config.raw(key)
    if value is None:
        return None
    try:
        number = int(str(value).strip())
    except ValueError:
        raise ConfigurationException(f"Invalid value for {key}: {value!r} (expected an integer)") from None
    if number < 0:
        raise ConfigurationException(f"Invalid value for {key}: {value!r} (must be at least 0)")
    return number
