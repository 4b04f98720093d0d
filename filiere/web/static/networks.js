"use strict";
(function () {
  const { api, esc, tag, table, ready } = window.filiere;
  const out = document.getElementById("networks");
  const number = (v) => (typeof v === "number" ? (Number.isInteger(v) ? v.toLocaleString() : v.toFixed(2)) : String(v));
  function indicators(ind) {
    if (!ind) return '<span class="muted">withheld (partial view)</span>';
    return Object.entries(ind).filter(([, v]) => v === null || typeof v !== "object" || "value" in v)
      .map(([k, v]) => tag(`${k.replace(/_/g, " ")}: ${number(v && typeof v === "object" ? v.value : v)}`)).join(" ");
  }
  const firstSentence = (text) => (text || "").split(/(?<=[.;:])\s/)[0];
  ready.then(async () => {
    try {
      const r = await api("/api/networks");
      out.innerHTML = table(r.networks, [
        ["Rank", (n) => esc(n.rank)],
        ["Network", (n) => `<a class="network-link" href="/network/${encodeURIComponent(n.network_id)}">${esc(n.network_id)}</a>`],
        ["Score", (n) => n.score === null ? '<span class="muted">–</span>' : esc(n.score.toFixed(2))],
        ["Members", (n) => `${esc(n.visible_members)}${n.n_members !== null ? " / " + esc(n.n_members) : ""}`],
        ["Indicators", (n) => indicators(n.indicators)],
        ["Explanation", (n) => `<span title="${esc(n.explanation || "")}">${esc(firstSentence(n.explanation))}</span>`],
        ["View", (n) => n.partial ? tag("partial") : tag("complete")],
      ]);
    } catch (e) { out.innerHTML = `<p class="error">${esc(e.message)}</p>`; }
  });
})();
