"""
:class:`ProtocolHandler`: the base of the protocol handlers — a table from wire method names
(``getApplicationReport``) to the handler's Python methods, which take an
:class:`~yarnemu.ipc.connection.RpcCall` and fill its response.
"""

from zope.interface import implementer

from yarnemu.ipc.connection import IProtocolHandler

__all__ = ["ProtocolHandler"]


@implementer(IProtocolHandler)
class ProtocolHandler:
    """
    :cvar str protocol: the protocol's wire name.
    :cvar dict methods: wire method name → the name of the method serving it.
    """

    protocol = None
    methods = {}

    def handler_for(self, method_name):
        name = self.methods.get(method_name)
        return getattr(self, name) if name is not None else None
