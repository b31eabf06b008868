"""
``yarnemu node``: Hadoop's ``yarn node`` (``NodeCLI``, Hadoop 3) over the RM REST API, with its
options, output and exit statuses:

* ``-list [-all | -states S1,S2] [-showDetails]``: ``Total Nodes:N`` and the table (RUNNING nodes
  by default), with ``Detailed Node Information`` under each node for ``-showDetails``; 0, or -1
  with the invalid-state message;
* ``-status <NodeId>``: the ``Node Report``, or ``Could not find the node report for node id :
  X``; 0 either way;
* ``-help``; anything else: the usage, with ``Invalid Command Usage :`` first when no command
  option was given.

A malformed node id raises :class:`~yarnemu.errors.IllegalArgumentException`, an unknown option
:class:`~yarnemu.yarncli.options.UnrecognizedOptionException` (uncaught exceptions in Hadoop's
command); :mod:`yarnemu.yarncli.command` reports them.
"""

from yarnemu.records.ids import NodeId
from yarnemu.records.states import NodeState
from yarnemu.yarncli import format as jfmt
from yarnemu.yarncli.base import YarnCommand
from yarnemu.yarncli.options import MissingArgumentException, Option, parse
from yarnemu.yarncli.rest import RmNotFound

__all__ = ["NodeCommand", "NODE_OPTIONS", "NODES_PATTERN", "node_row", "node_details",
           "node_report"]

NODES_PATTERN = "%16s\t%15s\t%17s\t%28s\n"

_VALID_STATES = ("The valid node state can be one of the following: "
                 + ",".join(NodeState) + ".")

NODE_OPTIONS = (
    Option("help", "Displays help for all commands."),
    Option("status", "Prints the status report of the node.", "NodeId"),
    Option("list", "List all running nodes. Supports optional use of -states to filter nodes "
                   "based on node state, all -all to list all nodes, -showDetails to display "
                   "more details about each node."),
    Option("states", "Works with -list to filter nodes based on input comma-separated list of "
                     "node states. " + _VALID_STATES, "States", many=True, separator=","),
    Option("all", "Works with -list to list all nodes."),
    Option("showDetails", "Works with -list to show more details about each node."),
)


def _capability(node):
    # NodeInfo has no capacity field before Hadoop 3.1's totalResource: used + available.
    total = node.get("totalResource")
    if isinstance(total, dict):
        return total.get("memory", 0), total.get("vCores", 0)
    return (node.get("usedMemoryMB", 0) + node.get("availMemoryMB", 0),
            node.get("usedVirtualCores", 0) + node.get("availableVirtualCores", 0))


def _labels(node):
    labels = node.get("nodeLabels") or []
    if isinstance(labels, str):
        labels = [labels]
    return ",".join(sorted(labels))


def _utilization(node, prefix):
    usage_info = node.get("resourceUtilization")
    if not isinstance(usage_info, dict):
        return ""
    if prefix == "node":
        physical, virtual, cpu = ("nodePhysicalMemoryMB", "nodeVirtualMemoryMB", "nodeCPUUsage")
    else:
        physical, virtual, cpu = ("aggregatedContainersPhysicalMemoryMB",
                                  "aggregatedContainersVirtualMemoryMB", "containersCPUUsage")
    return (f"PMem:{usage_info.get(physical, 0)} MB, VMem:{usage_info.get(virtual, 0)} MB, "
            f"VCores:{jfmt.java_float(usage_info.get(cpu, 0))}")


def node_row(node):
    """:return: the ``-list`` table line of ``node`` (an RM REST node object)."""
    return NODES_PATTERN % (jfmt.java_string(node.get("id")), jfmt.java_string(node.get("state")),
                            jfmt.java_string(node.get("nodeHTTPAddress")),
                            node.get("numContainers", 0))


def node_details(node):
    """:return: the ``Detailed Node Information`` lines ``-list -showDetails`` adds."""
    memory, vcores = _capability(node)
    return ("Detailed Node Information :\n"
            f"\tConfigured Resources : {jfmt.resource(memory, vcores)}\n"
            "\tAllocated Resources : "
            f"{jfmt.resource(node.get('usedMemoryMB', 0), node.get('usedVirtualCores', 0))}\n"
            f"\tResource Utilization by Node : {_utilization(node, 'node')}\n"
            f"\tResource Utilization by Containers : {_utilization(node, 'containers')}\n"
            f"\tNode-Labels : {_labels(node)}\n")


