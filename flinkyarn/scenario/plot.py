"""
:func:`write_plot`: a PNG of a run — which containers ran on which node when (a Gantt chart, one
colour per application, JobManagers hatched) over the cluster's memory utilization, with the
scenario's steps marked on both.

matplotlib is optional (``pip install 'yarnemu[plot]'``): it is imported only when a plot is
written, and only its non-interactive Agg canvas is used, so no window ever opens.
"""

from flinkyarn.scenario.usage import JOBMANAGER, node_order_key

__all__ = ["write_plot", "assign_lanes"]

_JM_EDGE = "#1a1a1a"
_MAX_HEIGHT_IN = 14.0
_LANE_HEIGHT_IN = 0.28


def assign_lanes(spans, end_ms):
    """
    :return: ``{container_id: lane}``: each span (in ``(start_ms, container_id)`` order) takes the
        lowest lane of its node that is free when it starts; a span still running counts as
        ending at ``end_ms``.
    """
    lanes = {}
    busy_until = {}  # node -> [end of the last span in each lane]
    for span in sorted(spans, key=lambda s: (s.start_ms, s.container_id)):
        ends = busy_until.setdefault(span.node, [])
        end = span.end_ms if span.end_ms is not None else end_ms
        for lane, lane_end in enumerate(ends):
            if lane_end <= span.start_ms:
                break
        else:
            lane = len(ends)
            ends.append(end)
        ends[lane] = end
        lanes[span.container_id] = lane
    return lanes


def _time_unit(start_ms, end_ms):
    """:return: ``(milliseconds per unit, axis label)``: minutes for runs over 15 minutes."""
    if end_ms - start_ms > 15 * 60_000:
        return 60_000.0, "virtual time (min)"
    return 1000.0, "virtual time (s)"


def _app_colours(spans, colormaps):
    """:return: ``{application_id: colour}`` in order of first appearance, from a qualitative
    map."""
    apps = list(dict.fromkeys(span.application_id for span in spans))
    palette = colormaps["tab10" if len(apps) <= 10 else "tab20"].colors
    return {app: palette[index % len(palette)] for index, app in enumerate(apps)}


def write_plot(path, usage, start_ms, end_ms, steps=(), title="", app_labels=None):
    """
    Write a PNG of ``usage`` (a :class:`~flinkyarn.scenario.usage.ClusterUsage`) between
    ``start_ms`` and ``end_ms`` (epoch ms) to ``path``.

    :param steps: ``(time_ms, label)`` pairs drawn as dashed vertical lines, labelled on top.
    :param app_labels: ``{application_id: display name}``; an application without one is shown
        by its id.
    :raise RuntimeError: if matplotlib is not installed.
    """
    try:
        from matplotlib import colormaps
        from matplotlib.figure import Figure
        from matplotlib.patches import Patch
    except ImportError as error:
        raise RuntimeError("--plot needs matplotlib: pip install 'yarnemu[plot]'") from error

    app_labels = app_labels or {}
    end_ms = max(end_ms, start_ms + 1)
    unit, unit_label = _time_unit(start_ms, end_ms)

    def x(time_ms):
        return (min(max(time_ms, start_ms), end_ms) - start_ms) / unit

    spans = [span for span in usage.spans if span.start_ms <= end_ms
             and (span.end_ms is None or span.end_ms >= start_ms)]
    lanes = assign_lanes(spans, end_ms)
    nodes = list(usage.containers_per_node())
    lane_count = {node: 1 for node in nodes}
    for span in spans:
        lane_count[span.node] = max(lane_count.get(span.node, 1), lanes[span.container_id] + 1)
    nodes = sorted(lane_count, key=node_order_key)
    node_top, row = {}, 0
    for node in nodes:
        node_top[node] = row
        row += lane_count[node]
    rows = max(row, 1)

    gantt_height = min(max(2.2, rows * _LANE_HEIGHT_IN), _MAX_HEIGHT_IN - 3.4)
    figure = Figure(figsize=(12, gantt_height + 3.4), layout="constrained")
    gantt, memory = figure.subplots(2, 1, sharex=True,
                                    gridspec_kw={"height_ratios": [gantt_height, 1.9]})
    if title:
        figure.suptitle(title, fontsize=12)

    colours = _app_colours(spans, colormaps)
    for span in spans:
        left = x(span.start_ms)
        width = x(span.end_ms if span.end_ms is not None else end_ms) - left
        y = node_top[span.node] + lanes[span.container_id] + 0.5
        jm = span.role == JOBMANAGER
        gantt.barh(y, width, left=left, height=0.8, color=colours[span.application_id],
                   edgecolor=_JM_EDGE if jm else "white", linewidth=1.2 if jm else 0.5,
                   hatch="///" if jm else None)
        if jm:
            gantt.text(left + (end_ms - start_ms) / unit * 0.004, y, "JM", va="center",
                       ha="left", fontsize=7, fontweight="bold", color="white", clip_on=True,
                       bbox={"boxstyle": "round,pad=0.1", "facecolor": _JM_EDGE,
                             "edgecolor": "none"})
    for node in nodes[1:]:
        gantt.axhline(node_top[node], color="#999999", linewidth=0.6)
    gantt.set_ylim(rows, 0)
    gantt.set_yticks([node_top[node] + lane_count[node] / 2 for node in nodes],
                     [node.rpartition(":")[0] or node for node in nodes])
    gantt.tick_params(axis="y", length=0)
    gantt.set_ylabel("node")
    gantt.set_xlim(0, (end_ms - start_ms) / unit)
    gantt.grid(axis="x", color="#dddddd", linewidth=0.6)
    gantt.set_axisbelow(True)
    if not spans:
        gantt.text(0.5, 0.5, "no containers", transform=gantt.transAxes, ha="center",
                   va="center", color="#777777")

    handles = [Patch(facecolor=colour, label=app_labels.get(app, app))
               for app, colour in colours.items()]
    handles += [Patch(facecolor="#bbbbbb", edgecolor=_JM_EDGE, hatch="///",
                      label="JobManager (AM container)"),
                Patch(facecolor="#bbbbbb", edgecolor="white", label="TaskManager")]
    figure.legend(handles=handles, loc="outside lower center", ncols=min(len(handles), 4),
                  fontsize=8, frameon=False)

    times, percent = [0.0], [0.0]  # from the value in effect at start_ms
    for time, allocated, total in usage.memory_series(end_ms):
        value = min(100.0, 100.0 * allocated / total) if total > 0 else 0.0
        if time <= start_ms:
            percent[0] = value
        else:
            times.append(x(time))
            percent.append(value)
    memory.step(times, percent, where="post", color="#3465a4", linewidth=1.4)
    memory.fill_between(times, percent, step="post", color="#3465a4", alpha=0.2, linewidth=0)
    memory.set_ylim(0, 105)
    memory.set_yticks([0, 25, 50, 75, 100])
    memory.set_ylabel("memory allocated\n(% of cluster)")
    memory.set_xlabel(unit_label)
    memory.grid(color="#dddddd", linewidth=0.6)

    steps = [(x(time), label) for time, label in steps if start_ms <= time <= end_ms]
    for axes in (gantt, memory):
        for position, _ in steps:
            axes.axvline(position, color="#555555", linestyle="--", linewidth=0.9)
    if steps:
        top = gantt.secondary_xaxis("top")
        top.set_xticks([position for position, _ in steps], [label for _, label in steps])
        top.tick_params(axis="x", labelsize=7, length=3, labelrotation=30)
        for label in top.get_xticklabels():
            label.set_horizontalalignment("left")
    figure.savefig(path, format="png", dpi=100, metadata={"Software": None})
