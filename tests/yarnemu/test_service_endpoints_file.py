"""The endpoints file a service writes and its clients read."""

import json

import pytest

from yarnemu.service.endpoints_file import (
    ENDPOINTS_ENV,
    EndpointsFileError,
    endpoints_from_environment,
    read_endpoints,
    write_endpoints,
)

URLS = {"rm": "http://127.0.0.1:41000", "webhdfs": "http://127.0.0.1:41001"}


def test_what_is_written_is_read_back_as_json(tmp_path):
    path = tmp_path / "sub" / "endpoints.json"
    write_endpoints(str(path), URLS)
    assert json.loads(path.read_text()) == URLS
    assert read_endpoints(str(path)) == URLS
    assert [p.name for p in path.parent.iterdir()] == ["endpoints.json"]


def test_the_environment_names_the_file(tmp_path):
    path = tmp_path / "e.json"
    write_endpoints(str(path), URLS)
    assert endpoints_from_environment({ENDPOINTS_ENV: str(path)}) == URLS
    assert endpoints_from_environment({}) == {}


@pytest.mark.parametrize("content, message", [
    (None, "Could not read the yarnemu endpoints file"),
    ("{not json", "Could not read the yarnemu endpoints file"),
    ('["rm"]', 'holds no {"rm": ..., "webhdfs": ...} object'),
])
def test_an_unreadable_file_is_one_clear_error(tmp_path, content, message):
    path = tmp_path / "e.json"
    if content is not None:
        path.write_text(content)
    with pytest.raises(EndpointsFileError) as raised:
        endpoints_from_environment({ENDPOINTS_ENV: str(path)})
    assert message in str(raised.value)
    assert f"{path} (${ENDPOINTS_ENV})" in str(raised.value)
