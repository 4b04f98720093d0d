// Offline map: country shapes from the world-atlas package (TopoJSON) drawn as SVG with an equirectangular
// projection fitted to the points; no tile server.
"use strict";
window.filiereMap = (function () {
  const kindColours = { call: "#2e86c1", sighting: "#16a085", crossing: "#884ea0" };
  let countries = null;
  async function basemap() {
    if (countries) return countries;
    const topo = await (await fetch("/vendor/world-atlas/countries-50m.json")).json();
    countries = topojson.feature(topo, topo.objects.countries).features;
    return countries;
  }
  function esc(v) { return window.filiere.esc(v); }
  async function draw(el, points) {
    const W = 900, H = 420;
    if (!points.length) { el.innerHTML = '<p class="muted">no located events for the persons on the chart</p>'; return; }
    let minLat = Math.min(...points.map((p) => p.lat)), maxLat = Math.max(...points.map((p) => p.lat));
    let minLon = Math.min(...points.map((p) => p.lon)), maxLon = Math.max(...points.map((p) => p.lon));
    const padLat = Math.max((maxLat - minLat) * 0.3, 0.15), padLon = Math.max((maxLon - minLon) * 0.3, 0.25);
    minLat -= padLat; maxLat += padLat; minLon -= padLon; maxLon += padLon;
    const k = Math.cos(((minLat + maxLat) / 2) * Math.PI / 180);
    const scale = Math.min(W / ((maxLon - minLon) * k), H / (maxLat - minLat));
    const cx = (minLon + maxLon) / 2, cyy = (minLat + maxLat) / 2;
    const px = (lon) => W / 2 + (lon - cx) * k * scale, py = (lat) => H / 2 - (lat - cyy) * scale;
    let land = "";
    try {
      for (const f of await basemap()) {
        const polys = f.geometry ? (f.geometry.type === "Polygon" ? [f.geometry.coordinates] : f.geometry.coordinates) : [];
        let d = "";
        for (const poly of polys) for (const ring of poly) {
          if (!ring.some(([lon, lat]) => lon > minLon - 5 && lon < maxLon + 5 && lat > minLat - 5 && lat < maxLat + 5)) continue;
          d += ring.map(([lon, lat], i) => `${i ? "L" : "M"}${px(lon).toFixed(1)},${py(lat).toFixed(1)}`).join("") + "Z";
        }
        if (d) land += `<path d="${d}" fill="#f4f1e8" stroke="#b9b09a" stroke-width="0.7"><title>${esc(f.properties && f.properties.name)}</title></path>`;
      }
    } catch (e) { land = ""; }
    const dots = points.map((p) => `<circle cx="${px(p.lon).toFixed(1)}" cy="${py(p.lat).toFixed(1)}" r="6" fill="${kindColours[p.kind] || "#555"}"
      stroke="#fff" stroke-width="1.5" class="map-point"><title>${esc(p.kind)} ${esc(p.at)} ${esc(p.label)} (${esc(p.agency)} ${esc(p.handling_code)})</title></circle>`).join("");
    const legend = Object.entries(kindColours).map(([k, c], i) => `<circle cx="16" cy="${16 + i * 18}" r="6" fill="${c}"/><text x="28" y="${20 + i * 18}" font-size="12">${k === "call" ? "cell site (call)" : k}</text>`).join("");
    el.innerHTML = `<svg viewBox="0 0 ${W} ${H}" preserveAspectRatio="xMidYMid meet">${land}${dots}${legend}</svg>`;
  }
  return { draw };
})();
