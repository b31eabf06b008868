"""
Tests for :mod:`flinkyarn.api.parameter_tool`: Flink's ``ParameterTool.fromArgs`` parsing.
"""

import pytest

from flinkyarn.api.parameter_tool import NO_VALUE_KEY, ParameterTool
from flinkyarn.graph.errors import IllegalArgumentException


def test_keys_with_values_flags_and_negative_numbers():
    """--key value and -key value pairs, bare flags, and negative numbers as values parse."""
    params = ParameterTool.from_args(
        ["--records", "200000", "-verbose", "--offset", "-5", "--name", "job", "--last"])
    assert dict(params.data) == {"records": "200000", "verbose": NO_VALUE_KEY, "offset": "-5",
                                 "name": "job", "last": NO_VALUE_KEY}
    assert params.get_int("records") == 200000
    assert params.get_int("offset") == -5
    assert params.get_bool("verbose") is True
    assert params.get("missing", "fallback") == "fallback"
    assert params.get_float("absent", 1.5) == 1.5


def test_an_argument_that_is_not_a_key_is_refused_in_flinks_words():
    """A value where a key is expected raises Flink's parsing error."""
    with pytest.raises(IllegalArgumentException) as error:
        ParameterTool.from_args(["records", "5"])
    assert error.value.message == ("Error parsing arguments '[records, 5]' on 'records'. Please "
                                   "prefix keys with -- or -.")


def test_an_empty_key_is_refused():
    """A bare -- is an empty argument."""
    with pytest.raises(IllegalArgumentException, match=r"contains an empty argument"):
        ParameterTool.from_args(["--"])


def test_typed_getters_report_bad_values_and_missing_required_keys():
    """A non-numeric value for get_int and a missing required key raise clear errors."""
    params = ParameterTool.from_args(["--records", "lots"])
    with pytest.raises(IllegalArgumentException, match="'lots' of parameter 'records'"):
        params.get_int("records")
    with pytest.raises(IllegalArgumentException, match="No data for required key 'rate'"):
        params.get_required("rate")
