"""Which address a command could not reach, and finding that among an error's causes."""

from twisted.internet import error as internet_error
from twisted.internet.defer import fail, succeed

from flinkyarn.cli.reachability import ReachabilityRecorder, connection_failure
from flinkyarn.client.errors import ClusterDeploymentException
from yarnemu.client.http import HttpResponse


class ScriptedHttp:
    """Answers each URL with what ``answers`` holds for it: a response or an exception."""

    def __init__(self, answers):
        self.answers = answers

    def request(self, method, url, body=None, headers=None):
        answer = self.answers[url]
        return fail(answer) if isinstance(answer, Exception) else succeed(answer)


def test_the_last_url_that_could_not_connect_is_remembered():
    http = ReachabilityRecorder(ScriptedHttp({
        "http://rm/ws": HttpResponse(200, {}, b"{}"),
        "http://hdfs/webhdfs": internet_error.ConnectionRefusedError(),
        "http://slow/x": internet_error.TimeoutError(),
    }))
    http.request("GET", "http://rm/ws")
    assert http.unreachable is None
    failures = []
    http.request("GET", "http://hdfs/webhdfs").addErrback(failures.append)
    assert http.unreachable == ("http://hdfs/webhdfs", "Connection refused")
    assert failures[0].check(internet_error.ConnectionRefusedError)  # passed on unchanged
    http.request("GET", "http://slow/x").addErrback(lambda _: None)
    assert http.unreachable[0] == "http://slow/x"


def test_a_connection_failure_is_found_among_the_causes():
    refused = internet_error.ConnectionRefusedError()
    try:
        try:
            raise refused
        except internet_error.ConnectionRefusedError as cause:
            raise ClusterDeploymentException("Couldn't deploy Yarn session cluster") from cause
    except ClusterDeploymentException as error:
        assert connection_failure(error) is refused
    assert connection_failure(ClusterDeploymentException("other")) is None
