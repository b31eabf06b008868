"""
The job plan the REST API shows (``/jobs/{id}`` ``plan``, ``/jobs/{id}/plan``), derived from a
JobGraph as Flink's ``JsonPlanGenerator``: one node per vertex with its TREE description made
HTML-safe (``<br/>`` for line breaks), and one input per edge with its ship strategy and
exchange (the result partition type in lower case).  Input vertices have no ``inputs`` field.
Nodes are listed in the JobGraph's topological order (Flink lists them in creation order).
"""

import html

__all__ = ["job_plan"]


def _html(text):
    return html.escape(text, quote=False).replace('"', "&quot;").replace("\n", "<br/>")


def job_plan(job_graph):
    """:return: the plan as a JSON-ready dict (``{"jid", "name", "type", "nodes"}``)."""
    nodes = []
    for vertex in job_graph.vertices:
        node = {
            "id": str(vertex.id),
            "parallelism": vertex.parallelism,
            "operator": "",
            "operator_strategy": "",
            "description": _html(vertex.description or vertex.name).replace("\\", "&#92;"),
        }
        inputs = []
        for number, edge in enumerate(vertex.inputs):
            data_set = job_graph.data_set(edge.source)
            inputs.append(
                {
                    "num": number,
                    "id": str(data_set.producer),
                    "ship_strategy": edge.ship_strategy_name,
                    "exchange": data_set.result_partition_type.value.lower(),
                }
            )
        if inputs:
            node["inputs"] = inputs
        node["optimizer_properties"] = {}
        nodes.append(node)
    return {
        "jid": str(job_graph.job_id),
        "name": job_graph.name,
        "type": job_graph.job_type.value,
        "nodes": nodes,
    }
