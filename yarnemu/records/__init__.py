"""
YARN's records, ids and states as immutable values (frozen attrs classes and enums), named as in
Hadoop.  Everything public is re-exported here: ``from yarnemu.records import ContainerId``.
"""

from yarnemu.records.am_protocol import *  # noqa: F401,F403
from yarnemu.records.client_protocol import *  # noqa: F401,F403
from yarnemu.records.container_manager_protocol import *  # noqa: F401,F403
from yarnemu.records.containers import *  # noqa: F401,F403
from yarnemu.records.exit_status import *  # noqa: F401,F403
from yarnemu.records.ids import *  # noqa: F401,F403
from yarnemu.records.resource import *  # noqa: F401,F403
from yarnemu.records.states import *  # noqa: F401,F403
from yarnemu.records.tracker_protocol import *  # noqa: F401,F403
