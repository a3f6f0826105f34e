/* The case page's replay slider: shows the chosen instant (in the deployment's time zone, data-tz),
   "back to now" returns to the slider's end. htmx fetches the clocks at that instant. */
(function () {
  "use strict";
  var s = document.getElementById("asof"), out = document.getElementById("asof-out");
  if (!s || !out) return;
  var tz = s.dataset.tz || undefined;
  function show() { out.textContent = new Date(s.value * 1000).toLocaleString("zh-CN", {hour12: false, timeZone: tz}); }
  s.addEventListener("input", show); show();
  s.form.addEventListener("submit", function (e) { e.preventDefault(); });
  document.querySelector("[data-now]").addEventListener("click", function () {
    s.value = s.max; show(); s.dispatchEvent(new Event("change"));
  });
})();
