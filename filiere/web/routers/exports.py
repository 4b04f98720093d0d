"""Exports: a chart (SVG from the server; PNG drawn by the browser with the server's banner) and a network
briefing (HTML). Both carry the handling codes of everything in them and are logged as disclosures."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel, Field

from filiere.model.vocab import LogAction
from filiere.web import render
from filiere.web.data import graph, handling, networks, persons
from filiere.web.deps import Caller, data_user
from filiere.web.errors import NotFound, WebError

router = APIRouter(prefix="/api/exports", tags=["exports"])


class NodeIn(BaseModel):
    id: str = Field(max_length=200)
    x: float | None = None
    y: float | None = None


class ChartIn(BaseModel):
    format: Literal["svg", "png"] = "svg"
    nodes: list[NodeIn] = Field(max_length=2000)


@router.post("/chart", summary="Export the chart: SVG, or the banner for a PNG drawn by the browser")
def chart(body: ChartIn, caller: Caller = Depends(data_user)) -> Response:
    ids = [n.id for n in body.nodes]
    if not ids:
        raise WebError("nothing on the chart to export")
    cards = persons.cards(caller.db, ids)
    nodes = [cards[i] for i in ids if i in cards]
    shown = [n["person_id"] for n in nodes]
    edges = graph.edges_among(caller.db, shown)
    codes = handling.codes(caller.db, handling.sources_of_persons(caller.db, shown))
    banner = handling.banner(codes)
    footer = render.footer_text(caller.user.username, caller.user.agency, caller.why)
    caller.log(LogAction.DISCLOSURE, f"chart exported as {body.format}",
               {"persons": shown, "edges": len(edges), "handling": banner}, to_whom=caller.user.username)
    if body.format == "png":
        return Response(content=_json({"banner": banner, "footer": footer, "handling": codes,
                                       "persons": shown}), media_type="application/json")
    positions = {n.id: (n.x, n.y) for n in body.nodes if n.x is not None and n.y is not None and n.id in cards}
    svg = render.chart_svg(nodes, positions, edges, banner, footer)
    return Response(content=svg, media_type="image/svg+xml",
                    headers={"Content-Disposition": 'attachment; filename="chart.svg"'})


@router.get("/networks/{network_id}/briefing.html", summary="Network briefing (HTML) with handling codes",
            response_class=HTMLResponse)
def briefing(network_id: str, request: Request, caller: Caller = Depends(data_user)) -> HTMLResponse:
    net = networks.detail(caller.db, network_id)
    if net is None:
        raise NotFound(f"no network {network_id!r} visible to you")
    codes = handling.codes(caller.db, handling.sources_of_persons(caller.db, [m["person_id"] for m in net["members"]]))
    banner = handling.banner(codes)
    footer = render.footer_text(caller.user.username, caller.user.agency, caller.why)
    html = render.briefing_html(request.app.state.templates.env, net, codes, banner, footer)
    caller.log(LogAction.DISCLOSURE, f"network {network_id} briefing exported",
               {"members": len(net["members"]), "handling": banner}, to_whom=caller.user.username)
    return HTMLResponse(html, headers={"Content-Disposition": f'attachment; filename="briefing-{network_id}.html"'})


def _json(value: object) -> str:
    import json

    return json.dumps(value, default=str)
