// The body chart (templates/_body_chart.html): a click or tap on a drawn area ticks or
// unticks its checkbox, and ticked checkboxes paint their areas. The checkbox list is the
// form's control and works alone; the drawing is hidden from assistive technology.
(function () {
  "use strict";

  function boxFor(chart, area) {
    var boxes = chart.querySelectorAll("input[type=checkbox]");
    for (var i = 0; i < boxes.length; i++) {
      if (boxes[i].value === area) return boxes[i];
    }
    return null;
  }

  function paint(chart) {
    var shapes = chart.querySelectorAll("[data-area]");
    for (var i = 0; i < shapes.length; i++) {
      var box = boxFor(chart, shapes[i].getAttribute("data-area"));
      shapes[i].classList.toggle("is-on", !!(box && box.checked));
    }
  }

  document.addEventListener("click", function (event) {
    var shape = event.target.closest && event.target.closest("[data-body-chart] [data-area]");
    if (!shape) return;
    var chart = shape.closest("[data-body-chart]");
    var box = boxFor(chart, shape.getAttribute("data-area"));
    if (!box) return;
    box.checked = !box.checked;
    box.dispatchEvent(new Event("change", { bubbles: true }));
  });

  document.addEventListener("change", function (event) {
    var chart = event.target.closest && event.target.closest("[data-body-chart]");
    if (chart) paint(chart);
  });

  function paintAll() {
    var charts = document.querySelectorAll("[data-body-chart]");
    for (var i = 0; i < charts.length; i++) paint(charts[i]);
  }

  // Browsers restore ticked boxes on back/forward; paint what they restored.
  window.addEventListener("pageshow", paintAll);
  document.addEventListener("DOMContentLoaded", paintAll);
  document.addEventListener("htmx:afterSwap", paintAll);
})();
