"""
Tests for :mod:`flinkyarn.yarn.container_command`: what the JobManager's and TaskManagers'
container commands and environments share.
"""

from flinkyarn.config import Configuration
from flinkyarn.yarn.container_command import (
    DEFAULT_YARN_APPLICATION_CLASSPATH,
    container_classpath,
    jvm_options,
    prefixed_environment,
    start_command,
)


def test_start_command_collapses_double_spaces_and_trims():
    """Empty values leave no double spaces, as BootstrapTools.getStartCommand replaces them."""
    assert start_command("%a% %b% %c%", {"a": "x", "b": "", "c": "z"}) == "x z"


def test_jvm_options_collect_env_java_opts_before_ignoring_unknown_options():
    """``env.java.opts`` and ``env.java.opts.jobmanager`` come before ignoring unknown options."""
    config = Configuration({"env.java.opts": "-Da=1", "env.java.opts.jobmanager": "-Db=2"})
    assert jvm_options(config, "jobmanager") == "-Da=1 -Db=2 -XX:+IgnoreUnrecognizedVMOptions"
    assert jvm_options(Configuration(), "jobmanager") == "-XX:+IgnoreUnrecognizedVMOptions"


def test_jvm_options_are_per_process_and_prefer_the_newer_keys():
    """A process reads only its own keys; ``.all`` wins over the older key it replaced."""
    config = Configuration({
        "env.java.opts": "-Dold=1", "env.java.opts.all": "-Dall=1",
        "env.java.default-opts.all": "-Ddefault=1",
        "env.java.opts.jobmanager": "-Djm=1", "env.java.opts.taskmanager": " -Dtm=1 ",
        "env.java.default-opts.taskmanager": "   ",
    })
    assert jvm_options(config, "taskmanager") == (
        "-Ddefault=1 -Dall=1 -Dtm=1 -XX:+IgnoreUnrecognizedVMOptions")


def test_prefixed_environment_strips_the_prefix_and_skips_the_bare_prefix():
    config = Configuration({"containerized.master.env.JAVA_HOME": "/opt/jdk",
                            "containerized.master.env.": "x",
                            "containerized.taskmanager.env.TZ": "UTC"})
    assert prefixed_environment(config, "containerized.master.env.") == {"JAVA_HOME": "/opt/jdk"}


def test_container_classpath_puts_flink_first_then_yarn_entries_trimmed():
    assert container_classpath("lib/a.jar:", [" $X/* ", "", "$Y"]) == "lib/a.jar::$X/*:$Y"
    assert container_classpath("f.jar") == ":".join(("f.jar",) + DEFAULT_YARN_APPLICATION_CLASSPATH)
