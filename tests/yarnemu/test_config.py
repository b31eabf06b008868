"""
Tests for :mod:`yarnemu.config`: yarn-site values over yarn-default's defaults.
"""

import pytest

from yarnemu.config import DEFAULTS, YarnConfiguration
from yarnemu.errors import ConfigurationException


def test_defaults_are_yarn_defaults():
    """Unset keys read yarn-default.xml's values."""
    config = YarnConfiguration()
    assert config.get_int("yarn.resourcemanager.am.max-attempts") == 2
    assert config.get_int("yarn.resourcemanager.nodemanagers.heartbeat-interval-ms") == 1000
    assert config.get_int("yarn.am.liveness-monitor.expiry-interval-ms") == 600000
    assert config.get_int("yarn.nm.liveness-monitor.expiry-interval-ms") == 600000
    assert config.get_int("yarn.resourcemanager.rm.container-allocation.expiry-interval-ms") == 600000
    assert (config.get_int("yarn.scheduler.minimum-allocation-mb"),
            config.get_int("yarn.scheduler.maximum-allocation-mb"),
            config.get_int("yarn.scheduler.minimum-allocation-vcores"),
            config.get_int("yarn.scheduler.maximum-allocation-vcores")) == (1024, 8192, 1, 4)
    assert config.get_float("yarn.scheduler.capacity.maximum-am-resource-percent") == 0.1
    assert (config.node_memory_mb, config.node_vcores) == (8192, 8)
    assert DEFAULTS["yarn.scheduler.capacity.node-locality-delay"] == 40


def test_values_may_be_strings_as_in_yarn_site():
    """String values convert to the key's type, as yarn-site.xml values do."""
    config = YarnConfiguration({"yarn.scheduler.minimum-allocation-mb": " 512 ",
                                "yarn.nodemanager.resource.memory-mb": "4096"})
    assert config.get_int("yarn.scheduler.minimum-allocation-mb") == 512
    assert config.node_memory_mb == 4096


@pytest.mark.parametrize("key, value", [
    ("yarn.resourcemanager.am.max-attempts", "two"),
    ("yarn.resourcemanager.am.max-attempts", 0),
    ("yarn.scheduler.minimum-allocation-mb", 1.5),
    ("yarn.scheduler.capacity.maximum-am-resource-percent", "lots"),
    ("yarn.resourcemanager.nodemanagers.heartbeat-interval-ms", True),
])
def test_bad_values_are_errors_naming_the_key(key, value):
    """A wrong type or an out-of-range value is refused at once with the key in the message."""
    with pytest.raises(ConfigurationException) as error:
        YarnConfiguration({key: value})
    assert key in error.value.message


def test_unknown_keys_are_kept_and_ignored():
    """Keys yarnemu does not read are accepted, as Hadoop accepts keys it does not use."""
    config = YarnConfiguration({"yarn.log-aggregation-enable": "true"})
    assert config.raw("yarn.log-aggregation-enable") == "true"
    assert config.get_bool("yarn.log-aggregation-enable") is True


def test_hadoop_variable_substitution():
    """``${key}`` expands to another key's value, as in the address defaults."""
    config = YarnConfiguration({"yarn.resourcemanager.hostname": "rm.example.com"})
    assert config.get_str("yarn.resourcemanager.webapp.address") == "rm.example.com:8088"


def test_with_values_overrides_without_changing_the_original():
    """``with_values`` returns a new configuration and leaves the original alone."""
    base = YarnConfiguration({"yarn.resourcemanager.am.max-attempts": 3})
    derived = base.with_values({"yarn.resourcemanager.am.max-attempts": 5})
    assert base.get_int("yarn.resourcemanager.am.max-attempts") == 3
    assert derived.get_int("yarn.resourcemanager.am.max-attempts") == 5
