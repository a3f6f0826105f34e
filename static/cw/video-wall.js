/* The live wall: N tiles of live HLS (hls.js), paged by the automatic tour (轮巡); every 15 s the
   cameras on screen are reported to the server (the patrol record). */
(function () {
  var wall = document.getElementById("wall");
  if (!wall) return;
  var tiles = JSON.parse(document.getElementById("wall-tiles").textContent);
  var n = parseInt(wall.dataset.layout, 10), tourSeconds = parseInt(wall.dataset.tour, 10);
  var page = 0, pages = Math.max(1, Math.ceil(tiles.length / n)), players = [], timer = null;
  var touring = tourSeconds > 0 && pages > 1;
  var csrf = document.querySelector("[name=csrfmiddlewaretoken]").value;

  function tileEl(t) {
    var el = document.createElement("figure");
    el.className = "vtile vtile--" + t.status;
    el.dataset.camera = t.code;
    el.innerHTML = '<video muted autoplay playsinline></video><div class="vtile__msg"></div>' +
      '<figcaption class="vtile__cap"><a class="vtile__point"></a><span class="vtile__hall"></span></figcaption>';
    var a = el.querySelector("a"), hall = el.querySelector(".vtile__hall");
    a.href = t.url; a.textContent = t.point || t.name; a.title = t.name;   // the point, then its hall below
    hall.textContent = t.hall;
    [a, hall].forEach(function (n) {   // Chinese names inside an English page: lang="zh-CN" (docs/accessibility.md)
      if (/[\u3400-\u9fff]/.test(n.textContent)) n.lang = "zh-CN";
    });
    return el;
  }

  // A tile without a picture names the camera's status as the counts above the wall do: 离线 only for a
  // camera counted offline, 状态未知 for one the recorder has not reported on, plain 无信号 for one online.
  function noSignal(t) {
    return t.status === "offline" ? wall.dataset.offline : t.status === "unknown" ? wall.dataset.unknown : wall.dataset.nosignal;
  }

  function play(el, t) {
    var video = el.querySelector("video"), msg = el.querySelector(".vtile__msg");
    msg.textContent = t.status === "offline" ? wall.dataset.offline : wall.dataset.waiting;
    var p = {video: video, hls: null, retry: null};
    function start() {
      if (window.Hls && Hls.isSupported()) {
        p.hls = new Hls({liveSyncDuration: 2, liveMaxLatencyDuration: 8, maxBufferLength: 8, backBufferLength: 10,
                         manifestLoadingMaxRetry: 2, levelLoadingMaxRetry: 4});
        p.hls.on(Hls.Events.ERROR, function (_e, data) {
          if (!data.fatal) return;
          el.classList.add("vtile--nosignal"); msg.textContent = noSignal(t);
          p.hls.destroy(); p.hls = null;
          p.retry = setTimeout(start, 10000);
        });
        p.hls.loadSource(t.live);
        p.hls.attachMedia(video);
      } else if (video.canPlayType("application/vnd.apple.mpegurl")) {
        video.src = t.live;
      }
    }
    video.addEventListener("playing", function () { el.classList.remove("vtile--nosignal"); el.classList.add("vtile--playing"); msg.textContent = ""; });
    start();
    return p;
  }

  function stopAll() {
    players.forEach(function (p) {
      clearTimeout(p.retry);
      if (p.hls) p.hls.destroy();
      p.video.removeAttribute("src");
    });
    players = [];
  }

  function show(i) {
    if (!tiles.length) return;
    page = (i + pages) % pages;
    stopAll();
    wall.innerHTML = "";
    tiles.slice(page * n, page * n + n).forEach(function (t) {
      var el = tileEl(t);
      wall.appendChild(el);
      players.push(play(el, t));
    });
    document.getElementById("wall-page").textContent = (page + 1) + " / " + pages;
    report();
  }

  function report() {
    var body = new URLSearchParams();
    wall.querySelectorAll(".vtile").forEach(function (el) { body.append("camera", el.dataset.camera); });
    fetch(wall.dataset.watch, {method: "POST", body: body, headers: {"X-CSRFToken": csrf}, credentials: "same-origin"});
  }

  function setTour(on) {
    touring = on && pages > 1 && tourSeconds > 0;
    clearInterval(timer);
    if (touring) timer = setInterval(function () { show(page + 1); }, tourSeconds * 1000);
    var b = document.getElementById("wall-tour");
    b.textContent = touring ? b.dataset.on : b.dataset.off;
    b.disabled = pages < 2 || tourSeconds <= 0;
  }

  document.getElementById("wall-prev").onclick = function () { show(page - 1); setTour(touring); };
  document.getElementById("wall-next").onclick = function () { show(page + 1); setTour(touring); };
  document.getElementById("wall-tour").onclick = function () { setTour(!touring); };
  document.querySelectorAll("#wall-form input[name=layout]").forEach(function (r) {
    r.onchange = function () { document.getElementById("wall-form").submit(); };
  });
  var fs = document.getElementById("wall-fullscreen");   // the full mode's button: the browser's own full screen
  if (fs && document.documentElement.requestFullscreen) {
    fs.hidden = false;
    fs.onclick = function () {
      if (document.fullscreenElement) document.exitFullscreen(); else document.documentElement.requestFullscreen();
    };
  }
  setInterval(report, 15000);
  show(0);
  setTour(touring);
})();
