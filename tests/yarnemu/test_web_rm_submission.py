"""
Tests of REST submission (``POST /ws/v1/cluster/apps``): the JSON read into an
``ApplicationSubmissionContext`` with Hadoop's defaults, the submitting user, an application
submitted over REST running to FINISHED with localized files, the allow-list, and every refusal
(400, nothing submitted).
"""

import pytest

from yarnemu.programs.distributed_shell import DISTRIBUTED_SHELL_AM, distributed_shell_command
from yarnemu.records import RMAppState
from yarnemu.records.containers import URL, LocalResource
from yarnemu.records.ids import ApplicationId
from yarnemu.records.resource import Resource
from yarnemu.records.states import LocalResourceType, LocalResourceVisibility
from yarnemu.web.rm import ResourceManagerWebApp

from ..http_harness import HttpClient
from .running_cluster import EPOCH_MS, RunningCluster

APPS = "/ws/v1/cluster/apps"


@pytest.fixture
def running(tmp_path):
    return RunningCluster(tmp_path, nodes=2)


@pytest.fixture
def web(running):
    return HttpClient(ResourceManagerWebApp(running.rm, running.cluster.programs))


def new_application_id(web):
    return web.post(f"{APPS}/new-application").json()["application-id"]


def submission(application_id, command=None, **fields):
    body = {
        "application-id": application_id,
        "am-container-spec": {"commands": {"command": command or "sleep 600"}},
        "resource": {"memory": 1024, "vCores": 1},
    }
    body.update(fields)
    return body


def submit(web, body, user=None):
    query = f"?user.name={user}" if user else ""
    return web.json_request("POST", f"{APPS}{query}", body)


def refused(web, running, body, status=400):
    """Submit ``body``, expect a refusal, check nothing was submitted; :return: the error."""
    before = dict(running.rm.apps)
    response = submit(web, body)
    assert response.status == status, response.body
    assert running.rm.apps == before
    return response.json()["RemoteException"]


def test_a_submission_is_202_with_location_and_no_body(running, web):
    application_id = new_application_id(web)
    response = submit(web, submission(application_id))
    assert response.status == 202
    assert response.body == b""
    assert response.header("Location") == f"http://127.0.0.1:8088{APPS}/{application_id}"
    app = running.app(ApplicationId.parse(application_id))
    assert app.user == "dr.who"
    # A trailing slash does not double in the Location.
    second = new_application_id(web)
    response = web.json_request("POST", f"{APPS}/", submission(second))
    assert response.header("Location") == f"http://127.0.0.1:8088{APPS}/{second}"


def test_hadoops_defaults_for_what_the_json_leaves_out(running, web):
    application_id = new_application_id(web)
    body = {"application-id": application_id,
            "am-container-spec": {"commands": {"command": "sleep 600"}}}
    assert submit(web, body).status == 202
    context = running.app(ApplicationId.parse(application_id)).submission_context
    assert context.application_name == ""
    assert context.application_type == ""
    assert context.queue == "default"
    assert context.priority == -1
    assert context.resource == Resource(0, 0)
    assert context.max_app_attempts == 0
    assert context.attempt_failures_validity_interval == -1
    assert context.application_tags == ()
    assert not context.unmanaged_am and not context.keep_containers_across_application_attempts
    running.advance(2)
    app = web.get(f"{APPS}/{application_id}").json()["app"]
    assert (app["name"], app["applicationType"], app["priority"]) == ("", "", -1)
    # The AM (which never registers: it only sleeps) got the minimum allocation.
    assert (app["state"], app["allocatedMB"], app["runningContainers"]) == ("ACCEPTED", 1024, 1)


