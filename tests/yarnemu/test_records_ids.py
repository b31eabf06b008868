"""
Tests for :mod:`yarnemu.records.ids`: YARN's id string forms and parsers.
"""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from yarnemu.errors import IllegalArgumentException
from yarnemu.records.ids import ApplicationAttemptId, ApplicationId, ContainerId, NodeId

APP = ApplicationId(1476912658570, 2)


def test_string_forms_match_hadoop():
    """Ids print as Hadoop prints them, zero-padded to 4, 6 and 2/6 digits."""
    attempt = ApplicationAttemptId(APP, 2)
    assert str(APP) == "application_1476912658570_0002"
    assert str(attempt) == "appattempt_1476912658570_0002_000002"
    assert str(ContainerId(attempt, 1)) == "container_1476912658570_0002_02_000001"
    assert str(NodeId("host.domain.com", 54158)) == "host.domain.com:54158"


def test_sequence_numbers_beyond_the_padding_are_printed_in_full():
    """An application number above 9999 is printed with all its digits, as Hadoop does."""
    assert str(ApplicationId(1, 12345)) == "application_1_12345"


def test_container_epoch_is_printed_only_when_set():
    """The epoch part ``e<NN>_`` appears only when the container id carries an epoch."""
    attempt = ApplicationAttemptId(APP, 1)
    container = ContainerId(attempt, (3 << 40) | 7)
    assert str(container) == "container_e03_1476912658570_0002_01_000007"
    assert (container.epoch, container.sequence) == (3, 7)
    assert ContainerId.parse(str(container)) == container


@pytest.mark.parametrize("text", [
    "application_1476912658570_0002",
    "appattempt_1476912658570_0002_000002",
    "container_1476912658570_0002_02_000001",
    "host:8041",
])
def test_parse_round_trips(text):
    """Parsing a well-formed id and printing it gives the same text back."""
    cls = {"application": ApplicationId, "appattempt": ApplicationAttemptId,
           "container": ContainerId}.get(text.split("_")[0], NodeId)
    assert str(cls.parse(text)) == text


@pytest.mark.parametrize("cls, text", [
    (ApplicationId, "application_abc_0001"),
    (ApplicationId, "app_1_0001"),
    (ApplicationId, None),
    (ApplicationAttemptId, "appattempt_1_0001"),
    (ContainerId, "container_1_0001_01"),
    (NodeId, "hostonly"),
    (NodeId, ":8041"),
    (NodeId, "host:port"),
])
def test_malformed_ids_are_refused(cls, text):
    """A malformed id string raises IllegalArgumentException naming the text."""
    with pytest.raises(IllegalArgumentException) as error:
        cls.parse(text)
    assert str(text) in error.value.message


def test_ids_order_numerically():
    """Ids sort by their numbers, not their strings."""
    assert sorted([ApplicationId(1, 10), ApplicationId(1, 9), ApplicationId(0, 99)]) == [
        ApplicationId(0, 99), ApplicationId(1, 9), ApplicationId(1, 10)]


@given(st.integers(0, 2**41), st.integers(1, 10**6), st.integers(1, 99), st.integers(0, 99),
       st.integers(1, 999999))
def test_container_ids_round_trip(timestamp, app, attempt, epoch, number):
    """Every container id prints to a string that parses back to an equal id."""
    container = ContainerId(ApplicationAttemptId(ApplicationId(timestamp, app), attempt),
                            (epoch << 40) | number)
    assert ContainerId.parse(str(container)) == container
    assert container.application_id == ApplicationId(timestamp, app)
