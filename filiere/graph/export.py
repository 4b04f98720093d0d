"""Write the person graph for Gephi and other tools: GEXF 1.3 or GraphML.

Nodes carry ``label``, ``category`` (victim, suspect …, or phone), ``network_id``, ``role`` and
``key_player_rank`` (empty when not a network member), ``flag`` (probable_customer, nominal_subscriber: the
customer side kept out of networks, ``person_flags``; empty otherwise); edges carry ``weight``, ``types``, ``n_events``,
``first_at`` and ``last_at``.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import igraph as ig

from filiere.errors import UsageError
from filiere.graph.load import load_graph
from filiere.workspace import Workspace

FORMATS = ("gexf", "graphml")
NODE_ATTRS: dict[str, str] = {"category": "string", "network_id": "string", "role": "string",
                              "key_player_rank": "integer", "flag": "string"}
EDGE_ATTRS: dict[str, str] = {"types": "string", "n_events": "long", "first_at": "string", "last_at": "string"}


def export_graph_for(ws: Workspace) -> ig.Graph:
    g = load_graph(ws.con, edge_details=True)
    roles = {r[0]: r[1:] for r in ws.con.execute(
        "SELECT person_id, network_id, role, key_player_rank FROM network_members").fetchall()}
    g.vs["network_id"] = [roles.get(n, ("",))[0] for n in g.vs["name"]]
    g.vs["role"] = [roles[n][1] if n in roles else "" for n in g.vs["name"]]
    g.vs["key_player_rank"] = [int(roles[n][2] or 0) if n in roles else 0 for n in g.vs["name"]]
    has_flags = ws.con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = 'person_flags'"
                               ).fetchone()[0]
    flags = dict(ws.con.execute("SELECT person_id, flag FROM person_flags").fetchall()) if has_flags else {}
    g.vs["flag"] = [flags.get(n, "") for n in g.vs["name"]]
    for attr in ("first_at", "last_at"):
        g.es[attr] = ["" if v is None else str(v) for v in g.es[attr]]
    for attr in ("label", "category", "nationality", "country", "agency"):
        g.vs[attr] = ["" if v is None else str(v) for v in g.vs[attr]]
    return g


def write_gexf(g: ig.Graph, path: Path) -> None:
    root = ET.Element("gexf", {"xmlns": "http://gexf.net/1.3", "version": "1.3"})
    meta = ET.SubElement(root, "meta")
    ET.SubElement(meta, "creator").text = "filiere"
    graph = ET.SubElement(root, "graph", {"defaultedgetype": "undirected", "mode": "static"})
    for cls, attrs in (("node", NODE_ATTRS), ("edge", EDGE_ATTRS)):
        decl = ET.SubElement(graph, "attributes", {"class": cls})
        for i, (name, typ) in enumerate(attrs.items()):
            ET.SubElement(decl, "attribute", {"id": str(i), "title": name, "type": typ})
    nodes = ET.SubElement(graph, "nodes")
    for v in g.vs:
        node = ET.SubElement(nodes, "node", {"id": v["name"], "label": v["label"] or v["name"]})
        values = ET.SubElement(node, "attvalues")
        for i, name in enumerate(NODE_ATTRS):
            ET.SubElement(values, "attvalue", {"for": str(i), "value": str(v[name])})
    edges = ET.SubElement(graph, "edges")
    names = g.vs["name"]
    for e in g.es:
        a, b = e.tuple
        edge = ET.SubElement(edges, "edge", {"id": str(e.index), "source": names[a], "target": names[b],
                                             "weight": f"{e['weight']:.6g}"})
        values = ET.SubElement(edge, "attvalues")
        for i, name in enumerate(EDGE_ATTRS):
            ET.SubElement(values, "attvalue", {"for": str(i), "value": str(e[name])})
    ET.ElementTree(root).write(path, encoding="utf-8", xml_declaration=True)


def write_graph(ws: Workspace, fmt: str, path: Path) -> ig.Graph:
    if fmt not in FORMATS:
        raise UsageError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
    g = export_graph_for(ws)
    if fmt == "gexf":
        write_gexf(g, path)
    else:
        g.write_graphml(str(path))
    return g
