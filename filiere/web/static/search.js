"use strict";
(function () {
  const { api, esc, tag, ready } = window.filiere;
  const form = document.getElementById("search-form"), out = document.getElementById("results");
  function person(p) {
    return `<div class="result person-result"><a class="person-link" href="/person/${encodeURIComponent(p.person_id)}">${esc(p.name)}</a>
      ${tag(p.category, "cat-" + p.category)} ${p.agencies.map((a) => tag(a)).join("")}
      <span class="muted small">${esc(p.person_id)} · ${p.n_mentions} mention(s) · matched: ${esc(p.matched_names.join(" | "))}</span>
      · <a href="/chart?ids=${encodeURIComponent(p.person_id)}">chart</a></div>`;
  }
  function phone(p) {
    const owners = p.owners.map((o) => `<a href="/person/${encodeURIComponent(o.person_id)}">${esc(o.name)}</a>`).join(", ");
    return `<div class="result"><a class="phone-link" href="/phone/${encodeURIComponent(p.phone)}">${esc(p.phone)}</a> ${owners ? "· " + owners : ""}</div>`;
  }
  function vehicle(v) {
    const keepers = v.keepers.map((o) => `<a href="/person/${encodeURIComponent(o.person_id)}">${esc(o.name)}</a>`).join(", ");
    return `<div class="result">${tag("plate")} <b>${esc(v.plate)}</b> (${esc((v.written || []).join(", "))}) ${esc(v.make || "")} ${esc(v.model || "")} ${keepers ? "· keeper " + keepers : ""}</div>`;
  }
  async function run(q) {
    out.innerHTML = '<p class="muted">searching…</p>';
    try {
      const r = await api("/api/search?q=" + encodeURIComponent(q));
      const parts = [];
      if (r.persons.length) parts.push("<h2>Persons</h2>" + r.persons.map(person).join(""));
      if (r.phones.length) parts.push("<h2>Phones</h2>" + r.phones.map(phone).join(""));
      if (r.vehicles.length) parts.push("<h2>Vehicles</h2>" + r.vehicles.map(vehicle).join(""));
      out.innerHTML = parts.join("") || '<p class="muted" id="no-results">Nothing your agency may see matches.</p>';
    } catch (e) { out.innerHTML = `<p class="error">${esc(e.message)}</p>`; }
  }
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault(); await ready;
    const q = document.getElementById("q").value.trim();
    history.replaceState(null, "", "/search?q=" + encodeURIComponent(q));
    run(q);
  });
  const initial = new URLSearchParams(window.location.search).get("q");
  if (initial) { document.getElementById("q").value = initial; ready.then(() => run(initial)); }
})();
