"""What ``flinkyarn`` writes: prints, log lines in Flink's console layout, and failures."""

import io
import re

from twisted.internet import error as internet_error

from flinkyarn.cli.console import (
    CLI_CONSOLE_LOGGERS,
    SESSION_CONSOLE_LOGGERS,
    Console,
    exception_lines,
)
from flinkyarn.client.client_log import JOB_CLUSTER_EXECUTOR, REST_CLUSTER_CLIENT, ClientLog
from flinkyarn.client.errors import ClusterRetrieveException
from flinkyarn.runtime.errors import FlinkException
from flinkyarn.runtime.gateways import RestHandlerException
from yarnemu.clock import VirtualClock
from yarnemu.errors import ApplicationNotFoundException
from yarnemu.events import EventLog

LOG_LINE = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} ")


def console(loggers=CLI_CONSOLE_LOGGERS, clock=None):
    out, err = io.StringIO(), io.StringIO()
    return Console(out, err, loggers, clock), out, err


def test_the_clients_prints_are_printed_and_its_log_lines_logged():
    clock = VirtualClock(1_700_000_000.25)
    shown, out, _ = console(clock=clock)
    events = EventLog(clock)
    log = ClientLog(events)
    shown.follow(log)
    log.info("Found Web Interface node-1:8081 of application 'application_1_0001'.")
    log.print("Job has been submitted with JobID 0123")
    # Not on the console of the flink actions (log4j-cli.properties):
    log.info("Submitting job 'WordCount' (0123).", logger=REST_CLUSTER_CLIENT)
    log.info("Job has been submitted with JobID 0123", logger=JOB_CLUSTER_EXECUTOR)
    log.print("Program execution finished\nJob with JobID 0123 has finished.\n")
    assert len(events.events) == 5  # the event stream has every line
    lines = out.getvalue().split("\n")
    assert LOG_LINE.match(lines[0])
    assert lines[0][23:] == (" INFO  org.apache.flink.yarn.YarnClusterDescriptor"
                             "                  [] - Found Web Interface node-1:8081 of "
                             "application 'application_1_0001'.")
    assert lines[0][19:23] == ",250"
    assert lines[1:] == ["Job has been submitted with JobID 0123", "Program execution finished",
                         "Job with JobID 0123 has finished.", "", ""]


def test_a_session_shows_every_logger():
    shown, out, _ = console(SESSION_CONSOLE_LOGGERS)
    shown.log("INFO", "org.apache.flink.client.program.rest.RestClusterClient", "x", 0)
    assert out.getvalue().endswith("[] - x\n")
    shown, out, _ = console()
    shown.log("INFO", "org.apache.flink.client.program.rest.RestClusterClient", "x", 0)
    shown.log("WARN", "org.apache.hadoop.yarn.Something", "y", 0)
    assert out.getvalue().count("\n") == 1 and " WARN  org.apache.hadoop" in out.getvalue()


def test_client_lines_show_under_the_logger_they_were_logged_with():
    shown, out, _ = console(SESSION_CONSOLE_LOGGERS)
    log = ClientLog(None)
    stop = shown.follow(log)
    log.warn("Attempt to submit job 'a' (b) to 'c' has failed.", logger=REST_CLUSTER_CLIENT)
    log.info("Deploying cluster, current state ACCEPTED")
    stop()
    log.info("not shown")
    lines = out.getvalue().splitlines()
    assert [line[24:].split(" [] - ") for line in lines] == [
        ["WARN  " + REST_CLUSTER_CLIENT.ljust(60),
         "Attempt to submit job 'a' (b) to 'c' has failed."],
        ["INFO  " + "org.apache.flink.yarn.YarnClusterDescriptor".ljust(60),
         "Deploying cluster, current state ACCEPTED"]]


def test_failures_are_shown_as_flinks_cli_shows_them():
    shown, out, err = console()
    assert shown.argument_error("Missing JobID. Specify a JobID to cancel a job.") == 1
    assert out.getvalue() == ("Missing JobID. Specify a JobID to cancel a job.\n\n"
                              "Use the help option (-h or --help) to get help on the command.\n")
    try:
        try:
            raise ApplicationNotFoundException("Application with id 'application_1_9' "
                                               "doesn't exist in RM.")
        except ApplicationNotFoundException as cause:
            raise ClusterRetrieveException("Couldn't retrieve Yarn cluster") from cause
    except ClusterRetrieveException as error:
        assert shown.program_error(error) == 1
    assert err.getvalue() == (
        "\n------------------------------------------------------------\n"
        " The program finished with the following exception:\n\n"
        "org.apache.flink.client.deployment.ClusterRetrieveException: Couldn't retrieve Yarn "
        "cluster\n"
        "Caused by: org.apache.hadoop.yarn.exceptions.ApplicationNotFoundException: "
        "Application with id 'application_1_9' doesn't exist in RM.\n")


def test_exceptions_read_as_java_exceptions():
    error = FlinkException("Could not cancel job 0.")
    error.__cause__ = RestHandlerException(404, "Job could not be found.", ["detail"])
    error.__cause__.__cause__ = internet_error.ConnectionRefusedError()
    assert exception_lines(error) == [
        "org.apache.flink.util.FlinkException: Could not cancel job 0.",
        "Caused by: org.apache.flink.runtime.rest.handler.RestHandlerException: "
        "[Job could not be found., detail]",
        "Caused by: java.net.ConnectException: Connection was refused by other side.",
    ]
    assert exception_lines(RuntimeError("x")) == ["java.lang.RuntimeException: x"]
