// The support forms show each topic's own fields under its name, and read only the chosen
// topic's (SPEC T3): without this script every topic's are on the page. With it, only the
// chosen topic's are shown, and none until a topic is chosen.
(function () {
  "use strict";
  var choice = document.getElementById("id_topic");
  if (!choice) { return; }
  var groups = document.querySelectorAll("fieldset[data-topic]");
  function show() {
    groups.forEach(function (group) { group.hidden = group.dataset.topic !== choice.value; });
  }
  choice.addEventListener("change", show);
  show();
}());
