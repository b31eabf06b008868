"""How an attached ``yarn-session`` waits: for ``stop``, a failed application, or an interrupt."""

import io

from flinkyarn.cli.attached_session import SESSION_HELP, AttachedSession
from flinkyarn.cli.console import Console
from tests.yarnemu.running_cluster import RunningCluster
from yarnemu.records.ids import ApplicationId


def watch(running, application_id):
    out, err = io.StringIO(), io.StringIO()
    session = AttachedSession(running.clock, running.cluster.yarn_client("alice"),
                              application_id, Console(out, err))
    reasons = []
    session.wait().addCallback(reasons.append)
    return session, reasons, err


def test_stop_or_quit_end_the_wait_and_other_lines_get_help(tmp_path):
    running = RunningCluster(tmp_path)
    application_id = running.submit("sleep 600")
    session, reasons, err = watch(running, application_id)
    session.command("help")
    session.command("status")
    running.advance(30)
    assert reasons == []
    session.command("quit")
    assert reasons == ["stop"]
    assert err.getvalue() == (f"{SESSION_HELP}\nUnknown command 'status'. Showing help:\n"
                              f"{SESSION_HELP}\n")
    session.command("stop")  # after the end: nothing
    assert reasons == ["stop"]


def test_a_killed_application_ends_the_wait(tmp_path):
    running = RunningCluster(tmp_path)
    application_id = running.submit("sleep 600")
    session, reasons, err = watch(running, application_id)
    running.advance(5)
    running.client.force_kill_application(application_id, "alice")
    running.advance(3)
    assert reasons == ["failed"]
    assert err.getvalue() == "The Flink Yarn cluster has failed.\n"


def test_a_report_that_cannot_be_read_for_15_seconds_ends_the_wait(tmp_path):
    running = RunningCluster(tmp_path)
    session, reasons, err = watch(running, ApplicationId(1, 999))
    running.advance(15)
    assert reasons == []
    running.advance(2)
    assert reasons == ["unknown"]
    assert err.getvalue() == ("The Flink Yarn cluster is in an unknown state. Please check the "
                              "Yarn cluster.\n")
    running.advance(60)  # it has stopped asking
    assert reasons == ["unknown"] and err.getvalue().count("\n") == 1


def test_an_interrupt_ends_the_wait(tmp_path):
    running = RunningCluster(tmp_path)
    session, reasons, _ = watch(running, running.submit("sleep 600"))
    session.stop()
    assert reasons == ["interrupted"]
