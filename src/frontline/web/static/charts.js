// Charts: every <canvas data-chart="{...}"> is drawn by Chart.js from the configuration the
// server rendered into it (frontline/web/charts.py), so pages carry no chart code of their own.
// Pages swapped in by htmx get their charts drawn too.
(function () {
  "use strict";

  function draw(root) {
    root.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      if (canvas.dataset.drawn) return;
      canvas.dataset.drawn = "1";
      new Chart(canvas, JSON.parse(canvas.dataset.chart));
    });
  }

  document.addEventListener("DOMContentLoaded", function () { draw(document); });
  document.addEventListener("htmx:afterSettle", function (event) { draw(event.target); });
})();
