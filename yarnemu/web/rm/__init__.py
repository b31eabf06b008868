"""
The ResourceManager's web address: the YARN RM REST API (``/ws/v1/cluster/...``) with Hadoop's
JSON shapes, status codes and messages, and the ``/cluster`` pages.

    root = ResourceManagerWebApp(rm, programs)   # a twisted.web resource
    root.putChild(b"proxy", web_proxy)           # the composition root adds what else it serves

Modules: :mod:`~yarnemu.web.rm.resource` (the resource tree and routing),
:mod:`~yarnemu.web.rm.services` (the operations, and who the caller is),
:mod:`~yarnemu.web.rm.dao` (records → Hadoop JSON), :mod:`~yarnemu.web.rm.queries` (``/apps``
and ``/nodes`` parameters), :mod:`~yarnemu.web.rm.submission` (REST submission JSON →
``ApplicationSubmissionContext``, and the allow-list), :mod:`~yarnemu.web.rm.scheduler_info`
(``/scheduler``), :mod:`~yarnemu.web.rm.pages` (HTML), :mod:`~yarnemu.web.rm.errors` (the one
place errors become HTTP answers).
"""

from yarnemu.web.rm.resource import ResourceManagerWebApp
from yarnemu.web.rm.services import STATIC_USER, RMWebServices

__all__ = ["ResourceManagerWebApp", "RMWebServices", "STATIC_USER"]
