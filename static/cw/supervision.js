/* The monitoring centre's live dashboard and wall: render the snapshot, then poll the live endpoint
   every 3 s. An unchanged stamp answers 204 (one cheap query on the server); a new one sends the
   snapshot, which we render again: numbers, tables, ECharts (setOption) and the alert feed.
   Tooltips here and in every chart use renderMode "richText" (drawn on the canvas): ECharts' HTML
   tooltips carry style attributes, which the Content-Security-Policy refuses. */
(function () {
  "use strict";
  var root = document.querySelector("[data-centre]");
  if (!root) return;
  var mode = root.dataset.mode;                  // "dashboard" or "wall"
  var L = JSON.parse(document.getElementById("centre-labels").textContent);
  var data = JSON.parse(document.getElementById("centre-data").textContent);
  var stamp = data.stamp, charts = {}, dark = mode === "wall";
  var COLORS = {notice: "#3b82f6", yellow: "#f2b705", red: "#e5343c", received: "#38bdf8", completed: "#22c55e"};

  function zh(s) {    // Chinese data (names of regions, departments): lang="zh-CN" inside an English page
    return '<span lang="zh-CN">' + esc(s) + "</span>";
  }

  function count(lv, n) {  // a level's count told by text as well as by its dot's colour
    return '<span class="c-' + lv + '"><span aria-hidden="true">● </span><span class="visually-hidden">' + esc(L.levels[lv]) +
      " </span>" + fmt(n) + "</span>";
  }

  function esc(s) {
    return String(s == null ? "" : s).replace(/[&<>"']/g, function (c) {
      return {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}[c];
    });
  }
  function get(obj, path) {
    return path.split(".").reduce(function (o, k) { return o == null ? null : o[k]; }, obj);
  }
  function fmt(v) { return v == null ? "—" : (typeof v === "number" ? v.toLocaleString("zh-CN") : v); }

  function numbers(d) {
    root.querySelectorAll("[data-k]").forEach(function (el) {
      var v = get(d, el.dataset.k), text = fmt(v) + (v != null && el.dataset.suffix ? el.dataset.suffix : "");
      if (el.textContent !== text) {
        el.textContent = text;
        el.classList.remove("changed"); void el.offsetWidth; el.classList.add("changed");
      }
    });
  }

  function levelTag(level) {
    return '<span class="lv lv--' + esc(level) + '">' + esc(L.levels[level] || level) + "</span>";
  }

  function feed(d) {
    var el = root.querySelector("[data-feed]");
    if (!el) return;
    if (!d.feed.length) { el.innerHTML = '<li class="feed__empty">' + esc(L.no_alerts) + "</li>"; return; }
    var rows = d.feed.map(function (a) {
      var subject = a.url ? '<a href="' + esc(a.url) + '">' + esc(a.subject) + "</a>" : esc(a.subject);
      return '<li class="feed__row feed__row--' + esc(a.level) + '" data-alert="' + a.id + '">' + levelTag(a.level) +
        '<span class="feed__what"><b>' + esc(a.label) + (a.step ? " · " + zh(a.step) : "") + "</b>" +
        '<span class="feed__case">' + subject + "</span>" +
        '<span class="feed__who">' + zh(a.region) + " · " + zh(a.department) + "</span></span>" +
        '<span class="feed__when">' + esc(a.raised_local) + "</span></li>";
    }).join("");
    el.innerHTML = rows;
    var box = el.parentElement, scrolls = dark && el.scrollHeight > box.clientHeight;
    if (scrolls) el.innerHTML = rows + rows;     // the wall scrolls a doubled list seamlessly
    el.classList.toggle("feed--still", dark && !scrolls);
    if (dark) el.style.animationDuration = Math.max(20, d.feed.length * 4) + "s";
  }

  function unitCells(u) {
    return '<td class="num">' + fmt(u.received) + '</td><td class="num">' + fmt(u.completed) + '</td><td class="num">' +
      fmt(u.open) + '</td><td class="num' + (u.overdue ? " hot" : "") + '">' + fmt(u.overdue) + '</td><td class="num">' +
      fmt(u.notice) + '</td><td class="num">' + fmt(u.yellow) + '</td><td class="num' + (u.red ? " hot" : "") + '">' +
      fmt(u.red) + "</td>";
  }

  function tables(d) {
    var units = root.querySelector("[data-units]");
    if (units) {
      units.innerHTML = d.units.map(function (u) {
        var link = u.code === d.root.code ? zh(u.name) : '<a href="?unit=' + esc(u.code) + '">' + zh(u.name) + "</a>";
        return "<tr><th scope=row>" + link + "</th>" + unitCells(u) + "</tr>";
      }).join("");
    }
    var depts = root.querySelector("[data-depts]");
    if (depts) {
      var rows = d.departments.slice(0, 15);
      depts.innerHTML = rows.length ? rows.map(function (u) {
        return '<tr><th scope=row><a href="' + esc(u.url) + '">' +
          zh(u.name) + "</a></th>" + unitCells(u) + "</tr>";
      }).join("") : '<tr><td colspan="8" class="empty">' + esc(L.no_data) + "</td></tr>";
    }
    var tiles = root.querySelector("[data-tiles]");
    if (tiles) {
      tiles.innerHTML = d.units.map(function (u) {
        var worst = u.red ? "red" : (u.yellow ? "yellow" : (u.notice ? "notice" : "ok"));
        return '<li class="tile tile--' + worst + '"><div class="tile__in"><span class="tile__name">' + zh(u.name) +
          "</span>" + '<span class="tile__big"><small>' + esc(L.open) + "</small>" + fmt(u.open) + "</span>" +
          '<span class="tile__late">' + esc(L.overdue) + " <b>" + fmt(u.overdue) + "</b></span>" +
          '<ul class="tile__lv"><li>' + count("red", u.red) + "</li><li>" + count("yellow", u.yellow) + "</li><li>" +
          count("notice", u.notice) + "</li></ul></div></li>";
      }).join("");
    }
  }

  // The charts' figures for screen readers (the visually-hidden tables the server rendered): the same
  // snapshot as the canvases, so they change when the charts do.
  function srTables(d) {
    var trend = root.querySelector('[data-sr="trend"]');
    if (trend) {
      trend.innerHTML = d.trend.map(function (t) {
        return '<tr><th scope="row">' + esc(t.day) + "</th>" + ["red", "yellow", "notice", "received", "completed"].map(
          function (k) { return "<td>" + esc(t[k]) + "</td>"; }).join("") + "</tr>";
      }).join("");
    }
    var depts = root.querySelector('[data-sr="depts"]');
    if (depts) {
      depts.innerHTML = d.departments.slice(0, 8).map(function (u) {
        return '<tr><th scope="row">' + zh(u.name) + "</th><td>" + esc(u.red) + "</td><td>" + esc(u.yellow) +
          "</td><td>" + esc(u.notice) + "</td></tr>";
      }).join("");
    }
  }

  function chart(name) {
    var el = root.querySelector('[data-chart="' + name + '"]');
    if (!el || !window.echarts) return null;
    if (!charts[name]) charts[name] = window.echarts.init(el, dark ? "dark" : null, {renderer: "canvas"});
    return charts[name];
  }

  var ink = dark ? "#cfe3ff" : "#4a5466", grid = dark ? "rgba(120,160,220,.18)" : "#e9eef5";
  // the wall's chart text follows the screen's width: 18 px at 1920, no smaller than 12 (a 1366 laptop)
  var big = dark ? Math.max(12, Math.min(18, Math.round(window.innerWidth / 107))) : 12;
  function axis(extra) {
    return Object.assign({axisLabel: {color: ink, fontSize: big, hideOverlap: true}, axisLine: {lineStyle: {color: grid}},
      splitLine: {lineStyle: {color: grid}}}, extra || {});
  }

  function drawTrend(d) {
    var c = chart("trend");
    if (!c) return;
    var days = d.trend.map(function (t) { return t.day.slice(5); });
    var series = ["red", "yellow", "notice"].map(function (lv) {
      return {name: L.levels[lv], type: "bar", stack: "a", itemStyle: {color: COLORS[lv]}, barMaxWidth: 26,
        data: d.trend.map(function (t) { return t[lv]; })};
    });
    series.push({name: L.received, type: "line", yAxisIndex: 1, smooth: true, symbolSize: dark ? 8 : 5,
      lineStyle: {width: dark ? 4 : 2}, itemStyle: {color: COLORS.received},
      data: d.trend.map(function (t) { return t.received; })});
    series.push({name: L.completed, type: "line", yAxisIndex: 1, smooth: true, symbolSize: dark ? 8 : 5,
      lineStyle: {width: dark ? 4 : 2}, itemStyle: {color: COLORS.completed},
      data: d.trend.map(function (t) { return t.completed; })});
    // on a phone the five legend entries take two lines: the plot starts below them, clear of the axis names
    var top = (dark ? 44 : 34) + (c.getWidth() < 560 ? (dark ? 26 : 20) : 0);
    c.setOption({backgroundColor: "transparent", animationDuration: 400,
      legend: {top: 0, textStyle: {color: ink, fontSize: big}, itemWidth: dark ? 22 : 14, itemHeight: dark ? 12 : 9},
      tooltip: {renderMode: "richText", trigger: "axis"}, grid: {left: 8, right: 8, top: top, bottom: 4, containLabel: true},
      xAxis: axis({type: "category", data: days}),
      yAxis: [axis({type: "value", name: L.alerts, nameTextStyle: {color: ink, fontSize: big}}),
              axis({type: "value", name: L.cases, nameTextStyle: {color: ink, fontSize: big}, splitLine: {show: false}})],
      series: series}, true);
  }

  function drawUnits(d) {
    var c = chart("units");
    if (!c) return;
    var rows = d.units.slice().reverse();
    c.setOption({backgroundColor: "transparent", tooltip: {renderMode: "richText", trigger: "axis", axisPointer: {type: "shadow"}},
      legend: {top: 0, textStyle: {color: ink, fontSize: big}},
      grid: {left: 8, right: 16, top: 30, bottom: 4, containLabel: true},
      xAxis: axis({type: "value"}), yAxis: axis({type: "category", data: rows.map(function (u) { return u.name; })}),
      series: [
        {name: L.open, type: "bar", itemStyle: {color: "#1a62c9"}, data: rows.map(function (u) { return u.open; })},
        {name: L.overdue, type: "bar", itemStyle: {color: COLORS.red}, data: rows.map(function (u) { return u.overdue; })}
      ]}, true);
  }

  function gauge(name, value, title) {
    var c = chart(name);
    if (!c) return;
    c.setOption({backgroundColor: "transparent", series: [{type: "gauge", min: 0, max: 100, radius: "86%",
      center: ["50%", "58%"], startAngle: 210, endAngle: -30, progress: {show: true, width: 18},
      axisLine: {lineStyle: {width: 18, color: value == null ? [[1, "rgba(100,116,139,.35)"]] :
        [[0.9, "#e5343c"], [0.97, "#f2b705"], [1, "#22c55e"]]}},
      itemStyle: {color: value == null ? "#64748b" : (value >= 97 ? "#22c55e" : (value >= 90 ? "#f2b705" : "#e5343c"))},
      pointer: {show: false}, axisTick: {show: false}, splitLine: {show: false}, axisLabel: {show: false},
      title: {show: true, offsetCenter: [0, "56%"], color: ink, fontSize: dark ? big + 2 : 20,
        // as wide as the gauge's opening (1.7 × its radius, 86 % of half the box), so the arc's ends stay clear
        width: Math.max(60, Math.round(1.7 * 0.43 * Math.min(c.getWidth(), c.getHeight()))), overflow: "break",
        lineHeight: dark ? big + 6 : 24},
      detail: {valueAnimation: true, offsetCenter: [0, "-8%"], fontSize: dark ? Math.round(big * 2.2) : 30, fontWeight: 700, color: dark ? "#fff" : "#1d2430",
        formatter: function (v) { return value == null ? "—" : v + "%"; }},
      data: [{value: value == null ? 0 : value, name: title}]}]}, true);
  }

  function shortName(name, prefix) {           // "锡林郭勒盟市场监督管理局" → "市场监督管理局" under the League
    var n = name.indexOf(prefix) === 0 && name.length > prefix.length + 2 ? name.slice(prefix.length) : name;
    return n.length > 12 ? n.slice(0, 12) + "…" : n;
  }

  function drawDepts(d) {
    var c = chart("depts");
    if (!c) return;
    var rows = d.departments.slice(0, 8).reverse();
    var series = ["notice", "yellow", "red"].map(function (lv) {
      return {name: L.levels[lv], type: "bar", stack: "a", itemStyle: {color: COLORS[lv]}, barMaxWidth: 22,
        data: rows.map(function (u) { return u[lv]; })};
    });
    c.setOption({backgroundColor: "transparent", tooltip: {renderMode: "richText", trigger: "axis", axisPointer: {type: "shadow"}},
      legend: {top: 0, type: "scroll", textStyle: {color: ink, fontSize: big}, pageTextStyle: {color: ink}},
      grid: {left: 8, right: 16, top: 34, bottom: 4, containLabel: true}, xAxis: axis({type: "value", minInterval: 1}),
      yAxis: axis({type: "category", data: rows.map(function (u) { return shortName(u.name, d.root.name); })}),
      series: series}, true);
  }

  function render(d) {
    numbers(d); tables(d); srTables(d); feed(d); drawTrend(d); drawUnits(d); drawDepts(d);
    gauge("ontime_month", d.on_time.month, L.ontime_month);
    gauge("ontime_today", d.on_time.today, L.ontime_today);
    root.dataset.stamp = d.stamp;
  }

  function status(ok) {
    var el = root.querySelector("[data-updated]");
    if (!el) return;
    el.textContent = ok ? new Date().toLocaleTimeString("zh-CN", {hour12: false, timeZone: L.tz}) : L.offline;
    el.parentElement.classList.toggle("live--off", !ok);
  }

  function poll() {
    var url = root.dataset.live + "?v=" + encodeURIComponent(stamp) + "&unit=" + encodeURIComponent(root.dataset.unit || "");
    fetch(url, {credentials: "same-origin", headers: {Accept: "application/json"}})
      .then(function (r) {
        if (r.status === 200) return r.json().then(function (d) { data = d; stamp = d.stamp; render(d); status(true); });
        status(r.status === 204);
      })
      .catch(function () { status(false); })
      .then(function () { setTimeout(poll, 3000); });
  }

  function clock() {
    var el = root.querySelector("[data-clock]");
    if (el) el.textContent = new Date().toLocaleString("zh-CN", {hour12: false, timeZone: L.tz});
  }

  render(data); status(true); clock();
  setInterval(clock, 1000);
  setTimeout(poll, 3000);
  window.addEventListener("resize", function () { Object.keys(charts).forEach(function (k) { charts[k].resize(); }); });
})();
