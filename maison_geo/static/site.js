/* maison-geo page behaviour: pickers apply at once, tables sort, table rows highlight map units. */
(function () {
  "use strict";
  var form = document.getElementById("view-form");
  if (form) {
    form.addEventListener("change", function (event) {
      if (event.target.name === "indicator" || event.target.name === "vintage") {
        var period = document.getElementById("period");
        if (period) { period.disabled = true; }  // another indicator or era has its own years
      }
      form.submit();
    });
  }

  document.querySelectorAll("table.sortable").forEach(function (table) {
    table.querySelectorAll("th button[data-sort]").forEach(function (button) {
      button.addEventListener("click", function () {
        var th = button.closest("th");
        var column = Array.prototype.indexOf.call(th.parentNode.children, th);
        var numeric = button.dataset.sort === "number";
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        table.querySelectorAll("th").forEach(function (other) { other.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = a.cells[column].dataset.value, y = b.cells[column].dataset.value;
          if (x === "" && y === "") { return 0; }
          if (x === "") { return 1; }
          if (y === "") { return -1; }
          var order = numeric ? parseFloat(x) - parseFloat(y) : x.localeCompare(y, document.documentElement.lang);
          return ascending ? order : -order;
        });
        rows.forEach(function (row) { body.appendChild(row); });
      });
    });
  });

  function highlight(row, on) {
    if (window.maisonMap && window.maisonMap.highlight) { window.maisonMap.highlight(row.dataset.code, on); }
  }
  document.addEventListener("maison:hover", function (event) {
    var row = document.querySelector('#values-table tbody tr[data-code="' + event.detail.code + '"]');
    if (row) { row.classList.toggle("hover", event.detail.on); }
  });

  var filter = document.getElementById("table-filter");
  if (filter) {
    filter.addEventListener("input", function () {
      var wanted = filter.value.trim().toLocaleLowerCase();
      var plain = function (text) { return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d"); };
      document.querySelectorAll("#" + filter.dataset.table + " tbody tr").forEach(function (row) {
        var name = row.cells[1].dataset.value.toLocaleLowerCase();
        row.hidden = wanted !== "" && plain(name).indexOf(plain(wanted)) < 0;
      });
    });
    filter.addEventListener("keydown", function (event) {
      if (event.key === "Enter") { event.preventDefault(); }  // filtering is live; Enter must not compare
    });
  }

  document.querySelectorAll("#values-table tbody tr[data-code]").forEach(function (row) {
    row.addEventListener("mouseenter", function () { highlight(row, true); });
    row.addEventListener("mouseleave", function () { highlight(row, false); });
    row.addEventListener("focusin", function () { highlight(row, true); });
    row.addEventListener("focusout", function () { highlight(row, false); });
  });

  /* On a phone the pickers fold into one "Options" panel and the legend's key becomes a folded overlay
     on the map, so the map is on the first screen with its legend one tap away. */
  if (window.matchMedia && window.matchMedia("(max-width: 800px)").matches) {
    document.querySelectorAll("details.options").forEach(function (panel) { panel.open = false; });
    var key = document.querySelector("#legend details.legend-key");
    var wrap = document.querySelector("#map-panel .map-wrap");
    if (key && wrap) {
      key.open = false;
      key.classList.add("on-map");
      wrap.appendChild(key);
    }
  }

  /* A table wider than its box scrolls inside it: the box is then a named region a keyboard can reach
     (Tab, then the arrow keys), so no one needs a mouse or a swipe to read its last columns. */
  function regionName(box) {
    var caption = box.querySelector("caption");
    if (caption) { return caption.textContent.trim(); }
    var heading = box.closest("section, article, main");
    heading = heading && heading.querySelector("h1, h2, h3");
    return heading ? heading.textContent.trim() : document.title;
  }
  function markScrolling() {
    document.querySelectorAll(".table-scroll").forEach(function (box) {
      if (box.scrollWidth > box.clientWidth + 1) {
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "region");
        if (!box.hasAttribute("aria-label")) { box.setAttribute("aria-label", regionName(box)); }
      } else if (box.getAttribute("role") === "region") {
        box.removeAttribute("tabindex");
        box.removeAttribute("role");
      }
    });
  }
  /* Measured once a frame at most, just before it is drawn: never a layout of its own while the page
     and its map are still being built. */
  var measuring = false;
  function markScrollingSoon() {
    if (measuring) { return; }
    measuring = true;
    requestAnimationFrame(function () { measuring = false; markScrolling(); });
  }
  markScrollingSoon();
  window.addEventListener("resize", markScrollingSoon);
  document.addEventListener("toggle", markScrollingSoon, true);  // a <details> opened shows its tables
  if (window.ResizeObserver) {  // a table shown later (the map page's, after its first frame), or grown
    var observer = new ResizeObserver(markScrollingSoon);
    document.querySelectorAll(".table-scroll, .table-scroll > table").forEach(function (box) { observer.observe(box); });
  }
})();
