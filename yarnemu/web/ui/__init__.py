"""
The ResourceManager's web UI: server-rendered HTML on the RM web address, at ``/`` (the cluster's
metrics, nodes and applications) and ``/app/<applicationId>`` (an application's overview,
attempts and containers, and the panels its framework adds).

    ui = ClusterWebUI(rm, application_panels=None)
    ui.mount(root)          # root: the ResourceManagerWebApp

Modules: :mod:`~yarnemu.web.ui.resource` (the pages), :mod:`~yarnemu.web.ui.views` (the YARN
views, from the RM REST API's JSON), :mod:`~yarnemu.web.ui.panels` (what pages are made of, and
:class:`IApplicationPanels`, the seam for a framework's panels), :mod:`~yarnemu.web.ui.markup`
(HTML, escaped), :mod:`~yarnemu.web.ui.formats` (times, durations and sizes as Hadoop writes them).
"""

from yarnemu.web.ui.panels import (
    IApplicationPanels,
    Link,
    Panel,
    Progress,
    State,
    Table,
    Text,
    Time,
)
from yarnemu.web.ui.resource import ClusterWebUI

__all__ = ["ClusterWebUI", "IApplicationPanels", "Panel", "Table", "Text", "Link", "State",
           "Progress", "Time"]
