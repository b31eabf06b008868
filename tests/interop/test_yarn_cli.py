"""
The real ``yarn`` command — Hadoop 3.5.0's ``ApplicationCLI``, ``NodeCLI`` and ``QueueCLI`` from the
client jar — against the service over Hadoop RPC: it lists, shows and kills applications with its
normal output, says "doesn't exist" for an unknown id, and prints exactly what yarnemu's own
``yarnemu application`` / ``yarnemu node`` print over the RM REST API for the same cluster.
"""

import os
import subprocess
import sys

import pytest
import requests

from tests.interop.conftest import wait_for
from yarnemu.interop.clients import NODE_CLI, QUEUE_CLI

UNKNOWN = "application_1000000000000_0999"

LIST_HEADER = ("                Application-Id\t    Application-Name\t    Application-Type\t"
               "      User\t     Queue\t             State\t       Final-State\t       Progress\t"
               "                       Tracking-URL")


def submit_sleep(service, name, seconds=600):
    """Submit, over the RM REST API, an application whose AM container runs ``sleep``."""
    new = requests.post(service.rm + "/ws/v1/cluster/apps/new-application", timeout=10)
    new.raise_for_status()
    application_id = new.json()["application-id"]
    response = requests.post(service.rm + "/ws/v1/cluster/apps?user.name=alice", timeout=10, json={
        "application-id": application_id,
        "application-name": name,
        "queue": "default",
        "am-container-spec": {"commands": {"command": f"sleep {seconds}"}},
        "resource": {"memory": 1024, "vCores": 1},
        "application-type": "YARN",
    })
    assert response.status_code == 202, response.text
    return application_id


def yarnemu_cli(service, *arguments):
    """yarnemu's own ``yarn`` views, over the RM REST API."""
    yarnemu = os.path.join(os.path.dirname(sys.executable), "yarnemu")
    return subprocess.run([yarnemu, *arguments, "--rm", service.rm], capture_output=True,
                          text=True, timeout=60)


def report_fields(text):
    """:return: the ``Name : value`` lines of a report (``-status``) as a dict."""
    fields = {}
    for line in text.splitlines()[1:]:
        name, separator, value = line.strip("\t").partition(" : ")
        if separator:
            fields[name.strip()] = value.strip()
    return fields


def app_state(service, application_id):
    response = requests.get(f"{service.rm}/ws/v1/cluster/apps/{application_id}", timeout=10)
    return response.json()["app"]["state"]


@pytest.fixture(scope="module")
def sleeper(service):
    """An application whose AM (``sleep 600``) runs as a process on a NodeManager."""
    application_id = submit_sleep(service, "interop-sleeper")
    wait_for(lambda: app_state(service, application_id) == "ACCEPTED", 30,
             what=f"{application_id} ACCEPTED")
    yield application_id
    requests.put(f"{service.rm}/ws/v1/cluster/apps/{application_id}/state",
                 json={"state": "KILLED"}, timeout=10)


def test_list_shows_the_applications_in_hadoops_table(yarn, sleeper):
    """-list: the "Total number of applications" line, the header, a row per running app."""
    result = yarn("application", "-list")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("Total number of applications (application-types: [], states: "
                               "[SUBMITTED, ACCEPTED, RUNNING] and tags: []):")
    assert lines[1] == LIST_HEADER
    rows = [line.split("\t") for line in lines[2:]]
    row = next(row for row in rows if row[0].strip() == sleeper)
    assert [cell.strip() for cell in row[1:]] == [
        "interop-sleeper", "YARN", "alice", "default", "ACCEPTED", "UNDEFINED", "0%", "N/A"]
    assert int(lines[0].rsplit(":", 1)[1]) == len(rows)


def test_status_shows_the_application_report(yarn, sleeper):
    """-status ID: Hadoop's "Application Report" with the app's fields."""
    result = yarn("application", "-status", sleeper)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "Application Report : "
    fields = report_fields(result.stdout)
    assert fields["Application-Id"] == sleeper
    assert fields["Application-Name"] == "interop-sleeper"
    assert (fields["User"], fields["Queue"]) == ("alice", "default")
    assert (fields["State"], fields["Final-State"]) == ("ACCEPTED", "UNDEFINED")


def test_unknown_application_doesnt_exist(yarn):
    """-status and -kill of an unknown id: Hadoop's "doesn't exist" lines, exit status -1."""
    status = yarn("application", "-status", UNKNOWN)
    assert (status.returncode, status.stdout) == (
        255, f"Application with id '{UNKNOWN}' doesn't exist in RM or Timeline Server.\n")
    kill = yarn("application", "-kill", UNKNOWN)
    assert (kill.returncode, kill.stdout) == (
        255, f"Application with id '{UNKNOWN}' doesn't exist in RM.\n")


def test_kill_kills_the_application(yarn, service):
    """-kill ID: "Killing application ID", the app ends KILLED; a second -kill says finished."""
    application_id = submit_sleep(service, "interop-victim")
    wait_for(lambda: app_state(service, application_id) == "ACCEPTED", 30)
    result = yarn("application", "-kill", application_id)
    assert (result.returncode, result.stdout) == (0, f"Killing application {application_id}\n")
    assert app_state(service, application_id) == "KILLED"
    status = yarn("application", "-status", application_id)
    fields = report_fields(status.stdout)
    assert (fields["State"], fields["Final-State"]) == ("KILLED", "KILLED")
    again = yarn("application", "-kill", application_id)
    assert (again.returncode, again.stdout) == (
        0, f"Application {application_id} has already finished \n")


def test_the_real_cli_and_yarnemus_print_the_same(yarn, service, sleeper):
    """For finished apps, -list -appStates ALL and -status are byte for byte those of yarnemu."""
    application_id = submit_sleep(service, "interop-twin")
    wait_for(lambda: app_state(service, application_id) == "ACCEPTED", 30)
    assert yarn("application", "-kill", application_id).returncode == 0
    finished = ("-list", "-appStates", "FINISHED,FAILED,KILLED")
    real = yarn("application", *finished)
    ours = yarnemu_cli(service, "application", *finished)
    assert (real.returncode, ours.returncode) == (0, 0), real.stderr + ours.stderr
    assert real.stdout == ours.stdout
    real = yarn("application", "-status", application_id)
    ours = yarnemu_cli(service, "application", "-status", application_id)
    assert real.stdout == ours.stdout


def test_node_list_shows_the_nodemanagers_at_their_rpc_addresses(yarn, service):
    """NodeCLI node -list: the two NodeManagers, RUNNING, at connectable loopback addresses, as
    yarnemu's node -list shows them."""
    result = yarn("node", "-list", cli=NODE_CLI)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "Total Nodes:2"
    node_ids = sorted(line.split()[0] for line in lines[2:])
    assert [node_id.rsplit(":", 1)[0] for node_id in node_ids] == ["127.0.0.2", "127.0.0.3"]
    assert all(line.split()[1] == "RUNNING" for line in lines[2:])
    ours = yarnemu_cli(service, "node", "-list")
    assert result.stdout == ours.stdout


def test_queue_status_shows_the_default_queue(yarn):
    """QueueCLI queue -status default: Hadoop's "Queue Information" of the capacity queue."""
    result = yarn("queue", "-status", "default", cli=QUEUE_CLI)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "Queue Information : "
    fields = report_fields(result.stdout)
    assert (fields["Queue Name"], fields["State"]) == ("default", "RUNNING")
