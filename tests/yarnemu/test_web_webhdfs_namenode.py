"""
Tests for :mod:`yarnemu.web.webhdfs.namenode`: every NameNode operation and its errors, through
the site over HTTP.
"""

from urllib.parse import parse_qs, urlsplit

import pytest

from tests.yarnemu.test_web_webhdfs_site import START_MS, WebHdfs, remote_exception

FILE_STATUS_FIELDS = {
    "accessTime", "blockSize", "childrenNum", "fileId", "group", "length", "modificationTime",
    "owner", "pathSuffix", "permission", "replication", "storagePolicy", "type",
}


@pytest.fixture
def webhdfs(tmp_path):
    webhdfs = WebHdfs(tmp_path)
    webhdfs.fs.mkdirs("/user/alice", "alice")
    webhdfs.fs.create("/user/alice/data.txt", b"0123456789", "alice")
    return webhdfs


def test_getfilestatus_answers_every_field_of_a_file(webhdfs):
    response = webhdfs.call("GET", "/user/alice/data.txt", {"op": "GETFILESTATUS"})
    assert response.status == 200
    status = response.json()["FileStatus"]
    assert set(status) == FILE_STATUS_FIELDS
    assert status == {
        "accessTime": START_MS, "blockSize": 134217728, "childrenNum": 0,
        "fileId": status["fileId"], "group": "supergroup", "length": 10,
        "modificationTime": START_MS, "owner": "alice", "pathSuffix": "", "permission": "644",
        "replication": 3, "storagePolicy": 0, "type": "FILE",
    }


def test_getfilestatus_of_a_directory(webhdfs):
    status = webhdfs.call("GET", "/user/alice", {"op": "GETFILESTATUS"}).json()["FileStatus"]
    assert set(status) == FILE_STATUS_FIELDS
    assert (status["type"], status["childrenNum"], status["length"], status["owner"],
            status["permission"]) == ("DIRECTORY", 1, 0, "alice", "755")


def test_getfilestatus_of_a_missing_path_is_404_in_hdfs_words(webhdfs):
    response = webhdfs.call("GET", "/user/alice/nope", {"op": "GETFILESTATUS"})
    assert response.status == 404
    assert remote_exception(response) == (
        "FileNotFoundException", "java.io.FileNotFoundException",
        "File does not exist: /user/alice/nope")


def test_liststatus_of_a_directory_lists_its_entries_by_name(webhdfs):
    webhdfs.fs.mkdirs("/user/alice/b-dir", "alice")
    response = webhdfs.call("GET", "/user/alice", {"op": "LISTSTATUS"})
    statuses = response.json()["FileStatuses"]["FileStatus"]
    assert [(s["pathSuffix"], s["type"]) for s in statuses] == [
        ("b-dir", "DIRECTORY"), ("data.txt", "FILE")]
    assert all(set(s) == FILE_STATUS_FIELDS for s in statuses)


def test_liststatus_of_a_file_is_a_one_element_list_with_an_empty_suffix(webhdfs):
    response = webhdfs.call("GET", "/user/alice/data.txt", {"op": "LISTSTATUS"})
    [status] = response.json()["FileStatuses"]["FileStatus"]
    assert (status["pathSuffix"], status["type"], status["length"]) == ("", "FILE", 10)


def test_liststatus_of_a_missing_path_says_does_not_exist(webhdfs):
    response = webhdfs.call("GET", "/user/alice/nope", {"op": "LISTSTATUS"})
    assert response.status == 404
    assert remote_exception(response)[2] == "File /user/alice/nope does not exist."


def test_getcontentsummary(webhdfs):
    response = webhdfs.call("GET", "/user", {"op": "GETCONTENTSUMMARY"})
    assert response.json() == {"ContentSummary": {
        "directoryCount": 2, "fileCount": 1, "length": 10, "quota": -1, "spaceConsumed": 30,
        "spaceQuota": -1, "typeQuota": {}}}


