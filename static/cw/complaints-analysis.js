/* Charts of the complaints analysis page (ECharts); the same figures are in the tables beside them. */
(function () {
  function draw() {
    var data = JSON.parse(document.getElementById("cw-analysis").textContent);
    var colors = ["#1d4f91", "#c8102e", "#2e7d4f", "#b7791f", "#5b6b82", "#7a3e9d", "#0f7c8c"];
    function bar(id, rows, horizontal) {
      var el = document.getElementById(id);
      if (!el || !window.echarts) return;
      var chart = echarts.init(el);
      var labels = rows.map(function (r) { return r.label; });
      var values = rows.map(function (r) { return r.n; });
      var cat = { type: "category", data: labels, axisLabel: { interval: 0, width: 150, overflow: "truncate" } };
      var val = { type: "value", minInterval: 1 };
      chart.setOption({
        color: colors, grid: { left: horizontal ? 160 : 40, right: 20, top: 16, bottom: 30 },
        tooltip: {renderMode: "richText", trigger: "axis" }, xAxis: horizontal ? val : cat, yAxis: horizontal ? cat : val,
        series: [{ type: "bar", data: values, barMaxWidth: 28, itemStyle: { borderRadius: 3 } }]
      });
      window.addEventListener("resize", function () { chart.resize(); });
    }
    function pie(id, rows) {
      var el = document.getElementById(id);
      if (!el || !window.echarts) return;
      var chart = echarts.init(el);
      chart.setOption({
        color: colors, tooltip: {renderMode: "richText", trigger: "item" },
        series: [{ type: "pie", radius: ["40%", "70%"], data: rows.map(function (r) { return { name: r.label, value: r.n }; }) }]
      });
      window.addEventListener("resize", function () { chart.resize(); });
    }
    pie("chart-category", data.by_category);
    bar("chart-department", data.by_department.slice(0, 10), true);
    pie("chart-channel", data.by_channel);
    bar("chart-month", data.by_month, false);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw); else draw();
})();
