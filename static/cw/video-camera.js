/* One camera's player: HLS through hls.js where the browser needs it, natively otherwise. */
(function () {
  "use strict";
  var v = document.getElementById("player");
  if (!v) return;
  var src = v.dataset.src, offset = parseFloat(v.dataset.offset) || 0, live = v.dataset.live === "1";
  if (window.Hls && Hls.isSupported()) {
    var hls = new Hls(live ? {liveSyncDuration: 2, liveMaxLatencyDuration: 8} : {startPosition: offset});
    hls.loadSource(src); hls.attachMedia(v);
  } else { v.src = src; if (!live) v.currentTime = offset; }
})();
