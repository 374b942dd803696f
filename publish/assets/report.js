/* Filter and sort the report's lists (reports, findings) across all their pages.
 *
 * A list page shows one page of rows as plain HTML and works without this script. With it,
 * typing in the filter box or clicking a column header reads the list's pages' names
 * (<list>-pages.js), then its rows page by page (<list>-data-<page>.js beside the page),
 * each by a <script> tag, so it works from file:// too; it keeps the rows that match and
 * shows them, sorted, a page at a time. Only matching rows are held: a narrow filter over a
 * million rows holds a few. No libraries, no network.
 */
(function () {
  "use strict";
  var box = document.querySelector(".filter[data-source]");
  if (!box) return;
  var table = document.getElementById(box.getAttribute("data-table"));
  var input = box.querySelector("input");
  var status = box.querySelector(".matches");
  var pageSize = parseInt(box.getAttribute("data-page-size"), 10) || 500;
  var source = box.getAttribute("data-source");
  var pagesFile = box.getAttribute("data-pages");
  var names = null;  // the list's pages' names, in list order, once read
  var heads = table ? Array.prototype.slice.call(table.tHead.rows[0].cells) : [];
  var body = table ? table.tBodies[0] : null;
  var staticRows = body ? body.innerHTML : "";
  var collator = new Intl.Collator("zh-CN", { numeric: true });
  var state = { terms: [], column: -1, descending: false, offset: 0 };
  var scan = null;  // { terms, rows: [{ row, text }], done }: the rows matching `terms`
  var waiting = {};  // data page number -> what to do with its rows

  window.gongkaiListPages = function (listed) { names = listed; };

  function withNames(then) {
    if (names) return then(names);
    var script = document.createElement("script");
    script.src = pagesFile;
    script.onload = script.onerror = function () {
      script.parentNode.removeChild(script);
      then(names || []);
    };
    document.head.appendChild(script);
  }

  window.gongkaiListData = function (loaded) {
    var then = waiting[loaded.page];
    delete waiting[loaded.page];
    if (then) then(loaded.rows);
  };

  function load(name, then) {
    waiting[name] = then;
    var script = document.createElement("script");
    script.src = source + name + ".js";
    script.onload = script.onerror = function () {
      script.parentNode.removeChild(script);
      if (waiting[name] === then) {  // no data came (a missing file): go on without it
        delete waiting[name];
        then([]);
      }
    };
    document.head.appendChild(script);
  }

  function searchText(row) {
    return row.map(function (cell) {
      return Array.isArray(cell) ? cell[1] : cell === null ? "" : String(cell);
    }).join(" ").toLowerCase();
  }

  function matches(text, terms) {
    return terms.every(function (term) { return text.indexOf(term) >= 0; });
  }

  // Every row matching `newer` matches `older` when each older term is part of a newer one.
  function narrows(older, newer) {
    return older.every(function (term) {
      return newer.some(function (other) { return other.indexOf(term) >= 0; });
    });
  }

  function value(row, column) {
    var cell = row[column];
    return Array.isArray(cell) ? cell[1] : cell;
  }

  function compare(a, b) {
    var kind = heads[state.column].getAttribute("data-type");
    var x = value(a.row, state.column);
    var y = value(b.row, state.column);
    if (x === null || x === "") return y === null || y === "" ? 0 : 1;  // unknowns last
    if (y === null || y === "") return -1;
    var numeric = kind === "number" || kind === "year";
    var order = numeric ? x - y : collator.compare(String(x), String(y));
    return state.descending ? -order : order;
  }

  // As the page prints a number: 1,234; a fraction with two decimals, rounded half-even.
  var whole = new Intl.NumberFormat("en-US");
  var fraction = new Intl.NumberFormat("en-US", {
    minimumFractionDigits: 2, maximumFractionDigits: 2, roundingMode: "halfEven"
  });

  function shownNumber(x) {
    var number = Number(x);
    return Number.isInteger(number) ? whole.format(number) : fraction.format(number);
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
      td.textContent = kind === "number" ? shownNumber(cell) : cell;
    } else if (kind === "number") {
      td.textContent = "–";
    }
    return td;
  }

  function refresh() {
    if (!state.terms.length && state.column < 0) {
      scan = scan && scan.done ? scan : null;
      body.innerHTML = staticRows;
      status.textContent = "";
      status.removeAttribute("data-matches");
      return;
    }
    var terms = state.terms;
    if (scan && scan.done && narrows(scan.terms, terms)) {
      scan = {
        terms: terms,
        rows: scan.rows.filter(function (item) { return matches(item.text, terms); }),
        done: true
      };
      show();
      return;
    }
    var mine = { terms: terms, rows: [], done: false };
    scan = mine;
    status.removeAttribute("data-matches");
    var next = 0;
    withNames(function (pages) {
      (function step() {
        if (scan !== mine) return;  // a newer filter replaced this one
        if (next >= pages.length) {
          mine.done = true;
          show();
          return;
        }
        if (pages.length > 1) {
          status.textContent = "searching 搜索中 " + (next + 1) + "/" + pages.length;
        }
        load(pages[next++], function (rows) {
          if (scan !== mine) return;
          rows.forEach(function (row) {
            var text = searchText(row);
            if (matches(text, terms)) mine.rows.push({ row: row, text: text });
          });
          step();
        });
      })();
    });
  }

  function show() {
    var matching = scan.rows;
    if (state.column >= 0) matching.sort(compare);
    if (state.offset >= matching.length) state.offset = 0;
    var shown = matching.slice(state.offset, state.offset + pageSize);
    var fragment = document.createDocumentFragment();
    shown.forEach(function (item) {
      var tr = document.createElement("tr");
      item.row.forEach(function (cell, column) {
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

  if (!table) return;  // a list with no rows: nothing to filter

  input.addEventListener("input", function () {
    state.terms = input.value.toLowerCase().split(/\s+/).filter(Boolean);
    state.offset = 0;
    refresh();
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
      refresh();
    });
  });
})();
