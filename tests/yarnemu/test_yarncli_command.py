"""
Tests for :mod:`yarnemu.yarncli.command` through the ``yarnemu`` console entry point
(:func:`yarnemu.cli.main`): the RM address (``--rm``, ``$YARNEMU_RM``, ``$YARNEMU_ENDPOINTS``,
default), the
``application``/``app``/``node`` sub-commands, and one-line errors.
"""

import urllib.error

import pytest

from tests.yarnemu.rm_rest_fixtures import ScriptedRm
from yarnemu import cli
from yarnemu.yarncli import rest


@pytest.fixture
def urls(monkeypatch):
    """Route the default HTTP exchange to a recorder answering empty lists."""
    seen = []

    def send(method, url, body, headers):
        seen.append(url)
        return 200, b'{"apps": null, "nodes": null}'

    monkeypatch.setattr(rest, "urllib_send", send)
    monkeypatch.delenv("YARNEMU_RM", raising=False)
    monkeypatch.delenv("YARNEMU_ENDPOINTS", raising=False)
    return seen


def test_default_address(urls, capsys):
    """Without --rm or $YARNEMU_RM the CLI asks http://127.0.0.1:8088."""
    assert cli.main(["application", "-list"]) == 0
    assert urls == ["http://127.0.0.1:8088/ws/v1/cluster/apps"
                    "?states=SUBMITTED%2CACCEPTED%2CRUNNING"]
    assert capsys.readouterr().out.startswith("Total number of applications")


def test_environment_then_option(urls, monkeypatch):
    """$YARNEMU_RM names the RM; --rm URL (anywhere, or --rm=URL) wins over it."""
    monkeypatch.setenv("YARNEMU_RM", "rm.env:9000")
    assert cli.main(["node", "-list"]) == 0
    assert cli.main(["node", "--rm", "http://rm.option:8088/", "-list"]) == 0
    assert cli.main(["app", "-list", "--rm=http://rm.other:1"]) == 0
    assert [url.split("/ws/")[0] for url in urls] == [
        "http://rm.env:9000", "http://rm.option:8088", "http://rm.other:1"]


def test_a_services_endpoints_file_names_the_rm(urls, monkeypatch, tmp_path, capsys):
    """$YARNEMU_ENDPOINTS (a service's --endpoints-file) names the RM; unreadable: one line."""
    endpoints = tmp_path / "endpoints.json"
    endpoints.write_text('{"rm": "http://127.0.0.1:41000", "webhdfs": "http://127.0.0.1:41001"}')
    monkeypatch.setenv("YARNEMU_ENDPOINTS", str(endpoints))
    assert cli.main(["node", "-list"]) == 0
    assert urls == ["http://127.0.0.1:41000/ws/v1/cluster/nodes?states=RUNNING"]
    capsys.readouterr()
    monkeypatch.setenv("YARNEMU_ENDPOINTS", str(tmp_path / "gone.json"))
    assert cli.main(["node", "-list"]) == 1
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err.count("\n") == 1
    assert captured.err.startswith("Could not read the yarnemu endpoints file")


def test_hadoop_options_pass_through_argparse(urls, capsys):
    """Single-dash options and -help reach the yarn CLI untouched by argparse."""
    assert cli.main(["application", "-help"]) == 0
    assert capsys.readouterr().out.startswith("usage: application\n")
    assert cli.main(["node", "--help"]) == 0
    assert capsys.readouterr().out.startswith("usage: node\n")
    assert urls == []


def test_connection_failure_is_one_line(monkeypatch, capsys):
    """No RM listening: one line naming the address on stderr, nothing on stdout, status 1."""
    def refused(method, url, body, headers):
        raise urllib.error.URLError(ConnectionRefusedError(111, "Connection refused"))
    monkeypatch.setattr(rest, "urllib_send", refused)
    assert cli.main(["application", "-status", "application_1_0001", "--rm", "rm:1"]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1
    assert captured.err.startswith(
        "Failed to connect to the ResourceManager at http://rm:1 (Connection refused)")


def test_unexpected_rm_error_is_one_line(capsys):
    """An RM error the command does not expect prints its RemoteException line, status 1."""
    from yarnemu.yarncli import run

    rm = ScriptedRm({("GET", "/ws/v1/cluster/nodes"): (500, {"RemoteException": {
        "exception": "WebApplicationException",
        "javaClassName": "javax.ws.rs.WebApplicationException", "message": "boom"}})})
    assert run("node", ["-list"], send=rm) == 1
    captured = capsys.readouterr()
    assert captured.err == 'Exception in thread "main" javax.ws.rs.WebApplicationException: boom\n'
    assert captured.out == ""
