"""Rendering exports: a chart as SVG and a network briefing as HTML, each carrying its handling codes."""

from __future__ import annotations

import math
from datetime import UTC, datetime
from html import escape
from typing import Any

from jinja2 import Environment

CATEGORY_COLOURS = {"suspect": "#c0392b", "convicted": "#7b241c", "victim": "#2471a3", "other": "#7f8c8d",
                    "unknown": "#95a5a6"}


def chart_svg(nodes: list[dict[str, Any]], positions: dict[str, tuple[float, float]], edges: list[dict[str, Any]],
              banner: str, footer: str) -> str:
    """Nodes at the client's positions (a circle if none given), labelled; banner and footer on the image."""
    if not positions:
        positions = {n["person_id"]: (300 * math.cos(i), 300 * math.sin(i)) for i, n in enumerate(nodes)}
    xs = [p[0] for p in positions.values()] or [0.0]
    ys = [p[1] for p in positions.values()] or [0.0]
    pad, top = 60, 50
    min_x, min_y = min(xs) - pad, min(ys) - pad
    width = max(max(xs) - min(xs) + 2 * pad, 500)
    height = max(ys) - min(ys) + 2 * pad + top + 40
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height:.0f}" '
           f'viewBox="0 0 {width:.0f} {height:.0f}" font-family="sans-serif" font-size="12">',
           '<rect width="100%" height="100%" fill="#ffffff"/>',
           '<rect x="0" y="0" width="100%" height="28" fill="#7b241c"/>',
           f'<text x="8" y="19" fill="#ffffff" font-weight="bold">{escape(banner)}</text>']

    def at(pid: str) -> tuple[float, float]:
        x, y = positions.get(pid, (0.0, 0.0))
        return x - min_x, y - min_y + top

    for e in edges:
        (x1, y1), (x2, y2) = at(e["person_a"]), at(e["person_b"])
        out.append(f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="#888" '
                   f'stroke-width="{1 + min(float(e.get("weight") or 1), 5):.1f}"><title>{escape(e["edge_type"])}'
                   f'</title></line>')
    for n in nodes:
        x, y = at(n["person_id"])
        colour = CATEGORY_COLOURS.get(n.get("category") or "unknown", "#95a5a6")
        out.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="12" fill="{colour}"/>')
        out.append(f'<text x="{x + 15:.1f}" y="{y + 4:.1f}">{escape(n.get("name") or n["person_id"])}</text>')
    out.append(f'<text x="8" y="{height - 12:.0f}" fill="#444">{escape(banner)} — {escape(footer)}</text>')
    out.append("</svg>")
    return "\n".join(out)


def briefing_html(env: Environment, network: dict[str, Any], handling: list[dict[str, Any]], banner: str,
                  footer: str) -> str:
    return env.get_template("briefing.html").render(network=network, handling=handling, banner=banner,
                                                    footer=footer)


def footer_text(username: str, agency: str, why: str | None) -> str:
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return f"exported by {username} ({agency}) on {when} for {why or 'no justification'}"
