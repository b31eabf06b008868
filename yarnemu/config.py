"""
:class:`YarnConfiguration`: yarn-site keys and values, with yarn-default.xml's defaults for the
keys yarnemu reads, typed getters, and validation that names the key of a bad value.

Keys are exactly as in ``yarn-default.xml`` (and ``capacity-scheduler.xml`` for
``yarn.scheduler.capacity.*``).  Keys yarnemu does not know are kept and ignored, as Hadoop
ignores keys it does not read.  Keys under ``yarnemu.`` are this emulator's own knobs.
"""

from types import MappingProxyType

from yarnemu.errors import ConfigurationException

__all__ = ["YarnConfiguration", "DEFAULTS", "CAPACITY_SCHEDULER", "FIFO_SCHEDULER"]

CAPACITY_SCHEDULER = "org.apache.hadoop.yarn.server.resourcemanager.scheduler.capacity.CapacityScheduler"
FIFO_SCHEDULER = "org.apache.hadoop.yarn.server.resourcemanager.scheduler.fifo.FifoScheduler"
DEFAULT_RESOURCE_CALCULATOR = "org.apache.hadoop.yarn.util.resource.DefaultResourceCalculator"
DOMINANT_RESOURCE_CALCULATOR = "org.apache.hadoop.yarn.util.resource.DominantResourceCalculator"

_INT, _FLOAT, _BOOL, _STR = "an integer", "a number", "a boolean", "a string"

# key: (type, default, minimum or None)
_SPEC = {
    "yarn.resourcemanager.am.max-attempts": (_INT, 2, 1),
    "yarn.am.liveness-monitor.expiry-interval-ms": (_INT, 600000, 1),
    "yarn.nm.liveness-monitor.expiry-interval-ms": (_INT, 600000, 1),
    "yarn.resourcemanager.rm.container-allocation.expiry-interval-ms": (_INT, 600000, 1),
    "yarn.resourcemanager.nodemanagers.heartbeat-interval-ms": (_INT, 1000, 1),
    "yarn.resourcemanager.max-completed-applications": (_INT, 1000, 0),
    "yarn.resourcemanager.scheduler.class": (_STR, CAPACITY_SCHEDULER, None),
    "yarn.resourcemanager.hostname": (_STR, "localhost", None),
    "yarn.resourcemanager.webapp.address": (_STR, "${yarn.resourcemanager.hostname}:8088", None),
    "yarn.resourcemanager.scheduler.address": (_STR, "${yarn.resourcemanager.hostname}:8030", None),
    "yarn.resourcemanager.address": (_STR, "${yarn.resourcemanager.hostname}:8032", None),
    "yarn.scheduler.minimum-allocation-mb": (_INT, 1024, 0),
    "yarn.scheduler.maximum-allocation-mb": (_INT, 8192, 0),
    "yarn.scheduler.minimum-allocation-vcores": (_INT, 1, 0),
    "yarn.scheduler.maximum-allocation-vcores": (_INT, 4, 0),
    "yarn.nodemanager.resource.memory-mb": (_INT, -1, -1),
    "yarn.nodemanager.resource.cpu-vcores": (_INT, -1, -1),
    "yarn.nodemanager.sleep-delay-before-sigkill.ms": (_INT, 250, 0),
    "yarn.nodemanager.webapp.port": (_INT, 8042, 0),
    "yarn.nodemanager.delete.debug-delay-sec": (_INT, 0, 0),
    "yarn.scheduler.capacity.resource-calculator": (_STR, DEFAULT_RESOURCE_CALCULATOR, None),
    "yarn.scheduler.capacity.maximum-applications": (_INT, 10000, 0),
    "yarn.scheduler.capacity.maximum-am-resource-percent": (_FLOAT, 0.1, 0.0),
    "yarn.scheduler.capacity.node-locality-delay": (_INT, 40, -1),
    "yarn.scheduler.capacity.per-node-heartbeat.maximum-offswitch-assignments": (_INT, 1, 1),
    # As shipped in capacity-scheduler.xml: one queue, "default", with all the capacity.
    "yarn.scheduler.capacity.root.queues": (_STR, "default", None),
    "yarn.scheduler.capacity.root.default.capacity": (_FLOAT, 100.0, 0.0),
    "yarn.scheduler.capacity.root.default.maximum-capacity": (_FLOAT, 100.0, -1.0),
    # yarnemu's own knobs.
    "yarnemu.nodemanager.port": (_INT, 45454, 0),
    "yarnemu.resourcemanager.state-store.latency-ms": (_INT, 0, 0),
}

