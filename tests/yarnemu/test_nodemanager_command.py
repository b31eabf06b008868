"""Tests for :mod:`yarnemu.nodemanager.command`."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from yarnemu.nodemanager.command import CommandError, ProgramInvocation, parse_command

LOG_DIR = "/nm/logs/application_1_0001/container_1_0001_01_000002"
PROGRAMS = {"sleep", "true", "echo", "org.example.Main"}
ENVIRONMENT = {
    "JAVA_HOME": "/usr/lib/jvm/java-17",
    "PWD": "/nm/work",
    "GREETING": "hello world",
    "EMPTY": "",
}


def parse(*commands, environment=ENVIRONMENT):
    return parse_command(commands, environment, LOG_DIR, PROGRAMS.__contains__)


def test_plain_command():
    """The first word names the program and the rest are its arguments."""
    invocation = parse("sleep 30")
    assert invocation.program == "sleep"
    assert invocation.args == ("30",)
    assert invocation.launcher == ()


def test_commands_are_joined_with_spaces():
    """A launch context's commands are joined with spaces into one command line, as YARN does."""
    invocation = parse("sleep", "5", "10")
    assert (invocation.program, invocation.args) == ("sleep", ("5", "10"))


def test_java_launcher_and_jvm_options_are_skipped():
    """The java launcher, JVM options and a classpath with its value come before the main class."""
    invocation = parse(
        "{{JAVA_HOME}}/bin/java -Xmx424m -Dlog.file=<LOG_DIR>/jobmanager.log "
        "-cp lib/a.jar<CPS>lib/b.jar org.example.Main --flag value"
    )
    assert invocation.program == "org.example.Main"
    assert invocation.args == ("--flag", "value")
    assert invocation.launcher == (
        "/usr/lib/jvm/java-17/bin/java", "-Xmx424m", f"-Dlog.file={LOG_DIR}/jobmanager.log",
        "-cp", "lib/a.jar:lib/b.jar",
    )


def test_exec_and_shell_variable_java_home():
    """``exec`` and ``$JAVA_HOME/bin/java`` are launcher words too."""
    invocation = parse("exec $JAVA_HOME/bin/java -classpath x.jar org.example.Main")
    assert invocation.program == "org.example.Main"
    assert invocation.launcher == ("exec", "/usr/lib/jvm/java-17/bin/java", "-classpath", "x.jar")


def test_unset_java_home_still_names_a_java_launcher():
    """With JAVA_HOME unset, ``{{JAVA_HOME}}/bin/java`` becomes ``/bin/java``, still a launcher."""
    invocation = parse("{{JAVA_HOME}}/bin/java org.example.Main", environment={})
    assert invocation.program == "org.example.Main"
    assert invocation.launcher == ("/bin/java",)


def test_stdout_and_stderr_redirections():
    """``1>`` and ``2>`` redirect standard output and error, with or without a space."""
    invocation = parse("sleep 1 1><LOG_DIR>/stdout 2> <LOG_DIR>/stderr")
    assert invocation.args == ("1",)
    assert invocation.stdout == f"{LOG_DIR}/stdout"
    assert invocation.stderr == f"{LOG_DIR}/stderr"


def test_redirection_as_separate_commands():
    """Redirections may come as commands of their own, as DistributedShell writes them."""
    invocation = parse("sleep 1", "1><LOG_DIR>/out", "2><LOG_DIR>/err")
    assert invocation.args == ("1",)
    assert (invocation.stdout, invocation.stderr) == (f"{LOG_DIR}/out", f"{LOG_DIR}/err")


def test_bare_greater_than_redirects_stdout():
    """``>file`` redirects standard output, and a word glued before it stays an argument."""
    invocation = parse("echo a>out.txt")
    assert invocation.args == ("a",)
    assert invocation.stdout == "out.txt"


