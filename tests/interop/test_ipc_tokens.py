"""Container, NM and AMRM tokens: what they carry, and that forged ones are refused."""

import json

import pytest

from yarnemu.ipc.tokens import InvalidToken, TokenSecretManager
from yarnemu.records import (
    ApplicationAttemptId,
    ApplicationId,
    Container,
    ContainerId,
    NodeId,
    Resource,
)
from yarnemu.records.states import ExecutionType

ATTEMPT = ApplicationAttemptId(ApplicationId(1767225600000, 3), 1)
NODE = NodeId("127.0.0.2", 40000)
CONTAINER = Container(ContainerId(ATTEMPT, (2 << 40) | 5), NODE, "127.0.0.2:8042",
                      Resource(2048, 2), 4, allocation_request_id=7,
                      execution_type=ExecutionType.OPPORTUNISTIC, version=1, user="alice")


def test_a_container_token_gives_back_its_container():
    tokens = TokenSecretManager(b"k")
    token = tokens.container_token(CONTAINER)
    assert (token.kind, token.service) == ("ContainerToken", "127.0.0.2:40000")
    assert json.loads(token.identifier)["containerId"] == (
        "container_e02_1767225600000_0003_01_000005")
    assert tokens.read_container_token(token.identifier, token.password, NODE) == CONTAINER


def test_a_token_of_another_key_or_tampered_is_invalid():
    token = TokenSecretManager(b"k").container_token(CONTAINER)
    with pytest.raises(InvalidToken, match="Invalid container token used for starting "
                                           "container on : 127.0.0.2:40000"):
        TokenSecretManager(b"other").read_container_token(token.identifier, token.password,
                                                          NODE)
    tampered = token.identifier.replace(b'"alice"', b'"root"')
    with pytest.raises(InvalidToken):
        TokenSecretManager(b"k").read_container_token(tampered, token.password, NODE)


def test_a_well_signed_identifier_that_is_not_a_container_is_invalid():
    tokens = TokenSecretManager(b"k")
    token = tokens.nm_token(ATTEMPT, NODE, "alice")
    with pytest.raises(InvalidToken):
        tokens.read_container_token(token.identifier, token.password, NODE)


def test_nm_and_amrm_tokens_name_their_attempt():
    tokens = TokenSecretManager(b"k")
    nm = tokens.nm_token(ATTEMPT, NODE, "alice")
    assert (nm.kind, nm.service) == ("NMToken", "127.0.0.2:40000")
    assert json.loads(nm.identifier) == {"appAttemptId": str(ATTEMPT), "nodeId": str(NODE),
                                         "appSubmitter": "alice"}
    amrm = tokens.amrm_token(ATTEMPT, "127.0.0.1:5000")
    assert (amrm.kind, amrm.service) == ("YARN_AM_RM_TOKEN", "127.0.0.1:5000")
    assert len(amrm.password) == 20


def test_by_default_each_manager_has_its_own_key():
    assert TokenSecretManager().container_token(CONTAINER).password != (
        TokenSecretManager().container_token(CONTAINER).password)
