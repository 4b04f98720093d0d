"use strict";
(function () {
  const { api, esc, table, ready } = window.filiere;
  const out = document.getElementById("entries");
  async function load() {
    const p = new URLSearchParams();
    for (const [k, id] of [["actor", "f-actor"], ["agency", "f-agency"], ["action", "f-action"], ["text", "f-text"]]) {
      const v = document.getElementById(id).value; if (v) p.set(k, v);
    }
    try {
      const r = await api("/api/audit?" + p.toString());
      out.innerHTML = table(r.entries, [["#", (e) => esc(e.seq)], ["When (UTC)", (e) => esc(e.logged_at)], ["Who", (e) => esc(e.actor)],
        ["Agency", (e) => esc(e.agency)], ["Action", (e) => esc(e.action)], ["What", (e) => esc(e.what)], ["Why", (e) => esc(e.why)],
        ["Details", (e) => `<span class="small">${esc(e.details)}</span>`]]);
    } catch (e) { out.innerHTML = `<p class="error">${esc(e.message)}</p>`; }
  }
  document.getElementById("audit-form").addEventListener("submit", (ev) => { ev.preventDefault(); load(); });
  document.getElementById("verify").addEventListener("click", async () => {
    const r = await api("/api/audit/verify");
    document.getElementById("verify-result").innerHTML = r.ok ? `<b>Chain intact</b>: ${r.entries} entries verified.`
      : `<b class="error">Chain broken</b>: ${r.problems.map(esc).join("; ")}`;
  });
  ready.then(load);
})();
