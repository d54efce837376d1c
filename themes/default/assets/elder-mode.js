/* 长辈模式：larger text and higher contrast, remembered between pages.
   Runs in <head> so the mode applies before the page is painted; without
   JavaScript the page is complete and the toggle stays hidden. */
(function () {
  var KEY = "site-builder-elder-mode";
  var root = document.documentElement;
  function stored() {
    try { return window.localStorage.getItem(KEY) === "on"; } catch (e) { return false; }
  }
  function apply(on) {
    root.classList.toggle("elder", on);
    var button = document.getElementById("elder-button");
    if (button) {
      button.setAttribute("aria-pressed", on ? "true" : "false");
      button.textContent = on ? "退出长辈模式" : "长辈模式";
    }
  }
  apply(stored());
  document.addEventListener("DOMContentLoaded", function () {
    var wrapper = document.getElementById("elder-toggle");
    var button = document.getElementById("elder-button");
    if (!wrapper || !button) { return; }
    wrapper.hidden = false;
    apply(stored());
    button.addEventListener("click", function () {
      var on = !root.classList.contains("elder");
      try { window.localStorage.setItem(KEY, on ? "on" : "off"); } catch (e) { /* private mode */ }
      apply(on);
    });
  });
})();
