// A network: members and roles on a chart; removing members updates the largest connected component live.
"use strict";
(function () {
  const { api, esc, tag, table, ready, entity } = window.filiere;
  const colours = window.filiereColours;
  const removed = new Set();
  let net = null, cy = null;

  function lcc(ids, edges) {
    const adj = new Map(ids.map((i) => [i, []]));
    for (const e of edges) if (adj.has(e.person_a) && adj.has(e.person_b)) { adj.get(e.person_a).push(e.person_b); adj.get(e.person_b).push(e.person_a); }
    const seen = new Set(); let best = 0;
    for (const start of ids) {
      if (seen.has(start)) continue;
      let size = 0; const stack = [start]; seen.add(start);
      while (stack.length) { const v = stack.pop(); size += 1; for (const w of adj.get(v)) if (!seen.has(w)) { seen.add(w); stack.push(w); } }
      best = Math.max(best, size);
    }
    return best;
  }
  const pct = (x) => (100 * x).toFixed(0) + "%";
  function why(reasons) {
    if (!reasons) return "";
    try {
      const r = JSON.parse(reasons);
      if (Array.isArray(r)) return r.join("; ");
      const also = Object.entries(r.also || {}).map(([role, why]) => `also ${role}: ${[].concat(why).join(", ")}`);
      const how = ["membership", "not_flagged"].filter((k) => r[k]).map((k) => r[k]);
      return [].concat(r.decided_by || []).concat(also).concat(how).join("; ");
    } catch (e) { return String(reasons); }
  }
  function indicatorTable(ind) {
    const rows = Object.entries(ind || {}).filter(([, v]) => v && typeof v === "object" && "value" in v)
      .map(([k, v]) => ({ k, ...v }));
    return rows.length ? table(rows, [["Indicator", (r) => esc(r.k.replace(/_/g, " "))], ["Value", (r) => esc(r.value)],
      ["Normalised", (r) => esc(r.normalised ?? "")], ["Weight", (r) => esc(r.weight ?? "")], ["Contribution", (r) => esc(r.contribution)]]) : "";
  }

  function update() {
    const ids = net.members.map((m) => m.person_id);
    const total = ids.length || 1;
    document.getElementById("lcc-before").textContent = pct(lcc(ids, net.edges) / total);
    document.getElementById("lcc-after").textContent = pct(lcc(ids.filter((i) => !removed.has(i)), net.edges) / total);
    cy.nodes().forEach((n) => n.style("opacity", removed.has(n.id()) ? 0.15 : 1));
    document.querySelectorAll("input.remove").forEach((box) => { box.checked = removed.has(box.value); });
  }

  function setRemoved(ids) { removed.clear(); ids.forEach((i) => removed.add(i)); update(); }

  ready.then(async () => {
    try { net = await api("/api/networks/" + encodeURIComponent(entity)); }
    catch (e) { document.getElementById("network-head").innerHTML = `<p class="error">${esc(e.message)}</p>`; return; }
    document.getElementById("network-head").innerHTML = `<h1 id="network-title">Network ${esc(net.network_id)} ${net.partial ? tag("partial view") : ""}</h1>
      <p>${net.partial ? '<span class="muted">Part of this network comes from sources your agency may not see: score and indicators withheld.</span>'
        : `rank ${esc(net.rank)} · score ${esc((net.score || 0).toFixed(2))} · ${esc(net.explanation || "")}`}</p>
      ${net.partial ? "" : indicatorTable(net.indicators)}`;
    document.getElementById("briefing").href = `/api/exports/networks/${encodeURIComponent(net.network_id)}/briefing.html`;
    document.getElementById("members").innerHTML = table(net.members, [
      ["Remove", (m) => `<input type="checkbox" class="remove" value="${esc(m.person_id)}">`],
      ["Rank", (m) => esc(m.key_player_rank)], ["Person", (m) => `<a href="/person/${encodeURIComponent(m.person_id)}">${esc(m.name)}</a>`],
      ["Role", (m) => tag(m.role)], ["Why", (m) => esc(why(m.role_reasons))], ["Score", (m) => esc(m.score)],
      ["Betweenness", (m) => esc(m.betweenness)], ["Agencies", (m) => (m.agencies || []).map((a) => tag(a)).join("")],
    ]);
    document.getElementById("plans").innerHTML = table(net.plans, [
      ["Plan", (p) => esc(p.plan_id)], ["Strategy", (p) => esc(p.strategy)], ["Targets", (p) => esc(p.targets.join(", "))],
      ["LCC", (p) => `${esc(p.lcc_before)} → ${esc(p.lcc_after)}`],
      ["", (p) => `<button type="button" class="apply-plan secondary" data-targets="${esc(p.targets.join(","))}">apply on chart</button>`],
    ]);
    cy = cytoscape({ container: document.getElementById("cy"),
      elements: [...net.members.map((m) => ({ data: { id: m.person_id, ...m, colour: colours.forNode(m, "role") } })),
        ...net.edges.map((e) => ({ data: { id: `${e.person_a}|${e.person_b}|${e.edge_type}`, source: e.person_a, target: e.person_b } }))],
      style: [{ selector: "node", style: { label: "data(name)", "background-color": "data(colour)", "font-size": 10 } },
        { selector: "edge", style: { width: 1.5, "line-color": "#aab" } }],
      maxZoom: 1.6,
      layout: { name: "cose", animate: false, nodeRepulsion: () => 400000, idealEdgeLength: () => 110, padding: 40 } });
    window.chart = cy;
    cy.on("tap", "node", (ev) => { const id = ev.target.id(); if (removed.has(id)) removed.delete(id); else removed.add(id); update(); });
    document.getElementById("members").addEventListener("change", (ev) => {
      if (!ev.target.classList.contains("remove")) return;
      if (ev.target.checked) removed.add(ev.target.value); else removed.delete(ev.target.value);
      update();
    });
    document.getElementById("plans").addEventListener("click", (ev) => {
      if (ev.target.classList.contains("apply-plan")) setRemoved(ev.target.dataset.targets.split(",").filter(Boolean));
    });
    document.getElementById("plan-form").addEventListener("submit", async (ev) => {
      ev.preventDefault();
      const out = document.getElementById("plan-result");
      try {
        const r = await api(`/api/networks/${encodeURIComponent(net.network_id)}/plan`, { method: "POST",
          body: { budget: Number(document.getElementById("budget").value), excluded: [] } });
        out.innerHTML = `<p id="plan-targets">${esc(r.strategy)}: remove ${r.targets.map((t) => tag(t)).join("")} → LCC ${pct(r.lcc_before)} → ${pct(r.lcc_after)}</p>
          ${(r.reasons || []).map((x) => `<p class="small">${esc(x)}</p>`).join("")}
          <p class="muted small">Advice for a human decision; nothing is done to anyone by this tool.</p>`;
        setRemoved(r.targets);
      } catch (e) { out.innerHTML = `<p class="error">${esc(e.message)}</p>`; }
    });
    update();
  });
})();
