/* govsite dashboard: sortable tables and confirmation dialogs.  No framework, no CDN;
 * the pages work without it (forms post, links navigate). */
(function () {
  "use strict";
  function cellValue(row, i, numeric) {
    var c = row.cells[i];
    var t = c ? (c.getAttribute("data-sort") || c.textContent.trim()) : "";
    if (numeric) { var n = parseFloat(t.replace(/[^0-9.\-]/g, "")); return isNaN(n) ? -Infinity : n; }
    return t;
  }
  function sortTable(table, th) {
    var i = Array.prototype.indexOf.call(th.parentNode.children, th);
    var numeric = th.getAttribute("data-type") === "num";
    var asc = !th.classList.contains("sorted-asc");
    Array.prototype.forEach.call(th.parentNode.children, function (h) {
      h.classList.remove("sorted-asc", "sorted-desc"); h.removeAttribute("aria-sort");
    });
    th.classList.add(asc ? "sorted-asc" : "sorted-desc");
    th.setAttribute("aria-sort", asc ? "ascending" : "descending");
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var coll = window.Intl && Intl.Collator ? new Intl.Collator("zh-CN", { numeric: true }) : null;
    rows.sort(function (a, b) {
      var x = cellValue(a, i, numeric), y = cellValue(b, i, numeric), r;
      if (numeric) r = x - y; else r = coll ? coll.compare(x, y) : (x < y ? -1 : x > y ? 1 : 0);
      return asc ? r : -r;
    });
    rows.forEach(function (r) { body.appendChild(r); });
  }
  document.addEventListener("click", function (ev) {
    var th = ev.target.closest("table.sortable thead th");
    if (th) { sortTable(th.closest("table"), th); return; }
    var el = ev.target.closest("[data-confirm]");
    if (el && !window.confirm(el.getAttribute("data-confirm"))) { ev.preventDefault(); }
  });
  document.addEventListener("keydown", function (ev) {
    var th = ev.target.closest && ev.target.closest("table.sortable thead th");
    if (th && (ev.key === "Enter" || ev.key === " ")) { ev.preventDefault(); sortTable(th.closest("table"), th); }
  });
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("table.sortable thead th").forEach(function (th) { th.tabIndex = 0; });
  });
})();
