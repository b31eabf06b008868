"""
Tests for :mod:`yarnemu.nodemanager.launch_script`: the text of ``launch_container.sh``, and what
``bash`` makes of its exports and its command.
"""

import subprocess

from yarnemu.nodemanager.launch_script import (
    EMPTY_CREDENTIALS,
    export,
    launch_command,
    launch_script,
)

LOG_DIR = "/nm/logs/application_1767225600000_0001/container_1767225600000_0001_01_000001"


def bash(script, cwd=None):
    """:return: the completed ``bash -c script``."""
    return subprocess.run(["/bin/bash", "-c", script], capture_output=True, text=True, cwd=cwd,
                          env={}, timeout=10)


def test_script_layout():
    """Hadoop 3's layout: shebang, fail fast, the script's output to prelaunch.out/err, the
    exports in order, then the command under ``exec /bin/bash -c``."""
    script = launch_script({"CONTAINER_ID": "container_x", "CLASSPATH": "a.jar:b.jar"},
                           ["$JAVA_HOME/bin/java", "-Xmx1g", "Main", "1><LOG_DIR>/stdout"],
                           LOG_DIR + "/")
    assert script.splitlines() == [
        "#!/bin/bash",
        "",
        "set -o pipefail -e",
        f"export PRELAUNCH_OUT={LOG_DIR}/prelaunch.out",
        'exec >"${PRELAUNCH_OUT}"',
        f"export PRELAUNCH_ERR={LOG_DIR}/prelaunch.err",
        'exec 2>"${PRELAUNCH_ERR}"',
        'echo "Setting up env variables"',
        "export CONTAINER_ID=container_x",
        "export CLASSPATH=a.jar:b.jar",
        'echo "Launching container"',
        f"exec /bin/bash -c '$JAVA_HOME/bin/java -Xmx1g Main 1>{LOG_DIR}/stdout'",
    ]
    assert script.endswith("\n")


def test_exported_values_arrive_literally():
    """Spaces, both quotes, ``$``, backquotes, backslashes and newlines reach the process as they
    are: the NodeManager expanded the environment already."""
    values = {
        "SPACES": "a  b ",
        "QUOTES": "it's \"quoted\"",
        "DOLLAR": "$HOME ${PATH} $(echo no) `echo no`",
        "BACKSLASH": "C:\\dir\\",
        "LINES": "one\ntwo\n",
        "EMPTY": "",
    }
    script = "\n".join(export(name, value) for name, value in values.items())
    script += "\nfor name in " + " ".join(values) + '; do printf "%s\\0" "${!name}"; done'
    result = bash(script)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\0")[:-1] == list(values.values())


def test_a_bad_name_fails_export_and_never_runs(tmp_path):
    """A variable name that is not an identifier makes ``export`` fail, as in Hadoop's script,
    and whatever it holds is never run."""
    line = export("X=1; touch injected; Y", "v")
    result = bash("set -e\n" + line + "\necho after", cwd=tmp_path)
    assert result.returncode == 1
    assert "not a valid identifier" in result.stderr
    assert result.stdout == ""
    assert not (tmp_path / "injected").exists()


def test_command_is_read_once_by_the_inner_bash(tmp_path):
    """The command reaches ``bash -c`` unchanged: its quotes, variables and redirections are
    that shell's to read."""
    script = launch_script(
        {"NAME": "world"},
        ["printf '%s|%s\\n' \"hello $NAME\" 'it''s' 1><LOG_DIR>/out.txt"],
        tmp_path,
    )
    (tmp_path / "launch_container.sh").write_text(script)
    result = bash("/bin/bash launch_container.sh", cwd=tmp_path)
    assert result.returncode == 0, (tmp_path / "prelaunch.err").read_text()
    assert (tmp_path / "out.txt").read_text() == "hello world|its\n"
    assert (tmp_path / "prelaunch.out").read_text() == (
        "Setting up env variables\nLaunching container\n")


def test_launch_command_expansions():
    """Commands are joined by spaces; ``<LOG_DIR>``, ``<CPS>`` and ``{{VAR}}`` are replaced."""
    assert launch_command(["{{JAVA_HOME}}/bin/java", "-cp", "a.jar<CPS>b.jar",
                           "2><LOG_DIR>/stderr"], LOG_DIR) == (
        f"${{JAVA_HOME}}/bin/java -cp a.jar:b.jar 2>{LOG_DIR}/stderr")


def test_empty_credentials():
    """No tokens in Hadoop's token storage format: magic, WRITABLE format, no tokens, no
    secrets."""
    assert EMPTY_CREDENTIALS == b"HDTS" + bytes([0, 0, 0])