DEFAULTS = MappingProxyType({key: spec[1] for key, spec in _SPEC.items()})
"""The default of every key yarnemu reads."""

# What yarn-default.xml's -1 ("detect from the hardware") means with hardware detection off.
_NM_MEMORY_WITHOUT_DETECTION = 8192
_NM_VCORES_WITHOUT_DETECTION = 8

_TRUE = {"true", "yes", "1", "on"}
_FALSE = {"false", "no", "0", "off"}


class YarnConfiguration:
    """
    yarn-site settings over yarn-default's defaults.

    :param values: key → value; values may be strings (as in yarn-site.xml) or Python values.
    :raise ConfigurationException: naming the key, if a value of a known key has the wrong type
        or is out of range.
    """

    def __init__(self, values=None):
        self._values = {}
        for key, value in dict(values or {}).items():
            if not isinstance(key, str) or not key:
                raise ConfigurationException(f"Configuration keys must be non-empty strings, not {key!r}")
            self._values[key] = value
        for key in self._values:
            if key in _SPEC:
                self._typed(key)

    def with_values(self, values):
        """
        :return: a new configuration with ``values`` set over this one's.
        """
        merged = dict(self._values)
        merged.update(values)
        return YarnConfiguration(merged)

    def items(self):
        """
        :return: the explicitly set keys and values, in the order they were set.
        """
        return list(self._values.items())

    def __contains__(self, key):
        return key in self._values

    def raw(self, key, default=None):
        """
        :return: the value as given (not converted); else yarn-default's default, else ``default``.
        """
        if key in self._values:
            return self._values[key]
        if key in _SPEC:
            return _SPEC[key][1]
        return default

    def get_int(self, key, default=None):
        return self._get(key, _INT, default)

    def get_float(self, key, default=None):
        return self._get(key, _FLOAT, default)

    def get_bool(self, key, default=None):
        return self._get(key, _BOOL, default)

    def get_str(self, key, default=None):
        value = self._get(key, _STR, default)
        return self._substitute(value) if isinstance(value, str) else value

    # Derived settings, in one place.

    @property
    def node_memory_mb(self):
        """The default NodeManager memory: ``yarn.nodemanager.resource.memory-mb``, 8192 for -1."""
        value = self.get_int("yarn.nodemanager.resource.memory-mb")
        return _NM_MEMORY_WITHOUT_DETECTION if value == -1 else value

    @property
    def node_vcores(self):
        """The default NodeManager vcores: ``yarn.nodemanager.resource.cpu-vcores``, 8 for -1."""
        value = self.get_int("yarn.nodemanager.resource.cpu-vcores")
        return _NM_VCORES_WITHOUT_DETECTION if value == -1 else value

    # Internals

    def _get(self, key, kind, default):
        if key in self._values:
            return self._convert(key, self._values[key], kind)
        if key in _SPEC:
            return _SPEC[key][1]
        return default

    def _typed(self, key):
        kind, _, minimum = _SPEC[key]
        value = self._convert(key, self._values[key], kind)
        if minimum is not None and value < minimum:
            raise ConfigurationException(
                f"Invalid value for {key}: {self._values[key]!r} (must be at least {minimum})"
            )
        return value

    @staticmethod
    def _convert(key, value, kind):
        try:
            if kind == _INT:
                if isinstance(value, bool) or isinstance(value, float):
                    raise ValueError(value)
                return int(str(value).strip())
            if kind == _FLOAT:
                if isinstance(value, bool):
                    raise ValueError(value)
                return float(str(value).strip())
            if kind == _BOOL:
                if isinstance(value, bool):
                    return value
                text = str(value).strip().lower()
                if text in _TRUE:
                    return True
                if text in _FALSE:
                    return False
                raise ValueError(value)
            if not isinstance(value, (str, int, float)) or isinstance(value, bool):
                raise ValueError(value)
            return str(value)
        except ValueError:
            raise ConfigurationException(f"Invalid value for {key}: {value!r} (expected {kind})") from None

    def _substitute(self, value):
        # Hadoop's ${key} expansion, one level deep, which is all the defaults above use.
        while "${" in value:
            start = value.index("${")
            end = value.find("}", start)
            if end < 0:
                break
            inner = value[start + 2:end]
            value = value[:start] + str(self.get_str(inner, "")) + value[end + 1:]
        return value
