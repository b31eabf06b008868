"""
:class:`ApplicationMasterHandler`: ``ApplicationMasterProtocol`` for one application attempt —
register, the allocate heartbeat, finish — over the RM's AM service.

Under SIMPLE authentication nothing on the wire says which attempt an AM connection belongs to
(the AMRM token's identifier travels only in a SASL exchange), so every attempt gets a listener
of its own (:mod:`yarnemu.ipc.attempt_endpoints`) and its handler serves that attempt only.
Allocated containers carry container tokens and each new node an NM token
(:mod:`yarnemu.ipc.tokens`).
"""

from yarnemu.ipc.convert.scheduling import (
    read_allocate_request,
    read_finish_request,
    read_register_request,
    write_allocate_response,
    write_register_response,
)
from yarnemu.ipc.descriptors import APPLICATION_MASTER_PROTOCOL
from yarnemu.ipc.handler import ProtocolHandler

__all__ = ["ApplicationMasterHandler"]


class ApplicationMasterHandler(ProtocolHandler):
    """
    :param am_service: the RM's ``IApplicationMasterProtocol``.
    :param attempt_id: the attempt every call is made for.
    :param str user: the application's submitter (the tokens' ``appSubmitter``).
    :param tokens: the :class:`~yarnemu.ipc.tokens.TokenSecretManager`.
    """

    protocol = APPLICATION_MASTER_PROTOCOL
    methods = {
        "registerApplicationMaster": "register_application_master",
        "allocate": "allocate",
        "finishApplicationMaster": "finish_application_master",
    }

    def __init__(self, am_service, attempt_id, user, tokens):
        self._am = am_service
        self.attempt_id = attempt_id
        self._user = user
        self._tokens = tokens

    def _nm_token(self, nm_token):
        return self._tokens.nm_token(self.attempt_id, nm_token.node_id, self._user)

    def register_application_master(self, call):
        response = self._am.register_application_master(
            self.attempt_id, read_register_request(call.request))
        write_register_response(call.response, response, self._nm_token)

    def allocate(self, call):
        response = self._am.allocate(self.attempt_id, read_allocate_request(call.request))
        write_allocate_response(call.response, response, self._tokens.container_token,
                                self._nm_token)

    def finish_application_master(self, call):
        response = self._am.finish_application_master(
            self.attempt_id, read_finish_request(call.request))
        call.response.isUnregistered = response.is_unregistered