def test_every_field_is_read(running, web):
    application_id = new_application_id(web)
    body = submission(
        application_id,
        command=["sleep", "600"],
        **{
            "application-name": "word count",
            "queue": "default",
            "priority": 3,
            "unmanaged-AM": False,
            "max-app-attempts": "1",
            "resource": {"memory": 2048, "vCores": 2},
            "application-type": "MAPREDUCE",
            "keep-containers-across-application-attempts": True,
            "application-tags": {"tag": ["Nightly", "etl"]},
            "attempt-failures-validity-interval": 3600000,
            "app-node-label-expression": "gpu",
            "log-aggregation-context": {"log-include-pattern": "*"},
            "reservation-id": "",
        },
    )
    body["am-container-spec"].update({
        "local-resources": {"entry": [
            {"key": "job.jar", "value": {"resource": "hdfs://namenode:9000/user/x/job.jar",
                                         "type": "ARCHIVE", "visibility": "PUBLIC",
                                         "size": 43004, "timestamp": 1405452071209}},
            {"key": "conf", "value": {"resource": "hdfs:///user/x/conf", "type": "PATTERN",
                                      "visibility": "PRIVATE", "size": 1, "timestamp": 2,
                                      "pattern": "*.xml"}},
        ]},
        "environment": {"entry": {"key": "CLASSPATH", "value": "{{CLASSPATH}}<CPS>./*"}},
        "service-data": {"entry": [{"key": "mapreduce_shuffle", "value": "AAA-_w"}]},
        "credentials": {"tokens": {"entry": []}, "secrets": {"entry": [
            {"key": "secret", "value": "c2VjcmV0"}]}},
        "application-acls": {"entry": [{"key": "VIEW_APP", "value": "alice bob"}]},
    })
    assert submit(web, body, user="carol").status == 202
    app = running.app(ApplicationId.parse(application_id))
    context = app.submission_context
    assert app.user == "carol"
    assert (context.application_name, context.application_type) == ("word count", "MAPREDUCE")
    assert (context.priority, context.max_app_attempts) == (3, 1)
    assert context.resource == Resource(2048, 2)
    assert context.application_tags == ("etl", "nightly")
    assert context.keep_containers_across_application_attempts
    assert context.attempt_failures_validity_interval == 3600000
    assert context.node_label_expression == "gpu"
    spec = context.am_container_spec
    assert spec.commands == ("sleep", "600")
    assert spec.environment == {"CLASSPATH": "{{CLASSPATH}}<CPS>./*"}
    assert spec.local_resources == {
        "job.jar": LocalResource(URL("hdfs", "/user/x/job.jar", "namenode", 9000), 43004,
                                 1405452071209, LocalResourceType.ARCHIVE,
                                 LocalResourceVisibility.PUBLIC),
        "conf": LocalResource(URL("hdfs", "/user/x/conf"), 1, 2, LocalResourceType.PATTERN,
                              LocalResourceVisibility.PRIVATE, "*.xml"),
    }
    assert spec.service_data == {"mapreduce_shuffle": b"\x00\x00>\xff"}
    assert spec.application_acls == {"VIEW_APP": "alice bob"}
    assert b"c2VjcmV0" in spec.tokens
    listed = web.get(f"{APPS}/{application_id}").json()["app"]
    assert listed["applicationTags"] == "etl,nightly"
    assert listed["appNodeLabelExpression"] == "gpu"


@pytest.mark.parametrize("tags, expected", [
    ({"tag": "one"}, ("one",)),
    (["b", "A"], ("a", "b")),
    ({"tag": []}, ()),
])
def test_tags_in_jerseys_shapes(running, web, tags, expected):
    application_id = new_application_id(web)
    assert submit(web, submission(application_id, **{"application-tags": tags})).status == 202
    assert running.app(ApplicationId.parse(application_id)).submission_context.application_tags \
        == expected


def test_the_user_is_user_name_else_hadoop_user_name_else_dr_who(running, web):
    with_env = new_application_id(web)
    body = submission(with_env)
    body["am-container-spec"]["environment"] = {"entry": [
        {"key": "HADOOP_USER_NAME", "value": "hdfs"}]}
    submit(web, body)
    both = new_application_id(web)
    body = submission(both)
    body["am-container-spec"]["environment"] = {"entry": [
        {"key": "HADOOP_USER_NAME", "value": "hdfs"}]}
    submit(web, body, user="alice")
    assert running.app(ApplicationId.parse(with_env)).user == "hdfs"
    assert running.app(ApplicationId.parse(both)).user == "alice"


