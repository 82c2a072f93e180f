// Small enhancements; every page works without them.
(function () {
  "use strict";

  // Copy a link (the calendar feed) to the clipboard, or select it for Ctrl+C.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy]");
    if (!button) return;
    var input = document.getElementById(button.getAttribute("data-copy"));
    var status = document.getElementById(input.id + "-status");
    var say = function (text) { if (status) status.textContent = text; };
    input.select();
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(input.value).then(
        function () { say("Copied to the clipboard."); },
        function () { say("Press Ctrl+C (or Cmd+C) to copy the selected link."); }
      );
    } else {
      say(document.execCommand && document.execCommand("copy")
        ? "Copied to the clipboard." : "Press Ctrl+C (or Cmd+C) to copy the selected link.");
    }
  });

  // Outcome measures: ticking an instrument the plan tracks shows its answers at once
  // (without this, "Update the measures" re-shows the form with them).
  document.addEventListener("change", function (event) {
    var box = event.target;
    if (!box.matches || !box.matches("input[type=checkbox][data-measure-box]")) return;
    var fieldset = document.querySelector("fieldset.measure[data-measure='" + box.value + "']");
    if (fieldset) fieldset.hidden = !box.checked;
  });

  // Do not poll the calendar while the tab is hidden; the next poll after it shows catches up.
  document.addEventListener("htmx:beforeRequest", function (event) {
    if (document.hidden && event.detail.elt.id === "calendar-grid") event.preventDefault();
  });
})();
