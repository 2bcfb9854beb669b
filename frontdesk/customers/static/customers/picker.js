// The customer picker (customers/customer_picker.html) searches as one types: the page's own
// URL answers the search with the matches alone (X-Fragment: 1). Without this script the
// search is a plain form.
(function () {
  "use strict";
  document.querySelectorAll("[data-customer-picker]").forEach(function (picker) {
    var form = picker.querySelector("form[role=search]");
    var input = form && form.querySelector("input[name=q]");
    var choices = picker.querySelector("#customer-picker-choices");
    if (!input || !choices) { return; }
    var timer = null;
    var asked = 0;
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        var ask = ++asked;
        var url = new URL(form.action, window.location.href);
        url.searchParams.set("q", input.value);
        fetch(url, { headers: { "X-Fragment": "1" }, credentials: "same-origin" })
          .then(function (response) { return response.ok ? response.text() : null; })
          .then(function (html) {
            // An older answer arriving after a newer one is dropped.
            if (html !== null && ask === asked) { choices.innerHTML = html; }
          })
          .catch(function () { /* the form still works */ });
      }, 250);
    });
  });
})();
