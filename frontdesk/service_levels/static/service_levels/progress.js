// The settings page's card of the due-date updates (SPEC X8): while one runs, fetch the card
// again every few seconds and put it in place; the page works without this (a reload shows
// the same).
(function () {
  function poll() {
    var card = document.getElementById("due-updates");
    var url = card && card.getAttribute("data-progress-url");
    if (!url) return;
    fetch(url, {credentials: "same-origin"}).then(function (response) {
      // Signed out meanwhile (a redirect to the log-in page): leave the card as it is.
      return response.ok && !response.redirected ? response.text() : null;
    }).then(function (html) {
      if (html === null) return;
      card.outerHTML = html;
      setTimeout(poll, 2000);
    }).catch(function () { setTimeout(poll, 5000); });
  }
  setTimeout(poll, 2000);
})();