def test_gethomedirectory_is_the_users_and_dr_who_without_a_user(webhdfs):
    alice = webhdfs.call("GET", "/", {"op": "GETHOMEDIRECTORY", "user.name": "alice"})
    nobody = webhdfs.call("GET", "/", {"op": "GETHOMEDIRECTORY"})
    assert alice.json() == {"Path": "/user/alice"}
    assert nobody.json() == {"Path": "/user/dr.who"}


def test_mkdirs_makes_directories_owned_by_the_user_with_755(webhdfs):
    response = webhdfs.call("PUT", "/user/bob/a/b", {"op": "MKDIRS", "user.name": "bob"})
    assert (response.status, response.json()) == (200, {"boolean": True})
    status = webhdfs.fs.get_file_status("/user/bob/a/b")
    assert (status.type, status.owner, status.permission) == ("DIRECTORY", "bob", "755")


def test_mkdirs_without_a_user_is_owned_by_dr_who(webhdfs):
    webhdfs.call("PUT", "/anon", {"op": "MKDIRS"})
    assert webhdfs.fs.get_file_status("/anon").owner == "dr.who"


def test_mkdirs_honours_the_permission_in_octal(webhdfs):
    webhdfs.call("PUT", "/private", {"op": "MKDIRS", "permission": "0700"})
    webhdfs.call("PUT", "/sticky", {"op": "MKDIRS", "permission": "1777"})
    assert webhdfs.fs.get_file_status("/private").permission == "700"
    assert webhdfs.fs.get_file_status("/sticky").permission == "1777"


def test_mkdirs_over_a_file_is_403(webhdfs):
    response = webhdfs.call("PUT", "/user/alice/data.txt", {"op": "MKDIRS"})
    assert response.status == 403
    assert remote_exception(response) == (
        "FileAlreadyExistsException", "org.apache.hadoop.fs.FileAlreadyExistsException",
        "Path is not a directory: /user/alice/data.txt")


def test_rename_moves_and_answers_a_boolean(webhdfs):
    response = webhdfs.call("PUT", "/user/alice/data.txt",
                            {"op": "RENAME", "destination": "/user/alice/moved.txt"})
    assert response.json() == {"boolean": True}
    assert webhdfs.fs.read_bytes("/user/alice/moved.txt") == b"0123456789"
    again = webhdfs.call("PUT", "/user/alice/data.txt",
                         {"op": "RENAME", "destination": "/user/alice/other.txt"})
    assert (again.status, again.json()) == (200, {"boolean": False})


def test_rename_into_a_directory_keeps_the_name(webhdfs):
    webhdfs.fs.mkdirs("/target", "alice")
    webhdfs.call("PUT", "/user/alice/data.txt", {"op": "RENAME", "destination": "/target"})
    assert webhdfs.fs.exists("/target/data.txt")


def test_rename_without_a_destination_is_400(webhdfs):
    response = webhdfs.call("PUT", "/user/alice/data.txt", {"op": "RENAME"})
    assert response.status == 400
    assert remote_exception(response) == (
        "IllegalArgumentException", "java.lang.IllegalArgumentException",
        "Required param destination for op: RENAME is null or empty")


def test_rename_to_a_relative_destination_is_400(webhdfs):
    response = webhdfs.call("PUT", "/user/alice/data.txt",
                            {"op": "RENAME", "destination": "moved.txt"})
    assert response.status == 400
    assert remote_exception(response)[2] == (
        'Invalid value for webhdfs parameter "destination": Invalid parameter value: '
        'destination = "moved.txt" is not an absolute path.')


def test_rename_resolves_dot_dot_in_the_destination_as_hadoop_s_path_does(webhdfs):
    response = webhdfs.call("PUT", "/user/alice/data.txt",
                            {"op": "RENAME", "destination": "/user/alice/x/../moved.txt"})
    assert response.json() == {"boolean": True}
    assert webhdfs.fs.exists("/user/alice/moved.txt")


