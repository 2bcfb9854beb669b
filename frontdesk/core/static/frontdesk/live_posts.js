// Live request pages (SPEC X3): while the tab is visible, ask the server every few seconds
// whether a post newer than the list's arrived (<ol class="posts" data-live=…>), append the new
// ones it sends (the page's own list items), and say so to screen readers. When the request
// changed in a way that cannot be appended (its status, a post made internal or visible), show
// the notice with a reload link. Errors wait longer each time. Without this script the page
// works as before: a reload shows everything.
(function () {
  "use strict";
  var list = document.querySelector("ol.posts[data-live]");
  if (!list || !window.fetch || !window.URLSearchParams) { return; }
  var interval = Math.max(1, parseInt(list.getAttribute("data-interval"), 10) || 12) * 1000;
  var longest = 10 * 60 * 1000;
  var delay = interval;
  var timer = null;
  var busy = false;
  var announce = document.querySelector("[data-live-announce]");
  var notice = document.querySelector("[data-live-notice]");

  function schedule(wait) {
    clearTimeout(timer);
    timer = setTimeout(poll, wait);
  }

  function address() {
    var query = new URLSearchParams({
      after: list.getAttribute("data-after"),
      count: list.getAttribute("data-count"),
      status: list.getAttribute("data-status")
    });
    return list.getAttribute("data-live") + "?" + query.toString();
  }

  function apply(response, html) {
    var after = response.headers.get("X-Live-After");
    if (after === null) { throw new Error("not a live answer"); }
    var holder = document.createElement("template");
    holder.innerHTML = html;
    var added = 0;
    Array.prototype.slice.call(holder.content.querySelectorAll("li.post")).forEach(function (item) {
      if (!item.id || !document.getElementById(item.id)) {
        list.appendChild(item);
        added += 1;
      }
    });
    list.setAttribute("data-after", after);
    list.setAttribute("data-count", response.headers.get("X-Live-Count"));
    list.setAttribute("data-status", response.headers.get("X-Live-Status"));
    if (added && announce) {
      // Emptied first, so that the same words are announced again.
      announce.textContent = "";
      setTimeout(function () { announce.textContent = announce.getAttribute("data-text"); }, 50);
    }
    if (response.headers.get("X-Live-Changed") === "1" && notice) { notice.hidden = false; }
  }

  function poll() {
    if (busy || document.visibilityState !== "visible") { return; }
    busy = true;
    fetch(address(), { credentials: "same-origin", cache: "no-store", redirect: "error",
                       headers: { "X-Requested-With": "fetch" } })
      .then(function (response) {
        if (response.status === 204) { return null; }
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return response.text().then(function (html) { apply(response, html); });
      })
      .then(function () { delay = interval; },
            function () { delay = Math.min(delay * 2, longest); })
      .then(function () {
        busy = false;
        schedule(delay);
      });
  }

  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") {
      schedule(1000);  // back on the tab: look soon, not at once on every switch
    } else {
      clearTimeout(timer);
    }
  });
  schedule(delay);
}());
