"""
Tests for :mod:`yarnemu.yarncli.application` (``yarnemu application``) against Hadoop-shaped
RM REST JSON: output byte for byte, requests sent, exit statuses.  Table layouts follow
Hadoop's ``TestYarnCLI``.
"""

import pytest

from tests.yarnemu.rm_rest_fixtures import (
    CLUSTER_TS,
    ScriptedRm,
    app_json,
    attempt_routes,
    not_found,
)
from yarnemu.yarncli import run

APPS = "/ws/v1/cluster/apps"
APP1 = f"application_{CLUSTER_TS}_0001"
APP2 = f"application_{CLUSTER_TS}_0002"

HEADER = ("                Application-Id\t    Application-Name\t    Application-Type\t      "
          "User\t     Queue\t             State\t       Final-State\t       Progress\t"
          "                       Tracking-URL\n")


def application(rm, *arguments, sleeps=None):
    return run("application", list(arguments), send=rm,
               sleep=(sleeps.append if sleeps is not None else None))


def test_list_defaults_to_the_active_states(capsys):
    """-list asks for SUBMITTED, ACCEPTED, RUNNING and prints the count line and the table."""
    accepted = app_json(2, name="word count", applicationType="MAPREDUCE", user="bob",
                        queue="prod", state="ACCEPTED", progress=0.0, trackingUI="UNASSIGNED",
                        trackingUrl=None)
    rm = ScriptedRm({("GET", APPS): (200, {"apps": {"app": [app_json(1, progress=53.789),
                                                            accepted]}}),
                     **attempt_routes(1, "http://nm1.example.com:37011", attempts=2)})
    assert application(rm, "-list") == 0
    assert rm.requests == [
        ("GET", APPS, {"states": "SUBMITTED,ACCEPTED,RUNNING"}, None),
        ("GET", f"{APPS}/{APP1}/appattempts", {}, None),
        ("GET", f"{APPS}/{APP1}/appattempts/appattempt_{CLUSTER_TS}_0001_000002", {}, None),
    ]
    assert capsys.readouterr().out == (
        "Total number of applications (application-types: [], states: [SUBMITTED, ACCEPTED, "
        "RUNNING] and tags: []):2\n" + HEADER +
        f"{APP1}\tFlink session cluster\t        Apache Flink\t     alice\t   default\t"
        "           RUNNING\t         UNDEFINED\t         53.79%\t"
        "       http://nm1.example.com:37011\n"
        f"{APP2}\t          word count\t           MAPREDUCE\t       bob\t      prod\t"
        "          ACCEPTED\t         UNDEFINED\t             0%\t"
        "                                N/A\n")


def test_list_filters_echo_hadoops_sets(capsys):
    """Types are upper-cased, blanks dropped; states and tags print as Java's sets print them."""
    rm = ScriptedRm({("GET", APPS): (200, {"apps": None})})
    assert application(rm, "-list", "-appTypes", "yarn, ,,  non-yarn", "--appStates",
                       "finished ,, , FAILED", "-appTags", "prod,flink") == 0
    assert rm.requests[0][2] == {"states": "FINISHED,FAILED", "applicationTypes": "NON-YARN,YARN",
                                 "applicationTags": "flink,prod"}
    assert capsys.readouterr().out == (
        "Total number of applications (application-types: [NON-YARN, YARN], states: "
        "[FINISHED, FAILED] and tags: [flink, prod]):0\n" + HEADER)


def test_list_all_states(capsys):
    """-appStates ALL asks for every state; what follows ALL is not looked at."""
    rm = ScriptedRm({("GET", APPS): (200, {"apps": None})})
    assert application(rm, "-list", "-appStates", "FINISHED,all,BOGUS") == 0
    assert rm.requests[0][2]["states"] == \
        "NEW,NEW_SAVING,SUBMITTED,ACCEPTED,RUNNING,FINISHED,FAILED,KILLED"
    assert capsys.readouterr().out.startswith(
        "Total number of applications (application-types: [], states: [NEW, NEW_SAVING, "
        "SUBMITTED, ACCEPTED, RUNNING, FINISHED, FAILED, KILLED] and tags: []):0\n")


def test_list_invalid_state(capsys):
    """An unknown state prints Hadoop's two lines, asks nothing and exits -1."""
    rm = ScriptedRm({})
    assert application(rm, "-list", "--appStates", "FINISHED ,, , INVALID") == -1
    assert rm.requests == []
    assert capsys.readouterr().out == (
        "The application state  INVALID is invalid.\n"
        "The valid application state can be one of the following: "
        "ALL,NEW,NEW_SAVING,SUBMITTED,ACCEPTED,RUNNING,FINISHED,FAILED,KILLED\n")


