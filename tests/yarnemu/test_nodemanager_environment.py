"""Tests for :mod:`yarnemu.nodemanager.environment`."""

from yarnemu.nodemanager.environment import (
    CLASS_PATH_SEPARATOR,
    container_environment,
    expand,
    expand_markers,
)

NM_ENVIRONMENT = {
    "CONTAINER_ID": "container_1767225600000_0001_01_000002",
    "NM_HOST": "node-0",
    "PWD": "/nm/usercache/alice/appcache/application_1767225600000_0001/container_x",
    "HADOOP_CONF_DIR": "/etc/hadoop",
    "USER": "alice",
}
LOG_DIR = "/nm/logs/application_1767225600000_0001/container_x"


def test_classpath_separator_is_colon():
    """``<CPS>`` is the Unix classpath separator."""
    assert CLASS_PATH_SEPARATOR == ":"
    assert expand("a.jar<CPS>b.jar<CPS>", {}) == "a.jar:b.jar:"


def test_cross_platform_variables():
    """``{{VAR}}`` is the variable's value, and an unset variable is empty."""
    assert expand("{{HADOOP_CONF_DIR}}/core-site.xml:{{UNSET}}", NM_ENVIRONMENT) == (
        "/etc/hadoop/core-site.xml:"
    )


def test_shell_variables():
    """``$VAR`` and ``${VAR}`` are expanded as a shell does, unset ones to nothing."""
    assert expand("$USER-${NM_HOST}x-$UNSET.", NM_ENVIRONMENT) == "alice-node-0x-."


def test_dollar_without_name_stays():
    """A ``$`` not followed by a variable name stays as it is."""
    assert expand("cost: 5$ and $1 and ${", {}) == "cost: 5$ and $1 and ${"


def test_log_dir_marker():
    """``<LOG_DIR>`` is the container's log directory when one is given, and left alone otherwise."""
    assert expand("<LOG_DIR>/gc.log", {}, LOG_DIR) == f"{LOG_DIR}/gc.log"
    assert expand("<LOG_DIR>/gc.log", {}) == "<LOG_DIR>/gc.log"


def test_expansion_happens_once():
    """A value that itself contains ``$`` after expansion is not expanded again."""
    assert expand("{{ODD}}", {"ODD": "$USER", "USER": "bob"}) == "$USER"


def test_markers_become_shell_variables():
    """The NodeManager's markers turn ``{{VAR}}`` into ``${VAR}``, for the shell to expand."""
    assert expand_markers("{{JAVA_HOME}}/bin/java -cp a<CPS>b <LOG_DIR>/x", LOG_DIR) == (
        f"${{JAVA_HOME}}/bin/java -cp a:b {LOG_DIR}/x"
    )


def test_user_variables_are_added():
    """The launch context's variables are in the container's environment."""
    environment = container_environment({"APP": "flink", "EMPTY": ""}, NM_ENVIRONMENT)
    assert environment["APP"] == "flink"
    assert environment["EMPTY"] == ""
    assert environment["CONTAINER_ID"] == NM_ENVIRONMENT["CONTAINER_ID"]


def test_user_variables_expand_against_nodemanager_variables():
    """A launch context's variable can use the NodeManager's, in either syntax."""
    environment = container_environment(
        {"CLASSPATH": "{{PWD}}/*<CPS>{{HADOOP_CONF_DIR}}<CPS>$PWD/lib/*"}, NM_ENVIRONMENT,
    )
    pwd = NM_ENVIRONMENT["PWD"]
    assert environment["CLASSPATH"] == f"{pwd}/*:/etc/hadoop:{pwd}/lib/*"


def test_user_variables_expand_against_earlier_user_variables():
    """A launch context's variable can use the ones before it; later ones are not yet set."""
    environment = container_environment(
        {"A": "a", "B": "{{A}}b{{C}}", "C": "c"}, NM_ENVIRONMENT,
    )
    assert (environment["A"], environment["B"], environment["C"]) == ("a", "ab", "c")


def test_user_variables_expand_log_dir():
    """``<LOG_DIR>`` in a launch context's variable is the container's log directory."""
    environment = container_environment({"GC_LOG": "<LOG_DIR>/gc.log"}, NM_ENVIRONMENT, LOG_DIR)
    assert environment["GC_LOG"] == f"{LOG_DIR}/gc.log"


def test_nodemanager_variables_cannot_be_overridden():
    """The NodeManager's variables win over the launch context's."""
    environment = container_environment(
        {"USER": "mallory", "PWD": "/", "CONTAINER_ID": "fake"}, NM_ENVIRONMENT,
    )
    assert environment["USER"] == "alice"
    assert environment["PWD"] == NM_ENVIRONMENT["PWD"]
    assert environment["CONTAINER_ID"] == NM_ENVIRONMENT["CONTAINER_ID"]


def test_values_become_strings():
    """Non-string values in a launch context become strings."""
    assert container_environment({"N": 3}, {})["N"] == "3"


def test_inputs_are_not_changed():
    """Building an environment leaves its inputs as they were."""
    user = {"A": "{{USER}}"}
    nm = dict(NM_ENVIRONMENT)
    container_environment(user, nm)
    assert user == {"A": "{{USER}}"}
    assert nm == NM_ENVIRONMENT
