// Live parts of a page (see frontline/web/live.py): an element with data-events opens an
// EventSource; each message is "NAME VERSION", and the element [data-live=NAME] is fetched
// again from its data-src (swapped by htmx) when the version it shows is another one.
// Elements with data-deadline (epoch milliseconds) count down the seconds left.
(function () {
  "use strict";
  var latest = {};

  function refresh(name) {
    var part = document.querySelector('[data-live="' + name + '"]');
    if (!part || part.dataset.version === latest[name] || part.dataset.loading) return;
    part.dataset.loading = "1";
    htmx.ajax("GET", part.dataset.src, { target: part, swap: "outerHTML" }).finally(function () {
      // Another change may have come in while this one loaded.
      setTimeout(function () { refresh(name); }, 0);
    });
  }

  function listen(root) {
    var source = new EventSource(root.dataset.events);
    source.onmessage = function (event) {
      var words = event.data.split(" ");
      latest[words[0]] = words[1];
      refresh(words[0]);
    };
  }

  function countDown() {
    document.querySelectorAll("[data-deadline]").forEach(function (clock) {
      var left = Math.max(0, Math.round((Number(clock.dataset.deadline) - Date.now()) / 1000));
      clock.textContent = String(left);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-events]").forEach(listen);
    countDown();
    setInterval(countDown, 1000);
    document.body.addEventListener("htmx:afterSwap", countDown);
  });
})();