def test_status_prints_the_application_report(capsys):
    """-status prints every report line, ending with the timeouts and an empty line."""
    app = app_json(1, progress=53.789, diagnostics="all good")
    rm = ScriptedRm({("GET", f"{APPS}/{APP1}"): (200, {"app": app}),
                     **attempt_routes(1, "http://nm1.example.com:37011")})
    assert application(rm, "-status", APP1) == 0
    assert capsys.readouterr().out == (
        "Application Report : \n"
        f"\tApplication-Id : {APP1}\n"
        "\tApplication-Name : Flink session cluster\n"
        "\tApplication-Type : Apache Flink\n"
        "\tUser : alice\n"
        "\tQueue : default\n"
        "\tApplication Priority : 0\n"
        "\tStart-Time : 1476913457320\n"
        "\tFinish-Time : 0\n"
        "\tProgress : 53.79%\n"
        "\tState : RUNNING\n"
        "\tFinal-State : UNDEFINED\n"
        "\tTracking-URL : http://nm1.example.com:37011\n"
        "\tRPC Port : 41648\n"
        "\tAM Host : nm1.example.com\n"
        "\tAggregate Resource Allocation : 206464 MB-seconds, 201 vcore-seconds\n"
        "\tAggregate Resource Preempted : 0 MB-seconds, 0 vcore-seconds\n"
        "\tLog Aggregation Status : DISABLED\n"
        "\tDiagnostics : all good\n"
        "\tUnmanaged Application : false\n"
        "\tApplication Node Label Expression : <Not set>\n"
        "\tAM container Node Label Expression : <DEFAULT_PARTITION>\n"
        "\tTimeoutType : LIFETIME\tExpiryTime : UNLIMITED\tRemainingTime : -1seconds\n"
        "\n")


def test_status_of_an_unregistered_unmanaged_app(capsys):
    """Before the AM registers: N/A host and URL, -1 port; unmanaged: a null AM label."""
    app = app_json(1, state="ACCEPTED", trackingUI="UNASSIGNED", trackingUrl=None,
                   unmanagedApplication=True, amRPCAddress=None, appNodeLabelExpression="",
                   logAggregationStatus=None)
    del app["timeouts"], app["amNodeLabelExpression"]
    rm = ScriptedRm({("GET", f"{APPS}/{APP1}"): (200, {"app": app})})
    assert application(rm, "-status", APP1) == 0
    lines = capsys.readouterr().out.splitlines()
    assert "\tTracking-URL : N/A" in lines
    assert "\tRPC Port : -1" in lines and "\tAM Host : N/A" in lines
    assert "\tLog Aggregation Status : N/A" in lines
    assert "\tUnmanaged Application : true" in lines
    assert "\tApplication Node Label Expression : <DEFAULT_PARTITION>" in lines
    assert "\tAM container Node Label Expression : null" in lines
    assert lines[-2:] == ["\tTimeoutType : LIFETIME\tExpiryTime : UNLIMITED\t"
                          "RemainingTime : -1seconds", ""]


def test_am_host_and_port_come_from_the_attempt_report(capsys):
    """An AM registered without an RPC port has no amRPCAddress: its host is the attempt's."""
    routes = attempt_routes(1, "N/A")
    attempt_path = [path for _, path in routes if path.endswith("_000001")][0]
    routes[("GET", attempt_path)][1]["appAttempt"].update(host="nm2.example.com", rpcPort=-1)
    rm = ScriptedRm({("GET", f"{APPS}/{APP1}"): (200, {"app": app_json(1, amRPCAddress=None)}),
                     **routes})
    assert application(rm, "-status", APP1) == 0
    out = capsys.readouterr().out
    assert "\tTracking-URL : N/A\n\tRPC Port : -1\n\tAM Host : nm2.example.com\n" in out


def test_tracking_url_without_the_attempt_report(capsys):
    """An RM that serves no attempt report: amRPCAddress and the proxied trackingUrl are shown."""
    rm = ScriptedRm({("GET", f"{APPS}/{APP1}"): (200, {"app": app_json(1)})})
    assert application(rm, "-status", APP1) == 0
    assert (f"\tTracking-URL : http://rm.example.com:8088/proxy/{APP1}/\n"
            "\tRPC Port : 41648\n\tAM Host : nm1.example.com\n") in capsys.readouterr().out


def test_tracking_url_of_an_app_without_attempts(capsys):
    """An application killed before any attempt has no original URL: N/A."""
    app = app_json(1, state="KILLED", trackingUI="History", finishedTime=1476913458000)
    rm = ScriptedRm({("GET", f"{APPS}/{APP1}"): (200, {"app": app}),
                     ("GET", f"{APPS}/{APP1}/appattempts"): (200, {"appAttempts": None})})
    assert application(rm, "-status", APP1) == 0
    assert "\tTracking-URL : N/A\n" in capsys.readouterr().out


def test_tracking_url_given_in_app_info(capsys):
    """An RM that puts originalTrackingUrl in AppInfo is taken at its word, with no more asks."""
    app = app_json(1, originalTrackingUrl="http://nm1.example.com:37011")
    rm = ScriptedRm({("GET", f"{APPS}/{APP1}"): (200, {"app": app})})
    assert application(rm, "-status", APP1) == 0
    assert "\tTracking-URL : http://nm1.example.com:37011\n" in capsys.readouterr().out
    assert len(rm.requests) == 1