def ds_with_input(web, status, timestamp):
    application_id = new_application_id(web)
    body = submission(application_id, distributed_shell_command(2, 512, "sleep", "3"),
                      **{"application-name": "ds"})
    body["am-container-spec"]["local-resources"] = {"entry": [{"key": "input.txt", "value": {
        "resource": "hdfs:///user/dr.who/input.txt", "type": "FILE",
        "visibility": "APPLICATION", "size": status.length, "timestamp": timestamp}}]}
    assert submit(web, body).status == 202
    return application_id


def test_a_rest_submission_runs_to_finished_with_its_local_resources(running, web):
    """The AM container localizes the file; with a stale timestamp localization fails."""
    filesystem = running.cluster.filesystem
    filesystem.create("/user/dr.who/input.txt", b"some input", "dr.who")
    status = filesystem.get_file_status("/user/dr.who/input.txt")
    good = ds_with_input(web, status, status.modification_time)
    stale = ds_with_input(web, status, status.modification_time - 1)
    for application_id in (good, stale):
        running.run_until_app_state(ApplicationId.parse(application_id), RMAppState.FINISHED,
                                    RMAppState.FAILED)
    app = web.get(f"{APPS}/{good}").json()["app"]
    assert (app["state"], app["finalStatus"], app["name"]) == ("FINISHED", "SUCCEEDED", "ds")
    assert app["trackingUI"] == "History"
    containers = web.get(f"{APPS}/{good}/appattempts/appattempt_{good[12:]}_000001/containers")
    assert len(containers.json()["containers"]["container"]) == 3
    app = web.get(f"{APPS}/{stale}").json()["app"]
    assert (app["state"], app["finalStatus"]) == ("FAILED", "FAILED")
    assert "changed on src filesystem" in app["diagnostics"]


def test_an_unmanaged_am_needs_no_command(running, web):
    application_id = new_application_id(web)
    body = {"application-id": application_id, "unmanaged-AM": True}
    assert submit(web, body).status == 202
    running.advance(1)
    assert running.app(ApplicationId.parse(application_id)).submission_context.unmanaged_am


def test_an_id_never_handed_out_is_accepted_and_skipped_by_later_ids(running, web):
    """As Hadoop: any well-formed id is accepted; the RM's counter moves past it."""
    assert submit(web, submission(f"application_{EPOCH_MS}_0042")).status == 202
    assert new_application_id(web) == f"application_{EPOCH_MS}_0043"


# The allow-list


def test_a_program_not_allow_listed_is_refused(running, web):
    error = refused(web, running, submission(new_application_id(web), "rm -rf /"))
    assert error["exception"] == "BadRequestException"
    assert error["message"] == (
        "java.lang.Exception: The AM command names program 'rm', which is not allow-listed. "
        f"Allowed programs: [false, {DISTRIBUTED_SHELL_AM}, sleep, true]"
    )


def test_a_java_command_must_name_an_allow_listed_main_class(running, web):
    command = "{{JAVA_HOME}}/bin/java -Xmx512m com.example.Evil 1><LOG_DIR>/am.stdout"
    error = refused(web, running, submission(new_application_id(web), command))
    assert "names program 'com.example.Evil'" in error["message"]


def test_shell_syntax_and_missing_commands_are_refused(running, web):
    error = refused(web, running, submission(new_application_id(web), "sleep 1 | true"))
    assert error["message"].startswith("java.lang.Exception: The AM command cannot be run: shell "
                                       "syntax '|' is not supported")
    assert "Allowed programs: [" in error["message"]
    body = submission(new_application_id(web))
    body["am-container-spec"] = {}
    error = refused(web, running, body)
    assert error["message"].startswith("java.lang.Exception: The AM container spec has no "
                                       "command")


# Other refusals


@pytest.mark.parametrize("body", [b"{", b"\"a string\"", b"", b"null"])
def test_a_body_that_is_not_a_json_object_is_400(running, web, body):
    before = dict(running.rm.apps)
    response = web.post(APPS, body, headers={"Content-Type": "application/json"})
    assert response.status == 400
    assert response.json()["RemoteException"]["exception"] == "WebApplicationException"
    assert running.rm.apps == before


