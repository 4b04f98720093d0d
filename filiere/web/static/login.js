"use strict";
(function () {
  const { api } = window.filiere;
  const caseOnly = new URLSearchParams(window.location.search).get("case") === "1";
  const form = document.getElementById("login-form");
  async function signedIn() { try { window.filiere.state.me = await api("/api/me"); return true; } catch (e) { return false; } }
  (async () => {
    if (caseOnly && await signedIn()) {
      document.getElementById("credentials").hidden = true;
      document.getElementById("username").required = false; document.getElementById("password").required = false;
      document.getElementById("login-submit").textContent = "Open the case";
    }
  })();
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const err = document.getElementById("login-error"); err.textContent = "";
    const case_ref = document.getElementById("case_ref").value, purpose = document.getElementById("purpose").value;
    try {
      if (document.getElementById("credentials").hidden) {
        await api("/api/justification", { method: "POST", body: { case_ref, purpose } });
      } else {
        await api("/api/login", { method: "POST", body: { username: document.getElementById("username").value,
          password: document.getElementById("password").value, case_ref, purpose } });
      }
      window.location = "/search";
    } catch (e) { err.textContent = e.message; }
  });
})();