def node_report(node, tz=None):
    """
    :param tz: the time zone of ``Last-Health-Update`` (``None``: the local one).
    :return: the text ``-status`` prints for ``node`` (an RM REST node object), ending with an
        empty line.
    """
    memory, vcores = _capability(node)
    lines = [
        "Node Report : ",
        f"\tNode-Id : {jfmt.java_string(node.get('id'))}",
        f"\tRack : {jfmt.java_string(node.get('rack'))}",
        f"\tNode-State : {jfmt.java_string(node.get('state'))}",
        f"\tNode-Http-Address : {jfmt.java_string(node.get('nodeHTTPAddress'))}",
        f"\tLast-Health-Update : {jfmt.health_update_time(node.get('lastHealthUpdate', 0), tz)}",
        f"\tHealth-Report : {jfmt.java_string(node.get('healthReport'))}",
        f"\tContainers : {node.get('numContainers', 0)}",
        f"\tMemory-Used : {node.get('usedMemoryMB', 0)}MB",
        f"\tMemory-Capacity : {memory}MB",
        f"\tCPU-Used : {node.get('usedVirtualCores', 0)} vcores",
        f"\tCPU-Capacity : {vcores} vcores",
        f"\tNode-Labels : {_labels(node)}",
        "\tNode Attributes : ",
        f"\tResource Utilization by Node : {_utilization(node, 'node')}",
        f"\tResource Utilization by Containers : {_utilization(node, 'containers')}",
    ]
    return "\n".join(lines) + "\n\n"


class NodeCommand(YarnCommand):
    """
    :param rm: the :class:`~yarnemu.yarncli.rest.RmRest` to ask.
    :param out: where the command's output goes (``System.out``).
    :param err: where its complaints go (``System.err``).
    :param tz: the time zone for ``Last-Health-Update`` (``None``: the local one).
    """

    title = "node"
    options = NODE_OPTIONS

    def __init__(self, rm, out, err, tz=None):
        super().__init__(rm, out, err)
        self.tz = tz

    def run(self, arguments):
        """:return: the exit status ``NodeCLI.run`` returns for ``arguments``."""
        arguments = ["-all" if a.lower() == "-all" else a for a in arguments]
        try:
            line = parse(NODE_OPTIONS, arguments)
        except MissingArgumentException:
            self.out.write("Missing argument for options\n")
            return self._usage()
        if line.has("status"):
            if len(arguments) != 2:
                return self._usage()
            return self.status(line.value("status"))
        if line.has("list"):
            if line.has("all"):
                states = list(NodeState)
            elif line.has("states"):
                states = []
                for state in line.all_values("states"):
                    if not state.strip():
                        continue
                    try:
                        states.append(NodeState(state.strip().upper()))
                    except ValueError:
                        self.out.write(f"The node state {state} is invalid.\n{_VALID_STATES}\n")
                        return -1
            else:
                states = [NodeState.RUNNING]
            return self.list(states, details=line.has("showDetails"))
        return self._without_command(line)

    def list(self, states, details=False):
        """
        ``-list``: the nodes in ``states`` (every node when it is empty, as
        ``YarnClient.getNodeReports()`` with no state does). :return: 0.
        """
        nodes = self.rm.nodes([s for s in NodeState if s in states])
        self.out.write(f"Total Nodes:{len(nodes)}\n")
        self.out.write(NODES_PATTERN % ("Node-Id", "Node-State", "Node-Http-Address",
                                        "Number-of-Running-Containers"))
        for node in nodes:
            self.out.write(node_row(node))
            if details:
                self.out.write(node_details(node))
        return 0

    def status(self, text):
        """``-status``: :return: 0, whether or not the RM knows the node."""
        node_id = NodeId.parse(text)
        try:
            node = self.rm.node(node_id)
        except RmNotFound:
            self.out.write(f"Could not find the node report for node id : {text}\n")
            return 0
        self.out.write(node_report(node, self.tz))
        return 0
