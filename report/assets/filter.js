// Adds a filter box above each table marked data-filter. Rows stay visible
// without JavaScript.
(function () {
  "use strict";
  var tables = document.querySelectorAll("table[data-filter]");
  Array.prototype.forEach.call(tables, function (table) {
    var body = table.tBodies[0];
    var wrap = table.parentNode;
    if (!body || !wrap || !wrap.parentNode) {
      return;
    }
    var rows = Array.prototype.slice.call(body.rows);
    var box = document.createElement("div");
    box.className = "filter";
    var input = document.createElement("input");
    input.type = "search";
    input.placeholder = "Filter rows";
    input.setAttribute("aria-label", "Filter table rows");
    var count = document.createElement("span");
    count.className = "filter-count";
    count.setAttribute("aria-live", "polite");
    box.appendChild(input);
    box.appendChild(count);
    wrap.parentNode.insertBefore(box, wrap);
    input.addEventListener("input", function () {
      var q = input.value.trim().toLowerCase();
      var shown = 0;
      rows.forEach(function (row) {
        var hit = q === "" || row.textContent.toLowerCase().indexOf(q) !== -1;
        row.hidden = !hit;
        if (hit) {
          shown++;
        }
      });
      count.textContent = q === "" ? "" : shown + " of " + rows.length + " rows";
    });
  });
})();
