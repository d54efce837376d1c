/* 长辈模式：larger text and higher contrast, remembered between pages.
   Runs in <head> so the mode applies before the page is painted; without
   JavaScript the page is complete and the switch stays hidden.
   The button's name never changes ("长辈模式"); its state is aria-pressed,
   shown to sighted readers by the pressed style and a "已开启" mark. */
(function () {
  var KEY = "site-builder-elder-mode";
  var root = document.documentElement;
  function stored() {
    try { return window.localStorage.getItem(KEY) === "on"; } catch (e) { return false; }
  }
  function store(on) {
    try { window.localStorage.setItem(KEY, on ? "on" : "off"); } catch (e) { /* storage blocked */ }
  }
  function apply(on) {
    root.classList.toggle("elder", on);
    var button = document.getElementById("elder-button");
    if (button) {
      button.setAttribute("aria-pressed", on ? "true" : "false");
      var state = button.querySelector(".elder-state");
      if (state) { state.textContent = on ? "（已开启）" : ""; }
    }
  }
  apply(stored());
  document.addEventListener("DOMContentLoaded", function () {
    var wrapper = document.getElementById("elder-toggle");
    var button = document.getElementById("elder-button");
    if (!wrapper || !button) { return; }
    apply(root.classList.contains("elder"));
    wrapper.hidden = false;
    button.addEventListener("click", function () {
      var on = !root.classList.contains("elder");
      store(on);
      apply(on);
    });
  });
  /* Another tab of the site switched the mode. */
  window.addEventListener("storage", function (event) {
    if (event.key === KEY) { apply(event.newValue === "on"); }
  });
})();
