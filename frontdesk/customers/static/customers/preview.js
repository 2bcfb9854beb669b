// A customer's preview (SPEC C2): hovering or focusing a link marked data-preview shows the
// server's fragment of the customer (/customers/<id>/preview/) in a panel at the side. Without
// this script the link still leads to the customer, and the preview URL is a page of its own.
(function () {
  "use strict";
  var panel = null;
  var cache = {};
  var showTimer = null;
  var hideTimer = null;
  var current = null;

  function ensurePanel() {
    if (!panel) {
      panel = document.createElement("aside");
      panel.className = "preview-panel";
      panel.setAttribute("role", "dialog");
      panel.hidden = true;
      panel.addEventListener("mouseenter", function () { clearTimeout(hideTimer); });
      panel.addEventListener("mouseleave", scheduleHide);
      document.body.appendChild(panel);
    }
    return panel;
  }

  function show(link) {
    var url = link.getAttribute("data-preview");
    current = url;
    var fill = function (html) {
      if (current !== url) { return; }
      ensurePanel().innerHTML = html;
      panel.hidden = false;
    };
    if (cache[url] !== undefined) { fill(cache[url]); return; }
    fetch(url, { headers: { "X-Preview": "1" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.text() : ""; })
      .then(function (html) { if (html) { cache[url] = html; fill(html); } })
      .catch(function () { /* the link still works */ });
  }

  function scheduleHide() {
    clearTimeout(showTimer);
    clearTimeout(hideTimer);
    hideTimer = setTimeout(function () {
      current = null;
      if (panel) { panel.hidden = true; }
    }, 300);
  }

  function target(event) {
    return event.target.closest ? event.target.closest("a[data-preview]") : null;
  }

  function enter(event) {
    var link = target(event);
    if (!link) { return; }
    clearTimeout(hideTimer);
    clearTimeout(showTimer);
    showTimer = setTimeout(function () { show(link); }, 250);
  }

  function leave(event) {
    if (target(event)) { scheduleHide(); }
  }

  document.addEventListener("mouseover", enter);
  document.addEventListener("focusin", enter);
  document.addEventListener("mouseout", leave);
  document.addEventListener("focusout", leave);
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && panel) { panel.hidden = true; current = null; }
  });
})();
