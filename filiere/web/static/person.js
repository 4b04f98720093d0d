"use strict";
(function () {
  const { api, esc, tag, table, ready, entity } = window.filiere;
  const out = document.getElementById("profile");
  const grading = (m) => `${esc(m.grading_scheme)} ${esc(m.source_grade)}${esc(m.information_grade)}`;
  ready.then(async () => {
    try {
      const p = await api("/api/persons/" + encodeURIComponent(entity));
      out.innerHTML = `<h1 id="person-name">${esc(p.name)} ${tag(p.category, "cat-" + p.category)}</h1>
        <p class="muted">${esc(p.person_id)} · ${p.n_mentions} mention(s) you may see · agencies ${p.agencies.map((a) => tag(a)).join("")}
        · ${p.n_links} link(s) · <a id="open-chart" href="/chart?ids=${encodeURIComponent(p.person_id)}">open in link chart</a></p>
        <h2>Mentions</h2>` + table(p.mentions, [
          ["Name as written", (m) => esc(m.name_raw || [m.given_name_raw, m.family_name_raw].filter(Boolean).join(" ") || m.alias_raw)],
          ["Alias", (m) => esc(m.alias_raw)], ["Born", (m) => esc(m.birth_date_raw || m.birth_date)],
          ["Nationality", (m) => esc(m.nationality_raw || m.nationality)], ["Document", (m) => esc(m.document_raw)],
          ["Phone", (m) => esc(m.phone_raw)], ["Category", (m) => tag(m.category, "cat-" + m.category)],
          ["Record", (m) => esc(`${m.record_kind} / ${m.slot}`)], ["Source", (m) => esc(`${m.file_name} row ${m.source_row}`)],
          ["Agency", (m) => esc(m.agency)], ["Grading", grading], ["Handling", (m) => `<span class="hc">${esc(m.handling_code)}</span>`],
          ["Fact/assessment", (m) => esc(m.nature)],
        ]) + "<h2>Phones</h2>" + table(p.phones, [
          ["Number", (x) => `<a href="/phone/${encodeURIComponent(x.phone)}">${esc(x.phone)}</a>`], ["Evidence", (x) => esc(x.evidence)],
        ]) + "<h2>Vehicles</h2>" + table(p.vehicles, [
          ["Plate", (v) => esc(v.plate_raw)], ["Vehicle", (v) => esc([v.make, v.model, v.colour].filter(Boolean).join(" "))],
          ["Agency", (v) => esc(v.agency)], ["Handling", (v) => `<span class="hc">${esc(v.handling_code)}</span>`],
        ]) + "<h2>Networks</h2>" + table(p.networks, [
          ["Network", (n) => `<a href="/network/${encodeURIComponent(n.network_id)}">${esc(n.network_id)}</a>`],
          ["Role", (n) => esc(n.role)], ["Key-player rank", (n) => esc(n.key_player_rank)],
        ]);
    } catch (e) { out.innerHTML = `<p class="error">${esc(e.message)}</p>`; }
  });
})();
