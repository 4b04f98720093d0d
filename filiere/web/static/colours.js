// Colours for networks (hashed), roles and subject categories; shared by the chart and network pages.
"use strict";
window.filiereColours = (function () {
  const palette = ["#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22", "#d62728", "#7f7f7f"];
  const roles = { organiser: "#c0392b", broker: "#8e44ad", collector: "#d4ac0d", recruiter: "#e67e22", driver: "#16a085",
    logistics: "#2e86c1", member: "#7f8c8d" };
  const categories = { suspect: "#c0392b", convicted: "#7b241c", victim: "#2471a3", other: "#7f8c8d", unknown: "#aab7b8" };
  function hashed(key) {
    let h = 0; for (const ch of String(key)) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
    return palette[h % palette.length];
  }
  function forNode(d, by) {
    if (d.category === "victim") return categories.victim;
    if (by === "role") return roles[d.role] || "#bdc3c7";
    if (by === "category") return categories[d.category] || "#bdc3c7";
    return d.network_id ? hashed(d.network_id) : "#bdc3c7";
  }
  return { forNode, roles, categories };
})();