def test_rename_to_a_destination_above_the_root_is_refused_and_changes_nothing(webhdfs):
    response = webhdfs.call("PUT", "/user/alice/data.txt",
                            {"op": "RENAME", "destination": "/../../outside.txt"})
    assert response.status == 403
    assert remote_exception(response) == (
        "IOException", "java.io.IOException", "Invalid name: /../../outside.txt")
    assert webhdfs.fs.exists("/user/alice/data.txt")
    assert not (webhdfs.root.parent / "outside.txt").exists()


def test_rename_with_rename_options_is_not_supported(webhdfs):
    response = webhdfs.call("PUT", "/user/alice/data.txt", {
        "op": "RENAME", "destination": "/x", "renameoptions": "OVERWRITE"})
    assert response.status == 400
    assert remote_exception(response)[:2] == (
        "UnsupportedOperationException", "java.lang.UnsupportedOperationException")
    assert webhdfs.fs.exists("/user/alice/data.txt")


def test_setreplication_sets_it_on_a_file_and_answers_false_for_a_directory(webhdfs):
    on_file = webhdfs.call("PUT", "/user/alice/data.txt",
                           {"op": "SETREPLICATION", "replication": "1"})
    on_directory = webhdfs.call("PUT", "/user/alice", {"op": "SETREPLICATION",
                                                       "replication": "2"})
    assert on_file.json() == {"boolean": True} and on_directory.json() == {"boolean": False}
    assert webhdfs.fs.get_file_status("/user/alice/data.txt").replication == 1


def test_setreplication_without_a_value_sets_the_default(webhdfs):
    webhdfs.fs.set_replication("/user/alice/data.txt", 1)
    webhdfs.call("PUT", "/user/alice/data.txt", {"op": "SETREPLICATION"})
    assert webhdfs.fs.get_file_status("/user/alice/data.txt").replication == 3


def test_setreplication_out_of_range(webhdfs):
    zero = webhdfs.call("PUT", "/user/alice/data.txt", {"op": "SETREPLICATION",
                                                        "replication": "0"})
    huge = webhdfs.call("PUT", "/user/alice/data.txt", {"op": "SETREPLICATION",
                                                        "replication": "513"})
    assert zero.status == 400
    assert remote_exception(zero)[2] == ('Invalid value for webhdfs parameter "replication": '
                                         "Invalid parameter range: replication = 0 < 1")
    assert huge.status == 403
    assert remote_exception(huge)[2] == ("Requested replication factor of 513 exceeds maximum "
                                         "of 512 for /user/alice/data.txt")


def test_setpermission_and_setowner_answer_200_with_no_body(webhdfs):
    permission = webhdfs.call("PUT", "/user/alice/data.txt",
                              {"op": "SETPERMISSION", "permission": "600"})
    owner = webhdfs.call("PUT", "/user/alice/data.txt",
                         {"op": "SETOWNER", "owner": "carol", "group": "staff"})
    assert (permission.status, permission.body, owner.status, owner.body) == (200, b"", 200, b"")
    status = webhdfs.fs.get_file_status("/user/alice/data.txt")
    assert (status.permission, status.owner, status.group) == ("600", "carol", "staff")


def test_setowner_without_owner_or_group_is_400(webhdfs):
    response = webhdfs.call("PUT", "/user/alice/data.txt", {"op": "SETOWNER"})
    assert response.status == 400
    assert remote_exception(response)[2] == "Both owner and group are empty."


def test_delete_recursive_as_hdfscli_capitalises_it(webhdfs):
    response = webhdfs.call("DELETE", "/user", {"op": "DELETE", "recursive": "True"})
    assert response.json() == {"boolean": True}
    assert not webhdfs.fs.exists("/user")


def test_delete_of_a_non_empty_directory_without_recursive_is_403(webhdfs):
    response = webhdfs.call("DELETE", "/user/alice", {"op": "DELETE"})
    assert response.status == 403
    assert remote_exception(response) == (
        "PathIsNotEmptyDirectoryException",
        "org.apache.hadoop.fs.PathIsNotEmptyDirectoryException",
        "`/user/alice is non empty': Directory is not empty")
    assert webhdfs.fs.exists("/user/alice/data.txt")