def test_status_of_an_unknown_application(capsys):
    """An unknown id prints "doesn't exist in RM or Timeline Server." and exits -1."""
    rm = ScriptedRm({})
    assert application(rm, "-status", "application_1_7") == -1
    assert rm.requests[0][1] == f"{APPS}/application_1_0007"
    assert capsys.readouterr().out == \
        "Application with id 'application_1_7' doesn't exist in RM or Timeline Server.\n"


def test_kill_a_running_application_waits_until_it_is_killed(capsys):
    """-kill prints "Killing application X" and repeats the PUT until the RM answers 200."""
    path = f"{APPS}/{APP1}/state"
    rm = ScriptedRm({
        ("GET", f"{APPS}/{APP1}"): (200, {"app": app_json(1)}),
        ("PUT", path): [(202, {"state": "RUNNING"})] * 11 + [(200, {"state": "KILLED"})],
    })
    sleeps = []
    assert application(rm, "-kill", APP1, sleeps=sleeps) == 0
    assert [r[0] for r in rm.requests] == ["GET"] + ["PUT"] * 12
    assert all(r[3] == {"state": "KILLED"} for r in rm.requests[1:])
    assert sleeps == [0.2] * 11
    captured = capsys.readouterr()
    assert captured.out == f"Killing application {APP1}\n"
    assert captured.err == f"Waiting for application {APP1} to be killed.\n"


@pytest.mark.parametrize("state", ["FINISHED", "KILLED", "FAILED"])
def test_kill_a_finished_application(capsys, state):
    """A finished application is not killed: "has already finished " and status 0."""
    rm = ScriptedRm({("GET", f"{APPS}/{APP1}"): (200, {"app": app_json(1, state=state)})})
    assert application(rm, "-kill", APP1) == 0
    assert [r[0] for r in rm.requests] == ["GET"]
    assert capsys.readouterr().out == f"Application {APP1} has already finished \n"


def test_kill_unknown_and_several(capsys):
    """Unknown ids print "doesn't exist in RM."; -1 only when no id was known."""
    rm = ScriptedRm({("GET", f"{APPS}/{APP2}"): (200, {"app": app_json(2, state="KILLED")})})
    assert application(rm, "-kill", APP1) == -1
    assert capsys.readouterr().out == f"Application with id '{APP1}' doesn't exist in RM.\n"
    assert application(rm, "-kill", f"{APP1} {APP2}") == 0
    assert capsys.readouterr().out == (f"Application with id '{APP1}' doesn't exist in RM.\n"
                                       f"Application {APP2} has already finished \n")


def test_kill_of_an_application_gone_meanwhile_is_skipped(capsys):
    """A 404 on the PUT (the app left the RM) is passed over silently, as Hadoop does."""
    rm = ScriptedRm({("GET", f"{APPS}/{APP1}"): (200, {"app": app_json(1)}),
                     ("PUT", f"{APPS}/{APP1}/state"): not_found("app gone")})
    assert application(rm, "-kill", APP1) == -1
    assert capsys.readouterr().out == f"Killing application {APP1}\n"


def test_usage_help_and_misuse(capsys):
    """-help prints the usage (0); no command option: "Invalid Command Usage : " on stderr (0)."""
    rm = ScriptedRm({})
    assert application(rm, "-help") == 0
    usage = capsys.readouterr().out
    assert usage.startswith("usage: application\n -appStates <States>        Works with -list")
    assert " -status <Application ID>   Prints the status of the application.\n" in usage
    assert application(rm) == 0
    captured = capsys.readouterr()
    assert (captured.out, captured.err) == (usage, "Invalid Command Usage : \n")
    assert application(rm, "-appStates", "RUNNING") == 0
    assert capsys.readouterr().err == "Invalid Command Usage : \n"
    for misuse in (["-status", APP1, "extra"], ["-status", APP1, "-list"],
                   ["--appStates", "RUNNING", "-kill", APP1]):
        assert application(rm, *misuse) == -1
        assert capsys.readouterr().out == usage
    assert application(rm, "-status") == -1
    assert capsys.readouterr().out == "Missing argument for options\n" + usage
    assert rm.requests == []


def test_malformed_ids_and_unknown_options(capsys):
    """What Hadoop leaves uncaught ends with the exception's line on stderr and status 1."""
    rm = ScriptedRm({})
    assert application(rm, "-status", "app_1_1") == 1
    assert capsys.readouterr().err == (
        'Exception in thread "main" java.lang.IllegalArgumentException: Invalid ApplicationId '
        "prefix: app_1_1. The valid ApplicationId should start with prefix application\n")
    assert application(rm, "-kill", "application_x") == 1
    assert capsys.readouterr().err == ('Exception in thread "main" java.lang.'
                                       "IllegalArgumentException: Invalid ApplicationId: "
                                       "application_x\n")
    assert application(rm, "-list", "-bogus") == 1
    assert capsys.readouterr().err == ('Exception in thread "main" org.apache.commons.cli.'
                                       "UnrecognizedOptionException: Unrecognized option: "
                                       "-bogus\n")
    assert rm.requests == []
