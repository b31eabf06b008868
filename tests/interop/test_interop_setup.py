"""
``python -m yarnemu.interop.setup``: on the complete cache every step is skipped at once; a
failing step is one message and exit status 1.
"""

import os
import subprocess
import sys

from yarnemu.interop.setup import main


def test_setup_on_a_complete_cache_skips_every_step(interop_cache, jdk):
    """A second run (scripts/interop ran the first) reports each step as already done."""
    environment = dict(os.environ, YARNEMU_INTEROP_CACHE=interop_cache.root)
    api, runtime = interop_cache.hadoop_client_jars()
    result = subprocess.run([sys.executable, "-m", "yarnemu.interop.setup"], env=environment,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        f"Interop cache: {interop_cache.root}",
        f"JDK: Java {jdk.release} in {jdk.home}",
        f"Hadoop client jars: already in {interop_cache.hadoop_dir}",
        f"Flink 2.3.0: already in {interop_cache.flink_home}",
        f"Descriptor set: already in {interop_cache.descriptors}",
        "Interop cache complete.  Start the service for the real clients with:",
        "  twistd -n yarnemu --hadoop-rpc tcp:8032:interface=127.0.0.1 --container-executor "
        f"process --webhdfs-no-content-type --hadoop-descriptors {interop_cache.descriptors} -D "
        f"'yarn.application.classpath={{{{HADOOP_CONF_DIR}}}},{api},{runtime}'",
    ]


def test_setup_without_a_jdk_fails_with_one_message(tmp_path, monkeypatch, capsys):
    """No JDK: exit 1, the reason on stderr, nothing fetched."""
    monkeypatch.setenv("JAVA_HOME", str(tmp_path / "no-jdk"))
    assert main(["--cache", str(tmp_path / "cache")]) == 1
    captured = capsys.readouterr()
    assert captured.err == (f"yarnemu.interop.setup: No JDK: JAVA_HOME={tmp_path}/no-jdk has no "
                            "javac; install a JDK (on Debian: apt-get install "
                            "openjdk-17-jdk-headless) or set JAVA_HOME to one\n")
    assert not os.path.exists(tmp_path / "cache" / "downloads")