def test_append_redirection():
    """``>>`` and ``2>>`` name their files like ``>`` and ``2>``."""
    invocation = parse("echo a >> out.txt 2>>err.txt")
    assert invocation.args == ("a",)
    assert (invocation.stdout, invocation.stderr) == ("out.txt", "err.txt")


def test_default_output_files_are_in_the_log_dir():
    """Without redirection, output goes to ``<LOG_DIR>/stdout`` and ``<LOG_DIR>/stderr``."""
    invocation = parse("sleep 1")
    assert (invocation.stdout, invocation.stderr) == (f"{LOG_DIR}/stdout", f"{LOG_DIR}/stderr")


def test_stderr_to_stdout_after_stdout_redirection():
    """``1>file 2>&1`` sends both streams to the file."""
    invocation = parse("sleep 1 1>both.log 2>&1")
    assert invocation.args == ("1",)
    assert (invocation.stdout, invocation.stderr) == ("both.log", "both.log")


def test_stderr_to_stdout_without_stdout_redirection():
    """``2>&1`` alone sends standard error where standard output goes: ``<LOG_DIR>/stdout``."""
    invocation = parse("sleep 1 2>&1")
    assert (invocation.stdout, invocation.stderr) == (f"{LOG_DIR}/stdout", f"{LOG_DIR}/stdout")


def test_duplication_takes_the_target_at_its_position():
    """``2>&1 1>file`` sends standard error where standard output went before, as a shell does."""
    invocation = parse("sleep 1 2>&1 1>file")
    assert (invocation.stdout, invocation.stderr) == ("file", f"{LOG_DIR}/stdout")


def test_stdout_to_stderr():
    """``1>&2`` sends standard output where standard error goes."""
    invocation = parse("sleep 1 2>err 1>&2")
    assert (invocation.stdout, invocation.stderr) == ("err", "err")


def test_redirection_without_a_target_is_refused():
    """A redirection with no file after it is a syntax error."""
    with pytest.raises(CommandError, match="syntax error"):
        parse("sleep 1 1>")


def test_redirection_to_another_descriptor_is_refused():
    """Only descriptors 1 and 2 can be redirected."""
    with pytest.raises(CommandError, match="not supported"):
        parse("sleep 1 3>file")


def test_only_redirections_is_no_command():
    """A command line of redirections only names no program."""
    with pytest.raises(CommandError, match="no command"):
        parse("1>out 2>err")


def test_empty_command_is_refused():
    """A launch context without commands names no program."""
    with pytest.raises(CommandError, match="no command"):
        parse_command((), ENVIRONMENT, LOG_DIR, PROGRAMS.__contains__)


def test_single_quotes_keep_a_word_literal():
    """Single quotes make one word and keep ``$``, operators and redirections literal."""
    invocation = parse("echo 'a b' '$GREETING' ';' '2>&1' '>x'")
    assert invocation.args == ("a b", "$GREETING", ";", "2>&1", ">x")
    assert invocation.stdout == f"{LOG_DIR}/stdout"


def test_double_quotes_expand_variables_in_one_word():
    """Double quotes make one word, expanding variables inside it without splitting them."""
    invocation = parse('echo "$GREETING, ${PWD}!" "a\\"b" "x\\y"')
    assert invocation.args == ("hello world, /nm/work!", 'a"b', "x\\y")


def test_unquoted_variables_are_split_into_words():
    """An unquoted variable's value is split at blanks, and an empty one vanishes."""
    invocation = parse("echo $GREETING $EMPTY x$EMPTY")
    assert invocation.args == ("hello", "world", "x")


def test_empty_quotes_are_an_empty_argument():
    """``''`` and ``""`` are empty arguments."""
    assert parse("echo '' \"\"").args == ("", "")


def test_backslash_quotes_one_character():
    """A backslash outside quotes makes the next character literal."""
    invocation = parse("echo a\\ b \\; \\$GREETING")
    assert invocation.args == ("a b", ";", "$GREETING")


def test_variable_values_are_not_parsed_again():
    """Quotes and operators inside a variable's value are plain characters."""
    invocation = parse("echo $ODD", environment={"ODD": "it's;fine"})
    assert invocation.args == ("it's;fine",)


