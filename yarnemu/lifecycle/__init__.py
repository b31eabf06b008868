"""
Lifecycles as explicit transition tables, named after Hadoop's state machines: the RM's
application, attempt, container and node, and the NodeManager's container.

Each table says which inputs a state accepts and which states they may lead to; an input the
table does not allow raises :class:`yarnemu.errors.InvalidStateTransitionException` instead of
corrupting state, and an input Hadoop ignores in a state is ignored here too.  The decisions
(which of the allowed targets, and what else happens) stay with the owners in
:mod:`yarnemu.resourcemanager` and :mod:`yarnemu.nodemanager`.
"""
