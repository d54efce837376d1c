/* The search page: our own small script over Pagefind's JavaScript API (the
   index that `site-builder build` writes to pagefind/, in parts), no third party.
   Without JavaScript the page shows the whole catalogue (see search.html);
   where the index cannot be loaded (opened from file://, where browsers block
   it, or in `site-builder serve`, which does not build it) this script says so
   in one sentence and leaves the catalogue shown. */
(function () {
  var form = document.getElementById("search-form");
  var input = document.getElementById("search-q");
  var status = document.getElementById("search-status");
  var results = document.getElementById("search-results");
  var list = document.getElementById("search-list");
  var catalogue = document.getElementById("search-catalogue");
  var unavailable = document.getElementById("search-unavailable");
  if (!form || !input || !status || !results || !list || !catalogue || !unavailable) { return; }
  var root = new URL(".", window.location.href);  /* search.html is at the site's root */
  var query = new URLSearchParams(window.location.search).get("q") || "";
  input.value = query;
  var header = document.getElementById("site-search-q");
  if (header) { header.value = query; }

  function showCatalogue(reason) {
    unavailable.textContent = reason;
    unavailable.hidden = false;
    catalogue.hidden = false;
    form.hidden = true;
    results.hidden = true;
  }

  if (window.location.protocol === "file:") {
    showCatalogue("从本地文件（file://）打开时，浏览器不允许读取搜索索引，无法搜索；下面列出全部公开信息，可用浏览器的“查找”（Ctrl+F）查找。");
    return;
  }

  function text(tag, className, content) {
    var element = document.createElement(tag);
    if (className) { element.className = className; }
    element.textContent = content;
    return element;
  }

  function resultItem(data) {
    var item = document.createElement("li");
    var heading = document.createElement("h3");
    var link = text("a", "", (data.meta && data.meta.title) || data.url);
    link.href = new URL(String(data.url).replace(/^\/+/, ""), root).href;
    heading.appendChild(link);
    item.appendChild(heading);
    var facts = [];
    if (data.meta && data.meta.year) { facts.push(data.meta.year + "年度"); }
    if (data.filters && data.filters.kind && data.filters.kind.length) { facts.push(data.filters.kind[0]); }
    if (facts.length) { item.appendChild(text("p", "search-meta", facts.join(" · "))); }
    var excerpt = document.createElement("p");
    excerpt.className = "search-excerpt";
    excerpt.innerHTML = data.excerpt;  /* Pagefind escapes the page text; only its <mark> is markup */
    item.appendChild(excerpt);
    return item;
  }

  var pagefind = null;
  var running = 0;
  var SHOWN = 50;  /* results shown at most */
  var CHINESE = /[\u3400-\u9fff]/;

  function compact(value) { return String(value || "").replace(/\s+/g, ""); }

  /* Pagefind segments Chinese pages into words when it builds the index, but
     looks a query up as one word (or, failing that, its longest indexed
     beginning): "复习迎考" misses a page indexed as 复习 / 迎考. So a Chinese
     query without spaces is also looked up by its longest word (the browser's
     own segmentation), and those pages are kept when their text holds the
     whole query. Pages whose title or text holds the query come first. */
  function anchorWord(term) {
    if (!CHINESE.test(term) || /\s/.test(term) || typeof Intl.Segmenter !== "function") { return ""; }
    var longest = "";
    Array.from(new Intl.Segmenter("zh-CN", { granularity: "word" }).segment(term)).forEach(function (part) {
      if (part.isWordLike && part.segment.length > longest.length) { longest = part.segment; }
    });
    return longest !== term ? longest : "";
  }

  function find(term) {
    var anchor = anchorWord(term);
    var found = [];
    /* One lookup after the other: Pagefind answers only the latest of searches run at once. */
    return pagefind.search(term).then(function (direct) {
      found.push(direct);
      return anchor ? pagefind.search(anchor).then(function (more) { found.push(more); }) : null;
    }).then(function () {
      var seen = {}, picked = [];
      found.forEach(function (lookup, which) {
        (lookup ? lookup.results : []).slice(0, which === 0 ? SHOWN : 4 * SHOWN).forEach(function (result) {
          if (!seen[result.id]) { seen[result.id] = true; picked.push({ result: result, direct: which === 0 }); }
        });
      });
      return Promise.all(picked.map(function (pick) { return pick.result.data(); })).then(function (pages) {
        var key = compact(term);
        var ranked = [];
        pages.forEach(function (data, position) {
          var inTitle = compact(data.meta && data.meta.title).indexOf(key) >= 0;
          var inText = inTitle || compact(data.content).indexOf(key) >= 0;
          if (picked[position].direct || inText) {
            ranked.push({ data: data, rank: inTitle ? 0 : inText ? 1 : 2, position: position });
          }
        });
        ranked.sort(function (a, b) { return a.rank - b.rank || a.position - b.position; });
        return ranked.map(function (item) { return item.data; });
      });
    });
  }

  function search(term) {
    var mine = ++running;
    list.textContent = "";
    if (!term) {
      results.hidden = true;
      status.textContent = "请输入要搜索的词语，如“执行率”“心理健康”。";
      return;
    }
    status.textContent = "正在搜索……";
    find(term).then(function (pages) {
      if (mine !== running) { return; }
      pages.slice(0, SHOWN).forEach(function (data) { list.appendChild(resultItem(data)); });
      results.hidden = pages.length === 0;
      status.textContent = pages.length
        ? "找到 " + pages.length + " 条与“" + term + "”有关的结果" + (pages.length > SHOWN ? "，显示前 " + SHOWN + " 条。" : "。")
        : "没有找到与“" + term + "”有关的内容。可以换一个词，或在公开目录中查找。";
    }).catch(function () {
      if (mine === running) { showCatalogue("搜索出错，无法完成；下面列出全部公开信息。"); }
    });
  }

  /* The index comes in parts (pagefind/parts.json lists them, newest year first): the
     first part's pagefind.js is loaded and the other parts are merged into it. */
  var OPTIONS = { baseUrl: "/", excerptLength: 40 };
  var partsList = new URL(form.getAttribute("data-parts"), window.location.href);
  function part(name) { return new URL(name + "/", partsList).href; }
  fetch(partsList.href).then(function (response) {
    if (!response.ok) { throw new Error("no index"); }
    return response.json();
  }).then(function (names) {
    if (!names.length) { throw new Error("no index"); }
    return import(part(names[0]) + "pagefind.js").then(function (module) {
      pagefind = module;
      return pagefind.options(OPTIONS);
    }).then(function () {
      return names.slice(1).reduce(function (merged, name) {
        return merged.then(function () { return pagefind.mergeIndex(part(name), OPTIONS); });
      }, Promise.resolve());
    });
  }).then(function () {
    form.hidden = false;
    catalogue.hidden = true;
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var term = input.value.trim();
      var address = new URL(window.location.href);
      address.searchParams.set("q", term);
      window.history.replaceState(null, "", address.href);
      if (header) { header.value = term; }
      search(term);
    });
    search(query.trim());
  }).catch(function () {
    showCatalogue("搜索索引没有加载成功（用 site-builder serve 预览时不生成搜索索引），无法搜索；下面列出全部公开信息。");
  });
})();
