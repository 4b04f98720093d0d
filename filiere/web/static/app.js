// Shared helpers of every page: the API client (CSRF header, error envelope), escaping, who am I.
"use strict";
(function () {
  const state = { me: null };

  function esc(value) {
    return String(value ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
  }

  async function api(path, options = {}) {
    const opts = { credentials: "same-origin", headers: {}, ...options };
    opts.headers = { Accept: "application/json", ...(options.headers || {}) };
    if (opts.body && typeof opts.body !== "string") {
      opts.body = JSON.stringify(opts.body);
      opts.headers["Content-Type"] = "application/json";
    }
    if (opts.method && opts.method !== "GET" && state.me) opts.headers["X-CSRF-Token"] = state.me.csrf;
    const response = await fetch(path, opts);
    if (response.status === 401 && !path.startsWith("/api/login")) { window.location = "/login"; throw new Error("not signed in"); }
    if (response.status === 428) { window.location = "/login?case=1"; throw new Error("justification required"); }
    const type = response.headers.get("content-type") || "";
    if (!response.ok) {
      const body = type.includes("json") ? await response.json() : { error: { message: response.statusText } };
      const err = new Error(body.error ? body.error.message : response.statusText);
      err.status = response.status; err.code = body.error && body.error.code;
      throw err;
    }
    if (opts.raw) return response;
    return type.includes("json") ? response.json() : response.text();
  }

  function notice(text) {
    const el = document.getElementById("notice");
    if (!el) return;
    el.textContent = text; el.hidden = !text;
  }

  function tag(text, cls = "") { return `<span class="tag ${cls}">${esc(text)}</span>`; }

  function table(rows, columns) {
    if (!rows.length) return '<p class="muted">none</p>';
    const head = columns.map((c) => `<th>${esc(c[0])}</th>`).join("");
    const body = rows.map((r) => "<tr>" + columns.map((c) => `<td>${c[1](r)}</td>`).join("") + "</tr>").join("");
    return `<table><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;
  }

  async function loadMe() {
    try { state.me = await api("/api/me"); } catch (e) { return null; }
    const who = document.getElementById("who");
    if (who) who.textContent = `${state.me.username} · ${state.me.agency} · ${state.me.role}` + (state.me.case_ref ? ` · case ${state.me.case_ref}` : "");
    return state.me;
  }

  const ready = document.body.dataset.page === "login" ? Promise.resolve(null) : loadMe();
  document.addEventListener("click", async (ev) => {
    if (ev.target && ev.target.id === "logout") {
      await ready; await api("/api/logout", { method: "POST" }); window.location = "/login";
    }
  });
  window.filiere = { api, esc, tag, table, notice, ready, state, entity: document.body.dataset.entity };
})();
