"""
Tests for :mod:`yarnemu.yarncli.options`: commons-cli's ``GnuParser`` reading and
``HelpFormatter`` usage text.  The usage expectations are Hadoop's own (``TestYarnCLI``'s
``createApplicationCLIHelpMessage`` and ``createNodeCLIHelpMessage``, for the options of those
Hadoop versions).
"""

import pytest

from yarnemu.yarncli.options import (
    MissingArgumentException,
    Option,
    UnrecognizedOptionException,
    parse,
    usage,
)

OPTIONS = (
    Option("list", "List."),
    Option("status", "Status.", "Application ID"),
    Option("appStates", "States.", "States", many=True, separator=","),
    Option("kill", "Kill.", "Application ID", many=True, separator=" "),
)


def test_flags_values_and_leftovers():
    """Flags take nothing, a one-value option takes the next argument, the rest is left over."""
    line = parse(OPTIONS, ["-list", "-status", "application_1_0001", "extra"])
    assert line.has("list") and line.values["list"] == []
    assert line.value("status") == "application_1_0001"
    assert line.leftovers == ("extra",)
    assert not line.has("kill")


def test_many_valued_options_split_and_stop_at_the_next_option():
    """A many-valued option splits at its separator and takes arguments up to the next option."""
    line = parse(OPTIONS, ["-appStates", "FINISHED ,, , FAILED", ",,FINISHED", "-list"])
    assert line.all_values("appStates") == ("FINISHED ", "", " ", " FAILED", "", "", "FINISHED")
    assert line.has("list")
    kill = parse(OPTIONS, ["-kill", "application_1_0001 application_1_0002", "application_1_0003"])
    assert kill.all_values("kill") == ("application_1_0001", "application_1_0002",
                                       "application_1_0003")


def test_double_dash_equals_and_quotes():
    """--name is -name, -name=value splits, surrounding double quotes are stripped."""
    line = parse(OPTIONS, ["--list", "-status=\"application_1_0001\""])
    assert line.has("list") and line.value("status") == "application_1_0001"


def test_a_value_may_look_like_an_unknown_option():
    """An argument that names no option is taken as a value, as GnuParser does."""
    assert parse(OPTIONS, ["-status", "-x"]).value("status") == "-x"


def test_repeated_options_add_their_values():
    """Values of a repeated option add up."""
    line = parse(OPTIONS, ["-appStates", "RUNNING", "-appStates", "KILLED"])
    assert line.all_values("appStates") == ("RUNNING", "KILLED")


def test_missing_value_and_unknown_option():
    """No value raises MissingArgumentException; an unknown -option UnrecognizedOptionException."""
    with pytest.raises(MissingArgumentException):
        parse(OPTIONS, ["-status"])
    with pytest.raises(MissingArgumentException):
        parse(OPTIONS, ["-status", "-list"])
    with pytest.raises(UnrecognizedOptionException) as raised:
        parse(OPTIONS, ["-list", "-foo"])
    assert raised.value.message == "Unrecognized option: -foo"
    with pytest.raises(UnrecognizedOptionException):
        parse(OPTIONS, ["-LIST"])


def test_has_any_other():
    """has_any_other tells whether an option outside the given ones is present."""
    line = parse(OPTIONS, ["-status", "x", "-list"])
    assert line.has_any_other("status")
    assert not line.has_any_other("status", "list")


HADOOP_28_APPLICATION_OPTIONS = (
    Option("status", "Prints the status of the application.", "Application ID"),
    Option("list", "List applications. Supports optional use of -appTypes to filter "
                   "applications based on application type, and -appStates to filter "
                   "applications based on application state."),
    Option("kill", "Kills the application. Set of applications can be provided separated "
                   "with space", "Application ID", many=True, separator=" "),
    Option("movetoqueue", "Moves the application to a different queue.", "Application ID"),
    Option("queue", "Works with the movetoqueue command to specify which queue to move an "
                    "application to.", "Queue Name"),
    Option("help", "Displays help for all commands."),
    Option("appTypes", "Works with -list to filter applications based on input "
                       "comma-separated list of application types.", "Types", many=True),
    Option("appStates", "Works with -list to filter applications based on input "
                        "comma-separated list of application states. The valid application "
                        "state can be one of the following: ALL,NEW,NEW_SAVING,SUBMITTED,"
                        "ACCEPTED,RUNNING,FINISHED,FAILED,KILLED", "States", many=True),
    Option("appId", "Specify Application Id to be operated", "Application ID"),
    Option("updatePriority", "update priority of an application. ApplicationId can be passed "
                             "using 'appId' option.", "Priority"),
)

HADOOP_28_APPLICATION_USAGE = """\
usage: application
 -appId <Application ID>         Specify Application Id to be operated
 -appStates <States>             Works with -list to filter applications
                                 based on input comma-separated list of
                                 application states. The valid application
                                 state can be one of the following:
                                 ALL,NEW,NEW_SAVING,SUBMITTED,ACCEPTED,RUN
                                 NING,FINISHED,FAILED,KILLED
 -appTypes <Types>               Works with -list to filter applications
                                 based on input comma-separated list of
                                 application types.
 -help                           Displays help for all commands.
 -kill <Application ID>          Kills the application. Set of
                                 applications can be provided separated
                                 with space
 -list                           List applications. Supports optional use
                                 of -appTypes to filter applications based
                                 on application type, and -appStates to
                                 filter applications based on application
                                 state.
 -movetoqueue <Application ID>   Moves the application to a different
                                 queue.
 -queue <Queue Name>             Works with the movetoqueue command to
                                 specify which queue to move an
                                 application to.
 -status <Application ID>        Prints the status of the application.
 -updatePriority <Priority>      update priority of an application.
                                 ApplicationId can be passed using 'appId'
                                 option.
"""

HADOOP_NODE_OPTIONS = (
    Option("help", "Displays help for all commands."),
    Option("status", "Prints the status report of the node.", "NodeId"),
    Option("list", "List all running nodes. Supports optional use of -states to filter nodes "
                   "based on node state, all -all to list all nodes, -showDetails to display "
                   "more details about each node."),
    Option("states", "Works with -list to filter nodes based on input comma-separated list of "
                     "node states.", "States", many=True),
    Option("all", "Works with -list to list all nodes."),
    Option("showDetails", "Works with -list to show more details about each node."),
)

HADOOP_NODE_USAGE = """\
usage: node
 -all               Works with -list to list all nodes.
 -help              Displays help for all commands.
 -list              List all running nodes. Supports optional use of
                    -states to filter nodes based on node state, all -all
                    to list all nodes, -showDetails to display more
                    details about each node.
 -showDetails       Works with -list to show more details about each node.
 -states <States>   Works with -list to filter nodes based on input
                    comma-separated list of node states.
 -status <NodeId>   Prints the status report of the node.
"""


def test_usage_is_help_formatters():
    """Usage sorts options ignoring case and wraps at 74 columns, chunking over-long words."""
    assert usage("application", HADOOP_28_APPLICATION_OPTIONS) == HADOOP_28_APPLICATION_USAGE
    assert usage("node", HADOOP_NODE_OPTIONS) == HADOOP_NODE_USAGE
