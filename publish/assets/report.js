/* Filter and sort the report's lists (reports, findings) across all their pages.
 *
 * A list page shows one page of rows as plain HTML and works without this script. With it,
 * typing in the filter box or clicking a column header loads the whole list (the
 * <list>-data.js file beside the page, by a <script> tag, so it works from file:// too) and
 * shows the matching rows, sorted, a page at a time. No libraries, no network.
 */
(function () {
  "use strict";
  var box = document.querySelector(".filter[data-source]");
  if (!box) return;
  var table = document.getElementById(box.getAttribute("data-table"));
  var input = box.querySelector("input");
  var status = box.querySelector(".matches");
  var pageSize = parseInt(box.getAttribute("data-page-size"), 10) || 500;
  var heads = Array.prototype.slice.call(table.tHead.rows[0].cells);
  var body = table.tBodies[0];
  var staticRows = body.innerHTML;
  var collator = new Intl.Collator("zh-CN", { numeric: true });
  var state = { terms: [], column: -1, descending: false, offset: 0 };
  var data = null;
  var waiting = [];

  window.gongkaiListData = function (loaded) {
    data = loaded;
    data.search = data.rows.map(function (row) {
      return row.map(function (cell) {
        return Array.isArray(cell) ? cell[1] : cell === null ? "" : String(cell);
      }).join(" ").toLowerCase();
    });
    var pending = waiting;
    waiting = [];
    pending.forEach(function (then) { then(); });
  };

  function withData(then) {
    if (data) { then(); return; }
    waiting.push(then);
    if (waiting.length > 1) return;
    var script = document.createElement("script");
    script.src = box.getAttribute("data-source");
    document.head.appendChild(script);
  }

  function value(row, column) {
    var cell = row[column];
    return Array.isArray(cell) ? cell[1] : cell;
  }

  function compare(a, b) {
    var kind = heads[state.column].getAttribute("data-type");
    var x = value(a, state.column);
    var y = value(b, state.column);
    if (x === null || x === "") return y === null || y === "" ? 0 : 1;  // unknowns last
    if (y === null || y === "") return -1;
    var numeric = kind === "number" || kind === "year";
    var order = numeric ? x - y : collator.compare(String(x), String(y));
    return state.descending ? -order : order;
  }

  function cellNode(cell, kind) {
    var td = document.createElement("td");
    if (kind === "number") td.className = "num";
    if (Array.isArray(cell)) {
      var a = document.createElement("a");
      a.href = cell[0];
      a.textContent = cell[1];
      td.appendChild(a);
    } else if (cell !== null) {
      td.textContent = kind === "number" ? Number(cell).toLocaleString("en-US") : cell;
    } else if (kind === "number") {
      td.textContent = "–";
    }
    return td;
  }

  function show() {
    if (!state.terms.length && state.column < 0) {
      body.innerHTML = staticRows;
      status.textContent = "";
      return;
    }
    var matching = [];
    for (var i = 0; i < data.rows.length; i++) {
      var text = data.search[i];
      if (state.terms.every(function (term) { return text.indexOf(term) >= 0; })) {
        matching.push(data.rows[i]);
      }
    }
    if (state.column >= 0) matching.sort(compare);
    if (state.offset >= matching.length) state.offset = 0;
    var shown = matching.slice(state.offset, state.offset + pageSize);
    var fragment = document.createDocumentFragment();
    shown.forEach(function (row) {
      var tr = document.createElement("tr");
      row.forEach(function (cell, column) {
        tr.appendChild(cellNode(cell, heads[column].getAttribute("data-type")));
      });
      fragment.appendChild(tr);
    });
    body.innerHTML = "";
    body.appendChild(fragment);
    status.textContent = matching.length
      ? "rows " + (state.offset + 1) + "–" + (state.offset + shown.length) + " of " +
        matching.length + " matching 条符合"
      : "no matching rows 无符合条件的行";
    status.setAttribute("data-matches", String(matching.length));
    pagerButton("← previous 上一页", state.offset > 0, -pageSize);
    pagerButton("next 下一页 →", state.offset + pageSize < matching.length, pageSize);
  }

  function pagerButton(label, enabled, step) {
    if (!enabled) return;
    var button = document.createElement("button");
    button.type = "button";
    button.textContent = label;
    button.addEventListener("click", function () { state.offset += step; show(); });
    status.appendChild(document.createTextNode(" "));
    status.appendChild(button);
  }

  input.addEventListener("input", function () {
    state.terms = input.value.toLowerCase().split(/\s+/).filter(Boolean);
    state.offset = 0;
    withData(show);
  });

  heads.forEach(function (head, column) {
    head.classList.add("sortable");
    head.title = "sort 排序";
    head.addEventListener("click", function () {
      state.descending = state.column === column ? !state.descending : false;
      state.column = column;
      state.offset = 0;
      heads.forEach(function (other) { other.classList.remove("sorted-asc", "sorted-desc"); });
      head.classList.add(state.descending ? "sorted-desc" : "sorted-asc");
      withData(show);
    });
  });
})();
