// The link chart: expand neighbours (super-node guard on the server), filter by link type and time window,
// colour by network/role/category, pin, hide, group; the timeline and map follow what is on the chart.
"use strict";
(function () {
  const { api, esc, tag, ready } = window.filiere;
  const colours = window.filiereColours;
  const typeColours = { call: "#2e86c1", message: "#5dade2", payment: "#d4ac0d", vehicle: "#16a085", crossing: "#884ea0",
    statement: "#a04000", contact: "#95a5a6" };
  const hidden = new Set();
  let groups = 0;
  const notice = document.getElementById("chart-notice");
  const cy = cytoscape({
    container: document.getElementById("cy"),
    maxZoom: 1.6,
    minZoom: 0.2,
    style: [
      { selector: "node", style: { label: "data(name)", "background-color": "data(colour)", "font-size": 10,
        "text-valign": "bottom", "text-margin-y": 3, width: 22, height: 22 } },
      { selector: "node[category = 'victim']", style: { shape: "round-rectangle" } },
      { selector: "node.pinned", style: { "border-width": 3, "border-color": "#111" } },
      { selector: "node:selected", style: { "border-width": 3, "border-color": "#f1c40f" } },
      { selector: ":parent", style: { "background-opacity": 0.08, label: "data(name)", "text-valign": "top" } },
      { selector: "edge", style: { width: "mapData(weight, 0, 10, 1, 6)", "line-color": "data(colour)", "curve-style": "bezier",
        opacity: 0.8 } },
      { selector: ".filtered", style: { display: "none" } },
    ],
  });
  window.chart = cy;

  function params() {
    const types = [...document.querySelectorAll("input[name=type]:checked")].map((i) => i.value);
    const p = new URLSearchParams();
    if (types.length < 7) p.set("types", types.join(","));
    const since = document.getElementById("since").value, until = document.getElementById("until").value;
    if (since) p.set("since", since + "T00:00:00");
    if (until) p.set("until", until + "T23:59:59");
    return { p, types, since, until };
  }

  function recolour() {
    const by = document.getElementById("colour-by").value;
    cy.nodes().not(":parent").forEach((n) => n.data("colour", colours.forNode(n.data(), by)));
  }

  function applyFilters() {
    const { types, since, until } = params();
    cy.edges().forEach((e) => {
      const d = e.data();
      const outside = (since && d.last_at && d.last_at.slice(0, 10) < since) || (until && d.first_at && d.first_at.slice(0, 10) > until);
      e.toggleClass("filtered", !types.includes(d.edge_type) || Boolean(outside));
    });
  }

  function addGraph(result) {
    const added = [];
    for (const n of result.nodes) {
      if (hidden.has(n.person_id) || cy.getElementById(n.person_id).nonempty()) continue;
      added.push({ group: "nodes", data: { id: n.person_id, ...n } });
    }
    cy.add(added);
    const edges = [];
    for (const e of result.edges) {
      const id = `${e.person_a}|${e.person_b}|${e.edge_type}`;
      if (cy.getElementById(id).nonempty() || cy.getElementById(e.person_a).empty() || cy.getElementById(e.person_b).empty()) continue;
      edges.push({ group: "edges", data: { id, source: e.person_a, target: e.person_b, colour: typeColours[e.edge_type] || "#999", ...e } });
    }
    cy.add(edges);
    const capped = Object.entries(result.capped || {});
    notice.hidden = !capped.length;
    notice.textContent = capped.map(([id, total]) => `${id} has ${total} neighbours: showing the ${result.cap} strongest links (super-node guard).`).join(" ");
    recolour(); applyFilters();
    layout();
    refreshSide();
  }

  function layout() {
    cy.layout({ name: "cose", animate: false, randomize: true, nodeRepulsion: () => 400000, idealEdgeLength: () => 110,
      nodeOverlap: 20, componentSpacing: 120, padding: 40, fit: true }).run();
  }

  async function expand(ids) {
    if (!ids.length) return;
    const { p } = params();
    p.set("ids", ids.join(","));
    try { addGraph(await api("/api/graph/neighbours?" + p.toString())); }
    catch (e) { notice.hidden = false; notice.textContent = e.message; }
  }

  function onChart() { return cy.nodes().not(":parent").map((n) => n.id()); }

  let sideTimer = null;
  function refreshSide() {
    clearTimeout(sideTimer);
    sideTimer = setTimeout(async () => {
      const ids = onChart();
      if (!ids.length) return;
      const q = "?ids=" + encodeURIComponent(ids.slice(0, 300).join(","));
      const [tl, mp] = await Promise.all([api("/api/timeline" + q), api("/api/map" + q)]);
      drawTimeline(tl.events);
      window.filiereMap.draw(document.getElementById("map"), mp.points);
    }, 150);
  }

  let timeline = null;
  function drawTimeline(events) {
    const dense = events.length > 40;  // many events: one row per kind, points with the details on hover
    const items = events.map((e, i) => ({ id: i, start: e.at.replace(" ", "T"), group: e.kind, type: dense ? "point" : "box",
      content: dense ? "" : `${esc(e.kind)}: ${esc(e.label)}`,
      title: `${esc(e.at)} ${esc(e.kind)}: ${esc(e.label)} — ${esc(e.agency)} ${esc(e.handling_code)} · ${esc((e.person_ids || []).join(", "))}` }));
    const kinds = [...new Set(events.map((e) => e.kind))].map((k) => ({ id: k, content: k }));
    const el = document.getElementById("timeline");
    if (!items.length) { el.innerHTML = '<p class="muted">no dated events for the persons on the chart</p>'; timeline = null; return; }
    const options = { stack: !dense, maxHeight: 520, zoomMin: 60 * 1000 };
    if (!timeline) { el.innerHTML = ""; timeline = new vis.Timeline(el, items, kinds, options); }
    else { timeline.setOptions(options); timeline.setGroups(kinds); timeline.setItems(items); timeline.fit(); }
  }

  cy.on("tap", "node", (ev) => {
    const d = ev.target.data();
    if (ev.target.isParent()) return;
    document.getElementById("details").innerHTML = `<h2>${esc(d.name)}</h2>
      <p>${tag(d.category, "cat-" + d.category)} ${(d.agencies || []).map((a) => tag(a)).join("")}</p>
      <p>network ${esc(d.network_id || "–")} · role ${esc(d.role || "–")}</p>
      <p><a href="/person/${encodeURIComponent(d.person_id)}">profile</a> · double-click to expand</p>`;
  });
  cy.on("dbltap", "node", (ev) => { if (!ev.target.isParent()) expand([ev.target.id()]); });

  const selected = () => cy.nodes(":selected").not(":parent");
  document.getElementById("expand").addEventListener("click", () => expand(selected().map((n) => n.id())));
  document.getElementById("pin").addEventListener("click", () => selected().forEach((n) => {
    if (n.locked()) { n.unlock(); n.removeClass("pinned"); } else { n.lock(); n.addClass("pinned"); }
  }));
  document.getElementById("hide").addEventListener("click", () => {
    selected().forEach((n) => { hidden.add(n.id()); n.remove(); }); refreshSide();
  });
  document.getElementById("group").addEventListener("click", () => {
    const nodes = selected();
    if (nodes.length < 2) return;
    groups += 1;
    const id = "group-" + groups;
    cy.add({ group: "nodes", data: { id, name: "group " + groups } });
    nodes.forEach((n) => n.move({ parent: id }));
  });
  document.getElementById("relayout").addEventListener("click", layout);
  document.getElementById("colour-by").addEventListener("change", recolour);
  document.querySelectorAll("input[name=type], #since, #until").forEach((i) => i.addEventListener("change", applyFilters));

  function download(href, name) {
    const a = document.createElement("a"); a.href = href; a.download = name; document.body.appendChild(a); a.click(); a.remove();
  }
  function exportNodes() { return cy.nodes().not(":parent").map((n) => ({ id: n.id(), x: n.position("x"), y: n.position("y") })); }
  document.getElementById("export-svg").addEventListener("click", async () => {
    const svg = await api("/api/exports/chart", { method: "POST", body: { format: "svg", nodes: exportNodes() } });
    download(URL.createObjectURL(new Blob([svg], { type: "image/svg+xml" })), "chart.svg");
  });
  document.getElementById("export-png").addEventListener("click", async () => {
    const meta = await api("/api/exports/chart", { method: "POST", body: { format: "png", nodes: exportNodes() } });
    const img = new Image();
    img.onload = () => {
      const canvas = document.createElement("canvas");
      canvas.width = Math.max(img.width, 900); canvas.height = img.height + 64;
      const g = canvas.getContext("2d");
      g.fillStyle = "#fff"; g.fillRect(0, 0, canvas.width, canvas.height);
      g.fillStyle = "#7b241c"; g.fillRect(0, 0, canvas.width, 28);
      g.fillStyle = "#fff"; g.font = "bold 13px sans-serif"; g.fillText(meta.banner, 8, 19);
      g.drawImage(img, 0, 32);
      g.fillStyle = "#444"; g.font = "11px sans-serif"; g.fillText(meta.banner + " — " + meta.footer, 8, canvas.height - 12);
      download(canvas.toDataURL("image/png"), "chart.png");
    };
    img.src = cy.png({ full: true, bg: "#ffffff", scale: 1 });
  });

  const initial = (new URLSearchParams(window.location.search).get("ids") || "").split(",").filter(Boolean);
  ready.then(() => expand(initial));
})();
