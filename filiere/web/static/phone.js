"use strict";
(function () {
  const { api, esc, table, ready, entity } = window.filiere;
  const out = document.getElementById("profile");
  const prov = [["Source", (m) => esc(m.file_name)], ["Agency", (m) => esc(m.agency)],
    ["Grading", (m) => esc(`${m.grading_scheme} ${m.source_grade}${m.information_grade}`)],
    ["Handling", (m) => `<span class="hc">${esc(m.handling_code)}</span>`], ["Fact/assessment", (m) => esc(m.nature)]];
  ready.then(async () => {
    try {
      const p = await api("/api/phones/" + encodeURIComponent(entity));
      out.innerHTML = `<h1>${esc(p.phone)}</h1><p class="muted">${p.n_events} call(s)/message(s) you may see</p>
        <h2>Attributed to</h2>` + table(p.owners, [
          ["Person", (o) => `<a href="/person/${encodeURIComponent(o.person_id)}">${esc(o.name || o.person_id)}</a>`],
          ["Evidence", (o) => esc(o.evidence)]]) +
        "<h2>Subscriber records</h2>" + table(p.subscribers, [["As written", (m) => esc(m.phone_raw)],
          ["Subscriber", (m) => esc(m.subscriber_name)], ["Operator", (m) => esc(m.operator)], ...prov]) +
        "<h2>Person records giving this number</h2>" + table(p.person_records, [["As written", (m) => esc(m.phone_raw)],
          ["Name", (m) => m.person_id ? `<a href="/person/${encodeURIComponent(m.person_id)}">${esc(m.name_raw)}</a>` : esc(m.name_raw)],
          ["Category", (m) => esc(m.category)], ...prov]) +
        "<h2>Counterparts</h2>" + table(p.counterparts, [
          ["Number", (c) => `<a href="/phone/${encodeURIComponent(c.other)}">${esc(c.other)}</a>`], ["Kind", (c) => esc(c.kind)],
          ["Count", (c) => esc(c.n)], ["First", (c) => esc(c.first_at)], ["Last", (c) => esc(c.last_at)]]);
    } catch (e) { out.innerHTML = `<p class="error">${esc(e.message)}</p>`; }
  });
})();
