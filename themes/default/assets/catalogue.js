/* The 公开目录 table, sortable and filterable: a progressive enhancement. The
   table is complete without JavaScript; this script adds a button to each
   column header marked data-sort (its state in aria-sort) and a filter by
   words and year above the table, and announces how many items are shown. */
(function () {
  var table = document.querySelector("table[data-catalogue]");
  var tools = document.getElementById("catalogue-tools");
  if (!table || !tools || !table.tBodies.length) { return; }
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);

  function cellValue(row, column) {
    var cell = row.cells[column];
    /* data-value: the date to sort by, or "" for a cell marked 无 (sorted last) */
    return (cell.hasAttribute("data-value") ? cell.getAttribute("data-value") : cell.textContent).trim();
  }

  /* Filter: words anywhere in the row, and a year. */
  var years = [];
  rows.forEach(function (row) {
    var year = row.getAttribute("data-year");
    if (year && years.indexOf(year) < 0) { years.push(year); }
  });
  years.sort().reverse();
  var wordsLabel = document.createElement("label");
  wordsLabel.htmlFor = "catalogue-words";
  wordsLabel.textContent = "按名称、索引号等筛选";
  var words = document.createElement("input");
  words.type = "search";
  words.id = "catalogue-words";
  var yearLabel = document.createElement("label");
  yearLabel.htmlFor = "catalogue-year";
  yearLabel.textContent = "年度";
  var year = document.createElement("select");
  year.id = "catalogue-year";
  year.appendChild(new Option("全部年度", ""));
  years.forEach(function (value) { year.appendChild(new Option(value + "年度", value)); });
  var count = document.createElement("p");
  count.className = "catalogue-count";
  count.setAttribute("role", "status");
  /* Each label with its control in one wrapper: on a phone “年度” never ends a line
     while its list starts the next. */
  [[wordsLabel, words], [yearLabel, year]].forEach(function (pair) {
    var wrapper = document.createElement("span");
    wrapper.className = "catalogue-field";
    wrapper.appendChild(pair[0]);
    wrapper.appendChild(pair[1]);
    tools.appendChild(wrapper);
  });
  tools.appendChild(count);
  tools.hidden = false;

  function filter() {
    var term = words.value.trim().toLowerCase();
    var shown = 0;
    rows.forEach(function (row) {
      var visible = (!term || row.textContent.toLowerCase().indexOf(term) >= 0)
        && (!year.value || row.getAttribute("data-year") === year.value);
      row.hidden = !visible;
      if (visible) { shown += 1; }
    });
    count.textContent = "显示 " + shown + " 项，共 " + rows.length + " 项。";
  }
  words.addEventListener("input", filter);
  year.addEventListener("change", filter);

  /* Sorting: a button in each sortable header; aria-sort on the sorted one. */
  headers.forEach(function (th, column) {
    if (!th.hasAttribute("data-sort")) { return; }
    var button = document.createElement("button");
    button.type = "button";
    button.className = "sort-button";
    button.textContent = th.textContent;
    th.textContent = "";
    th.appendChild(button);
    button.addEventListener("click", function () {
      var ascending = th.getAttribute("aria-sort") !== "ascending";
      headers.forEach(function (other) { other.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      rows.sort(function (a, b) {
        var x = cellValue(a, column), y = cellValue(b, column);
        var order = x.localeCompare(y, "zh-CN");
        if (!x !== !y) { return x ? -1 : 1; }  /* empty cells last, either way */
        return ascending ? order : -order;
      });
      rows.forEach(function (row) { body.appendChild(row); });
    });
  });
  filter();
})();