def test_cross_platform_expansion_uses_the_environment():
    """``{{VAR}}`` is the variable's value, and an unset variable is empty."""
    invocation = parse("echo {{PWD}}/x {{UNSET}}y")
    assert invocation.args == ("/nm/work/x", "y")


def test_comment_ends_the_command():
    """An unquoted ``#`` at the start of a word begins a comment; elsewhere it is literal."""
    invocation = parse("echo a#b # c ; d")
    assert invocation.args == ("a#b",)


def test_backslash_at_the_end_inside_double_quotes_is_refused():
    """A double-quoted word ending in a backslash is unbalanced."""
    with pytest.raises(CommandError, match="unexpected end"):
        parse('echo "\\')


def test_unbalanced_quote_is_refused():
    """A quote without its closing quote is refused."""
    with pytest.raises(CommandError, match="unexpected end"):
        parse("echo 'abc")


@pytest.mark.parametrize("line, operator", [
    ("sleep 1 ; rm -rf /", ";"),
    ("sleep 1;true", ";"),
    ("true && false", "&&"),
    ("true&&false", "&&"),
    ("true || false", "||"),
    ("sleep 1 | cat", "|"),
    ("sleep 1 &", "&"),
    ("sleep 1 < /etc/passwd", "<"),
    ("sleep `echo 1`", "`"),
    ("sleep $(echo 1)", "$("),
    ('sleep "$(echo 1)"', "$("),
    ("(sleep 1)", "("),
    ("sleep 1 &> out", "&>"),
    ("sleep 1 2>&1;true", ";"),
    ("sleep 1 2>&-", "&"),
])
def test_shell_operators_are_refused(line, operator):
    """Unquoted shell operators are refused: no shell runs to interpret them."""
    with pytest.raises(CommandError, match="not supported") as caught:
        parse(line)
    assert repr(operator) in str(caught.value)


def test_unknown_program_is_command_not_found():
    """A word that is not an allow-listed program is "command not found"."""
    with pytest.raises(CommandError) as caught:
        parse("rm -rf /")
    assert str(caught.value) == "rm: command not found"


def test_unknown_main_class_after_launcher_is_command_not_found():
    """After the Java launcher, an unregistered main class is the name not found."""
    with pytest.raises(CommandError) as caught:
        parse("{{JAVA_HOME}}/bin/java -Xmx1g org.example.Unknown arg")
    assert str(caught.value) == "org.example.Unknown: command not found"


def test_launcher_without_main_class_is_command_not_found():
    """A Java launcher with options and no main class names the launcher as not found."""
    with pytest.raises(CommandError) as caught:
        parse("java -Xmx1g")
    assert str(caught.value) == "java: command not found"


def test_shell_is_not_a_program():
    """``bash -c`` is refused like any other unregistered program."""
    with pytest.raises(CommandError) as caught:
        parse("bash -c 'sleep 1'")
    assert str(caught.value) == "bash: command not found"


def test_invocation_is_a_value():
    """Invocations compare by value."""
    assert parse("sleep 1") == parse("sleep  1")
    assert isinstance(parse("sleep 1"), ProgramInvocation)


@given(st.lists(st.text(alphabet=" \t'\"\\$&|;<>()`#{}12=-abj/.", max_size=30), max_size=3),
       st.dictionaries(st.sampled_from(["a", "b", "PWD"]), st.text(max_size=8), max_size=3))
def test_any_command_line_is_read_or_refused(commands, environment):
    """Whatever the command line, it is read or refused with a CommandError, never anything else."""
    try:
        invocation = parse_command(commands, environment, LOG_DIR, {"a", "b"}.__contains__)
    except CommandError:
        return
    assert invocation.program in {"a", "b"}
    assert all(isinstance(arg, str) for arg in invocation.args)
    assert isinstance(invocation.stdout, str) and isinstance(invocation.stderr, str)