@pytest.mark.parametrize("application_id, shown", [
    (None, ""), ("", ""), ("application_x_1", "application_x_1"), (42, "42"),
])
def test_an_application_id_that_does_not_parse_is_400(running, web, application_id, shown):
    body = submission("")
    if application_id is None:
        del body["application-id"]
    else:
        body["application-id"] = application_id
    error = refused(web, running, body)
    assert error["message"] == f"java.lang.Exception: Could not parse application id {shown}"


def test_a_resource_above_the_configured_maximum_is_400(running, web):
    error = refused(web, running, submission(new_application_id(web),
                                             resource={"memory": 8193, "vCores": 1}))
    assert error["message"] == "java.lang.Exception: Requested more memory than configured max"
    error = refused(web, running, submission(new_application_id(web),
                                             resource={"memory": 99999, "vCores": 5}))
    assert error["message"] == "java.lang.Exception: Requested more cores than configured max"


def test_a_negative_resource_is_refused_by_the_client_service(running, web):
    error = refused(web, running, submission(new_application_id(web),
                                             resource={"memory": -1, "vCores": 1}))
    assert error["exception"] == "BadRequestException"
    assert error["message"].startswith("java.lang.Exception: Invalid resource request, requested "
                                       "memory < 0")


def test_a_duplicate_submission_is_400(running, web):
    application_id = new_application_id(web)
    assert submit(web, submission(application_id)).status == 202
    error = refused(web, running, submission(application_id))
    assert error["message"] == (f"java.lang.Exception: Application with id {application_id} is "
                                "already present! Cannot add a duplicate!")


def test_too_many_or_too_long_tags_are_400(running, web):
    tags = {"tag": [f"t{n}" for n in range(11)]}
    error = refused(web, running, submission(new_application_id(web),
                                             **{"application-tags": tags}))
    assert error == {
        "exception": "IllegalArgumentException",
        "javaClassName": "java.lang.IllegalArgumentException",
        "message": "Too many applicationTags, a maximum of only 10 are allowed!",
    }
    error = refused(web, running, submission(new_application_id(web),
                                             **{"application-tags": ["x" * 101]}))
    assert "is too long, maximum allowed length of a tag is 100" in error["message"]


@pytest.mark.parametrize("field, value, message", [
    ("max-app-attempts", "two", "max-app-attempts must be a number"),
    ("unmanaged-AM", "maybe", "unmanaged-AM must be true or false"),
    ("resource", [1024], "resource must be an object"),
    ("am-container-spec", "sleep 1", "am-container-spec must be an object"),
])
def test_fields_of_the_wrong_type_are_400(running, web, field, value, message):
    body = submission(new_application_id(web))
    body[field] = value
    error = refused(web, running, body)
    assert error["message"].startswith(f"java.lang.Exception: {message}")


@pytest.mark.parametrize("resource, message", [
    ({"type": "FILE"}, "local resource x: the resource URL is missing"),
    ({"resource": "/no/scheme"}, "local resource x: the resource URL /no/scheme has no scheme"),
    ({"resource": "hdfs:///a", "type": "BLOB"}, "type BLOB is not one of [ARCHIVE, FILE, "
                                                "PATTERN]"),
    ({"resource": "hdfs:///a", "visibility": "WORLD"}, "visibility WORLD is not one of"),
])
def test_bad_local_resources_are_400(running, web, resource, message):
    body = submission(new_application_id(web))
    body["am-container-spec"]["local-resources"] = {"entry": [{"key": "x", "value": resource}]}
    error = refused(web, running, body)
    assert error["message"].startswith(f"java.lang.Exception: {message}")


def test_an_unknown_acl_is_400(running, web):
    body = submission(new_application_id(web))
    body["am-container-spec"]["application-acls"] = {"entry": [{"key": "EAT_APP", "value": "*"}]}
    error = refused(web, running, body)
    assert "Invalid application-acls key EAT_APP" in error["message"]
