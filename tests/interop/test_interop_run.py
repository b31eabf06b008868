"""
``python -m yarnemu.interop.run``: the real ``yarn`` command against a running service named by
its endpoints file, and its usage errors.
"""

import json
import os
import subprocess
import sys

from yarnemu.interop.run import main


def run_module(*arguments, env=None):
    return subprocess.run([sys.executable, "-m", "yarnemu.interop.run", *arguments],
                          capture_output=True, text=True, timeout=120, env=env)


def test_yarn_node_list_against_the_service(service, interop_cache):
    """yarn node -list through the endpoints file prints Hadoop's node table."""
    environment = dict(os.environ, YARNEMU_ENDPOINTS=service.process.endpoints_file)
    result = run_module("yarn", "node", "-list", env=environment)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == "Total Nodes:2"


def test_without_an_endpoints_file_it_says_how_to_name_one(monkeypatch, capsys):
    """No --endpoints and no $YARNEMU_ENDPOINTS: status 2 and one line."""
    monkeypatch.delenv("YARNEMU_ENDPOINTS", raising=False)
    assert main(["yarn", "application", "-list"]) == 2
    assert capsys.readouterr().err == (
        "python -m yarnemu.interop.run: name the service's endpoints file with --endpoints or "
        "$YARNEMU_ENDPOINTS\n")


def test_a_service_without_hadoop_rpc_is_refused(tmp_path, capsys):
    """An endpoints file without "rpc": status 2, naming --hadoop-rpc."""
    endpoints = tmp_path / "endpoints.json"
    endpoints.write_text(json.dumps({"rm": "http://127.0.0.1:1", "webhdfs": "http://127.0.0.1:2"}))
    assert main(["--endpoints", str(endpoints), "yarn", "application", "-list"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"python -m yarnemu.interop.run: {endpoints}: the service's endpoints "
                          "have no \"rpc\" entry: start it with --hadoop-rpc")


def test_an_unknown_yarn_command_is_a_usage_error(service, interop_cache, capsys):
    """yarn takes application, node, queue, …; anything else is status 2."""
    assert main(["--endpoints", service.process.endpoints_file, "yarn", "jar", "x.jar"]) == 2
    assert "yarn takes one of application, app, applicationattempt, container, node, queue" in (
        capsys.readouterr().err)
