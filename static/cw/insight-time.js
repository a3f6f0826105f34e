/* Where the time goes (ECharts): the heat maps (a click opens the steps behind the cell) and the monthly
   trend. The same figures are in the data tables beside them. */
(function () {
  function draw() {
    var source = document.getElementById("cw-time");
    if (!source || !window.echarts) return;
    var data = JSON.parse(source.textContent);
    function heat(id, map) {
      var el = document.getElementById(id);
      if (!el || !map.points.length) return;
      el.style.height = Math.max(220, 70 + 20 * map.rows.length) + "px";
      var values = map.points.map(function (p) { return p[2]; }).filter(function (v) { return v !== null; });
      var chart = echarts.init(el);
      chart.setOption({
        tooltip: { renderMode: "richText", formatter: function (p) {
          var v = p.data[2];
          return map.rows[p.data[1]] + " · " + map.cols[p.data[0]] + "\n" + data.metric + ": " +
            (v === null ? "—" : data.percent ? Math.round(v * 1000) / 10 + "%" : v);
        } },
        grid: { left: 300, right: 20, top: 10, bottom: 70 },
        xAxis: { type: "category", data: map.cols, splitArea: { show: true } },
        yAxis: { type: "category", data: map.rows, inverse: true,
                 axisLabel: { width: 280, overflow: "truncate" } },
        visualMap: { dimension: 2, precision: 2, min: 0, max: Math.max.apply(null, values.concat([data.percent ? 0.01 : 1])), calculable: true, orient: "horizontal",
                     left: "center", bottom: 0, inRange: { color: ["#e8f1fb", "#f2c14e", "#c8102e"] } },
        series: [{ type: "heatmap", data: map.points, label: { show: map.rows.length <= 30, formatter: function (p) {
          var v = p.data[2];
          return v === null ? "" : data.percent ? Math.round(v * 100) + "%" : v;
        } }, emphasis: { itemStyle: { borderColor: "#333", borderWidth: 1 } } }]
      });
      chart.on("click", function (p) { if (p.data && p.data[3]) window.location.href = p.data[3]; });
      window.addEventListener("resize", function () { chart.resize(); });
    }
    heat("heat-dept", data.by_dept);
    heat("heat-item", data.by_item);
    var el = document.getElementById("trend");
    if (el && data.trend.months.length) {
      var chart = echarts.init(el);
      chart.setOption({
        color: ["#1d4f91", "#c8102e", "#2e7d4f", "#b7791f", "#5b6b82", "#7a3e9d"],
        tooltip: { renderMode: "richText", trigger: "axis" }, legend: { top: 0 },
        grid: { left: 50, right: 20, top: 30, bottom: 30 },
        xAxis: { type: "category", data: data.trend.months },
        yAxis: { type: "value", axisLabel: { formatter: "{value}%" } },
        series: data.trend.series.map(function (s) { return { type: "line", name: s.name, data: s.overdue, connectNulls: false }; })
      });
      window.addEventListener("resize", function () { chart.resize(); });
    }
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw); else draw();
})();
