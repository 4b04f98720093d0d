"use strict";
(function () {
  const { api, esc, tag, ready } = window.filiere;
  const out = document.getElementById("pairs");
  function side(p, s) {
    return `<div><b>${esc(p["name_" + s])}</b> ${tag(p["category_" + s] || "unknown")}<br>
      <span class="small">born ${esc(p["birth_date_" + s] || "?")} · ${esc(p["nationality_" + s] || "?")} · ${esc(p["phone_" + s] || "")}</span><br>
      <span class="small muted">${esc(p["mention_" + s])} · ${esc(p["agency_" + s])} ${esc(p["grading_scheme_" + s])} <span class="hc">${esc(p["handling_code_" + s])}</span></span></div>`;
  }
  function evidence(p) {
    // a model pair shows its probability; a rule's edge has none: its name and evidence say why it was joined
    let f = {};
    try { f = JSON.parse(p.features || "{}") || {}; } catch (e) { f = {}; }
    if (p.match_probability === null || p.match_probability === undefined) {
      const bits = [f.line ? "line " + f.line : "", [].concat(f.shared_name_tokens || []).join(", "),
        [].concat(f.why || []).join("; ")].filter(Boolean);
      return `<span class="decided">${esc(p.decided_by || "rule")}</span><br><span class="small">${esc(bits.join(" · "))}</span>`;
    }
    return `p = ${esc(p.match_probability.toFixed(2))} <span class="small muted decided">${esc(p.decided_by || "")}</span>`;
  }
  async function load() {
    const r = await api("/api/review");
    if (!r.pairs.length) { out.innerHTML = '<p class="muted">Nothing to review.</p>'; return; }
    out.innerHTML = r.pairs.map((p, i) => `<div class="pair" data-i="${i}">${side(p, "l")}${side(p, "r")}
      <div>${evidence(p)}<br><input class="reason" placeholder="reason" value="">
      <button type="button" class="judge" data-decision="same">Same</button>
      <button type="button" class="judge danger" data-decision="different">Different</button></div></div>`).join("");
    out.onclick = async (ev) => {
      if (!ev.target.classList.contains("judge")) return;
      const row = ev.target.closest(".pair"), p = r.pairs[Number(row.dataset.i)];
      const reason = row.querySelector(".reason").value || (ev.target.dataset.decision === "same" ? "confirmed by analyst" : "rejected by analyst");
      try {
        await api("/api/review/judgements", { method: "POST", body: { mention_id_a: p.mention_l, mention_id_b: p.mention_r,
          decision: ev.target.dataset.decision, reason } });
        row.remove();
      } catch (e) { window.filiere.notice(e.message); }
    };
  }
  ready.then(() => load().catch((e) => { out.innerHTML = `<p class="error">${esc(e.message)}</p>`; }));
})();