def test_delete_of_a_missing_path_answers_false(webhdfs):
    response = webhdfs.call("DELETE", "/nope", {"op": "DELETE", "recursive": "false"})
    assert (response.status, response.json()) == (200, {"boolean": False})


def test_create_redirects_to_a_data_url_on_the_same_host_and_port(webhdfs):
    response = webhdfs.call("PUT", "/user/alice/new.bin", {
        "op": "CREATE", "user.name": "alice", "overwrite": "False", "permission": "640",
        "replication": "2", "blocksize": "1048576", "tempdir": "/tmp"},
        headers={"Host": "localhost:9870"})
    assert response.status == 307
    assert response.body == b""
    location = urlsplit(response.header("Location"))
    assert (location.scheme, location.netloc, location.path) == (
        "http", "localhost:9870", "/webhdfs/v1/user/alice/new.bin")
    assert parse_qs(location.query) == {
        "op": ["CREATE"], "user.name": ["alice"], "namenoderpcaddress": ["localhost:8020"],
        "blocksize": ["1048576"], "createparent": ["true"], "overwrite": ["false"],
        "permission": ["640"], "replication": ["2"]}
    assert not webhdfs.fs.exists("/user/alice/new.bin")


def test_create_with_noredirect_answers_the_location_as_json(webhdfs):
    response = webhdfs.call("PUT", "/f", {"op": "CREATE", "noredirect": "true"})
    assert response.status == 200 and response.header("Location") is None
    assert response.json()["Location"].startswith("http://127.0.0.1:9870/webhdfs/v1/f?op=CREATE&")


def test_create_checks_its_parameters_before_redirecting(webhdfs):
    response = webhdfs.call("PUT", "/f", {"op": "CREATE", "blocksize": "0"})
    assert response.status == 400
    assert remote_exception(response)[2] == ('Invalid value for webhdfs parameter "blocksize": '
                                             "Invalid parameter range: blocksize = 0 < 1")


def test_open_redirects_with_offset_and_length(webhdfs):
    response = webhdfs.call("GET", "/user/alice/data.txt",
                            {"op": "OPEN", "offset": "2", "length": "3", "user.name": "bob"})
    assert response.status == 307
    query = parse_qs(urlsplit(response.header("Location")).query)
    assert query == {"op": ["OPEN"], "user.name": ["bob"],
                     "namenoderpcaddress": ["localhost:8020"], "offset": ["2"], "length": ["3"]}


def test_open_of_a_missing_file_is_404_file_not_found(webhdfs):
    response = webhdfs.call("GET", "/nope", {"op": "OPEN"})
    assert response.status == 404
    assert remote_exception(response)[2] == "File /nope not found."


def test_open_at_or_past_the_end_is_403(webhdfs):
    response = webhdfs.call("GET", "/user/alice/data.txt", {"op": "OPEN", "offset": "10"})
    assert response.status == 403
    assert remote_exception(response) == (
        "IOException", "java.io.IOException",
        "Offset=10 out of the range [0, 10); OPEN, path=/user/alice/data.txt")


def test_open_with_a_negative_offset_is_400(webhdfs):
    response = webhdfs.call("GET", "/user/alice/data.txt", {"op": "OPEN", "offset": "-1"})
    assert response.status == 400
    assert remote_exception(response)[2] == ('Invalid value for webhdfs parameter "offset": '
                                             "Invalid parameter range: offset = -1 < 0")


def test_append_redirects_only_for_an_existing_file(webhdfs):
    existing = webhdfs.call("POST", "/user/alice/data.txt", {"op": "APPEND", "buffersize": "4096"})
    missing = webhdfs.call("POST", "/nope", {"op": "APPEND"})
    assert existing.status == 307
    assert parse_qs(urlsplit(existing.header("Location")).query)["buffersize"] == ["4096"]
    assert missing.status == 404
    assert remote_exception(missing)[2] == "File /nope not found."


