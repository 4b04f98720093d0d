"""Front-end libraries served from filiere/web/node_modules (installed by `make web-assets`), allow-listed."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse

from filiere.web.errors import NotFound

router = APIRouter(include_in_schema=False)

# package -> files of it the pages may load
VENDOR_FILES: dict[str, frozenset[str]] = {
    "cytoscape": frozenset({"dist/cytoscape.min.js"}),
    "vis-timeline": frozenset({"standalone/umd/vis-timeline-graph2d.min.js", "styles/vis-timeline-graph2d.min.css"}),
    "world-atlas": frozenset({"countries-50m.json", "countries-110m.json", "land-50m.json"}),
    "topojson-client": frozenset({"dist/topojson-client.min.js"}),
    "swagger-ui-dist": frozenset({"swagger-ui-bundle.js", "swagger-ui.css"}),
}


@router.get("/vendor/{package}/{path:path}")
def vendor(package: str, path: str, request: Request) -> FileResponse:
    if path not in VENDOR_FILES.get(package, frozenset()):
        raise NotFound(f"no front-end file {package}/{path}")
    file = request.app.state.ctx.assets_dir / "node_modules" / package / path
    if not file.is_file():
        raise NotFound(f"{package}/{path} is not installed; run `make web-assets`")
    return FileResponse(file, headers={"Cache-Control": "public, max-age=3600"})
