"""Flink's option parsing (commons-cli's ``DefaultParser`` as ``CliFrontendParser`` uses it)."""

import pytest

from flinkyarn.cli.options import CliArgsException, Option, help_lines, parse

D = Option("D", None, "use value for given property", properties=True)
JM = Option("jm", "jobManagerMemory", "Memory for JobManager Container", "arg")
DETACHED = Option("d", "detached", "If present, runs the job in detached mode")
NAME = Option("nm", "name", "Set a custom name", "arg")
SAVEPOINT = Option("p", "savepointPath", "Path to the savepoint", "savepointPath",
                   optional_arg=True)
TARGET = Option("t", "target", "The deployment target", "arg")
OPTIONS = (D, JM, DETACHED, NAME, SAVEPOINT, TARGET)


def test_values_follow_their_option_or_are_attached():
    line = parse(OPTIONS, ["-jm", "1024", "--name=a", "-t=yarn-session"])
    assert line.value(JM) == "1024"
    assert line.value(NAME) == "a"
    assert line.value(TARGET) == "yarn-session"
    assert parse(OPTIONS, ["--jobManagerMemory", "2g"]).value(JM) == "2g"
    assert parse(OPTIONS, ["-jobManagerMemory", "3g"]).value(JM) == "3g"


def test_a_long_name_may_be_shortened_to_a_unique_prefix():
    assert parse(OPTIONS, ["--jobMan", "4g"]).value(JM) == "4g"
    with pytest.raises(CliArgsException, match=r"Unrecognized option: --x"):
        parse(OPTIONS, ["--x"])


def test_dynamic_properties_in_every_spelling():
    line = parse(OPTIONS, ["-D", "a=1", "-Db=2", "-D", "c", "3", "-Dflag", "-D", "e=x=y",
                           "-Da=4"])
    assert line.properties(D) == {"b": "2", "c": "3", "flag": "true", "e": "x=y", "a": "4"}


def test_a_token_naming_no_option_is_a_value():
    assert parse(OPTIONS, ["-nm", "-odd-name"]).value(NAME) == "-odd-name"


def test_missing_values_and_unknown_options_are_refused():
    with pytest.raises(CliArgsException, match=r"^Missing argument for option: jm$"):
        parse(OPTIONS, ["-jm"])
    with pytest.raises(CliArgsException, match=r"^Missing argument for option: jm$"):
        parse(OPTIONS, ["-jm", "-d"])
    with pytest.raises(CliArgsException, match=r"^Missing argument for option: D$"):
        parse(OPTIONS, ["-D", "key"])
    with pytest.raises(CliArgsException, match=r"^Unrecognized option: -x$"):
        parse(OPTIONS, ["-d", "-x"])


def test_parsing_may_stop_at_the_program():
    line = parse(OPTIONS, ["-d", "wordcount", "--records", "5", "-d"], stop_at_non_option=True)
    assert line.has(DETACHED)
    assert line.args == ("wordcount", "--records", "5", "-d")
    # commons-cli takes an unknown option for the first argument when it stops there.
    assert parse(OPTIONS, ["-x", "wordcount"], stop_at_non_option=True).args == ("-x",
                                                                                "wordcount")


def test_without_stopping_options_may_follow_arguments():
    line = parse(OPTIONS, ["0123", "-t", "yarn-session"])
    assert line.args == ("0123",)
    assert line.value(TARGET) == "yarn-session"
    assert parse(OPTIONS, ["-d", "--", "-t", "x"]).args == ("-t", "x")


def test_an_optional_value_is_taken_only_from_a_non_option():
    assert parse(OPTIONS, ["-p", "hdfs:///sp", "job"]).value(SAVEPOINT) == "hdfs:///sp"
    line = parse(OPTIONS, ["-p", "-d"])
    assert line.has(SAVEPOINT) and line.value(SAVEPOINT) is None and line.has(DETACHED)


def test_prefixed_options_are_the_yarn_cli_in_other_actions():
    prefixed = JM.prefixed("y", "yarn")
    assert (prefixed.short, prefixed.long) == ("yjm", "yarnjobManagerMemory")
    assert parse((prefixed,), ["--yarnjobManagerMemory", "1g"]).value(prefixed) == "1g"


def test_help_lists_options_sorted_and_wrapped():
    lines = help_lines((JM, D, DETACHED))
    column = "     {:<28}   {}".format
    assert lines == [column("-D <property=value>", "use value for given property"),
                     column("-d,--detached", "If present, runs the job in detached mode"),
                     column("-jm,--jobManagerMemory <arg>", "Memory for JobManager Container")]
    assert all(len(line) <= 80 for line in help_lines(OPTIONS + (Option(
        "x", "long", "word " * 40),)))