def test_an_unknown_op_is_400_in_hadoops_words(webhdfs):
    response = webhdfs.call("GET", "/", {"op": "FOO"})
    assert response.status == 400
    assert remote_exception(response) == (
        "IllegalArgumentException", "java.lang.IllegalArgumentException",
        'Invalid value for webhdfs parameter "op": FOO is not a valid GET operation.')


@pytest.mark.parametrize("method, op", [("PUT", "LISTSTATUS"), ("POST", "create"),
                                        ("DELETE", "MKDIRS"), ("GET", "DELETE")])
def test_an_op_sent_with_the_wrong_method_is_not_valid_for_that_method(webhdfs, method, op):
    response = webhdfs.call(method, "/user", {"op": op})
    assert response.status == 400
    assert remote_exception(response)[2] == (
        f'Invalid value for webhdfs parameter "op": {op} is not a valid {method} operation.')
    assert webhdfs.fs.exists("/user/alice/data.txt")


def test_a_request_without_op_is_op_null_not_supported(webhdfs):
    response = webhdfs.call("GET", "/user")
    assert response.status == 400
    assert remote_exception(response) == (
        "UnsupportedOperationException", "java.lang.UnsupportedOperationException",
        "op=NULL is not supported")


def test_a_hadoop_op_this_server_does_not_do_is_not_supported(webhdfs):
    response = webhdfs.call("GET", "/user", {"op": "GETACLSTATUS"})
    assert response.status == 400
    assert remote_exception(response)[2] == "op=GETACLSTATUS is not supported"


def test_op_values_and_parameter_names_are_case_insensitive(webhdfs):
    response = webhdfs.call("PUT", "/made", "OP=mkdirs&User.Name=bob")
    assert response.json() == {"boolean": True}
    assert webhdfs.fs.get_file_status("/made").owner == "bob"


def test_unknown_parameters_are_ignored(webhdfs):
    response = webhdfs.call("GET", "/user", {"op": "LISTSTATUS", "tempdir": "/tmp",
                                             "whatever": "x"})
    assert response.status == 200


def test_doas_is_the_user_acted_as(webhdfs):
    webhdfs.call("PUT", "/proxied", {"op": "MKDIRS", "user.name": "alice", "doas": "carol"})
    assert webhdfs.fs.get_file_status("/proxied").owner == "carol"


def test_a_user_name_outside_hadoops_pattern_is_400(webhdfs):
    response = webhdfs.call("PUT", "/x", {"op": "MKDIRS", "user.name": "al ice"})
    assert response.status == 400
    assert remote_exception(response)[2] == (
        'Invalid value for webhdfs parameter "user.name": Invalid value: "al ice" does not '
        "belong to the domain ^[A-Za-z_][A-Za-z0-9._-]*[$]?$")
    assert not webhdfs.fs.exists("/x")


@pytest.mark.parametrize("params, message", [
    ({"op": "DELETE", "recursive": "yes"},
     'Invalid value for webhdfs parameter "recursive": Failed to parse "yes" to Boolean.'),
    ({"op": "MKDIRS", "permission": "999"},
     'Invalid value for webhdfs parameter "permission": Failed to parse "999" as a radix-8 '
     "short integer."),
    ({"op": "MKDIRS", "permission": "2000"},
     'Invalid value for webhdfs parameter "permission": Invalid parameter range: '
     "permission = 2000 > 1777"),
])
def test_bad_parameter_values_are_400_and_change_nothing(webhdfs, params, message):
    method = "DELETE" if params["op"] == "DELETE" else "PUT"
    response = webhdfs.call(method, "/user/alice/new", params)
    assert response.status == 400
    assert remote_exception(response) == (
        "IllegalArgumentException", "java.lang.IllegalArgumentException", message)
    assert not webhdfs.fs.exists("/user/alice/new")
