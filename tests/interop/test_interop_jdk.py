"""
Finding the JDK as Hadoop's scripts do ($JAVA_HOME, else javac on PATH), on stand-in JDKs whose
``java -version`` prints what a real one prints; and compiling and running with the real one.
"""

import os
import subprocess

import pytest

from yarnemu.interop.jdk import Jdk, JdkNotFound, find_jdk


def fake_jdk(directory, version_line, tools=("java", "javac")):
    """A JDK directory whose bin/java prints ``version_line`` on stderr, as java -version does."""
    bin_dir = directory / "bin"
    bin_dir.mkdir(parents=True)
    for tool in tools:
        script = bin_dir / tool
        script.write_text(f"#!/bin/sh\necho '{version_line}' >&2\n")
        script.chmod(0o755)
    return directory


def test_java_home_is_used_when_set(tmp_path):
    """$JAVA_HOME's bin/java and bin/javac, with the feature release of java -version."""
    home = fake_jdk(tmp_path / "jdk", 'openjdk version "17.0.15" 2025-04-15')
    jdk = find_jdk({"JAVA_HOME": str(home), "PATH": ""})
    assert jdk == Jdk(home=str(home), java=str(home / "bin" / "java"),
                      javac=str(home / "bin" / "javac"), release=17)


def test_javac_on_path_gives_the_jdk_around_it(tmp_path):
    """Without $JAVA_HOME, javac on PATH (through its links) locates the JDK."""
    home = fake_jdk(tmp_path / "jdk", 'openjdk version "21" 2023-09-19')
    links = tmp_path / "usr-bin"
    links.mkdir()
    (links / "javac").symlink_to(home / "bin" / "javac")
    jdk = find_jdk({"PATH": str(links)})
    assert (jdk.home, jdk.release) == (str(home), 21)


def test_an_old_java_is_refused(tmp_path):
    """Java 8 ("1.8.0_x") is too old for Flink 2.x; the message says what is needed."""
    home = fake_jdk(tmp_path / "jdk", 'openjdk version "1.8.0_412"')
    with pytest.raises(JdkNotFound, match=r"is Java 8; Java 11 or later is needed"):
        find_jdk({"JAVA_HOME": str(home)})


def test_a_runtime_without_javac_is_not_a_jdk(tmp_path):
    """A JAVA_HOME without javac fails, naming it and how to install a JDK."""
    home = fake_jdk(tmp_path / "jre", 'openjdk version "17.0.15"', tools=("java",))
    with pytest.raises(JdkNotFound, match=r"has no javac; install a JDK \(on Debian: apt-get "
                                          r"install openjdk-17-jdk-headless\)"):
        find_jdk({"JAVA_HOME": str(home)})


def test_no_javac_anywhere(tmp_path):
    """Neither JAVA_HOME nor javac on PATH: a clear failure."""
    with pytest.raises(JdkNotFound, match="javac is not on PATH and JAVA_HOME is not set"):
        find_jdk({"PATH": str(tmp_path)})


def test_the_real_jdk_compiles_and_runs_a_program(tmp_path, jdk):
    """compile() then command() run a class; a compile error carries javac's message."""
    source = tmp_path / "Hello.java"
    source.write_text('public class Hello { public static void main(String[] a) { '
                      'System.out.println("hello " + a[0]); } }')
    jdk.compile([str(source)], [], str(tmp_path / "classes"))
    result = subprocess.run(jdk.command([str(tmp_path / "classes")], "Hello", "yarn"),
                            capture_output=True, text=True)
    assert (result.returncode, result.stdout) == (0, "hello yarn\n")
    broken = tmp_path / "Broken.java"
    broken.write_text("public class Broken { int x = ; }")
    with pytest.raises(RuntimeError, match="(?s)javac failed.*Broken.java"):
        jdk.compile([str(broken)], [], str(tmp_path / "classes"))
    assert os.path.isfile(os.path.join(jdk.home, "bin", "javac"))
