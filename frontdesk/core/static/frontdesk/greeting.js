// The portal home's greeting by the time of day (SPEC P14): the server wrote the one for its own
// clock; this picks the one for the reader's clock, which may be in another time zone.
(function () {
  var el = document.querySelector("[data-greeting-morning]");
  if (!el) return;
  var hour = new Date().getHours();
  var part = hour >= 5 && hour < 12 ? "morning" : hour >= 12 && hour < 18 ? "afternoon" : "evening";
  var text = el.getAttribute("data-greeting-" + part);
  if (text) el.textContent = text;
})();
