/* The trend chart of the public results page (ECharts), from the JSON in #trend-data. */
(function () {
  var el = document.getElementById("trend-chart");
  var src = document.getElementById("trend-data");
  if (!el || !src || !window.echarts) return;
  var trend = JSON.parse(src.textContent);
  var colours = ["#1f5fae", "#c0262d", "#2e8b57"];
  var chart = echarts.init(el, null, {renderer: "svg"});
  chart.setOption({
    color: colours, animation: false,
    tooltip: {renderMode: "richText", trigger: "axis"},
    legend: {top: 0},
    grid: {left: 8, right: 32, top: 36, bottom: 8, containLabel: true},  // the last month's label stays inside
    xAxis: {type: "category", data: trend.labels, boundaryGap: false},
    yAxis: {type: "value", scale: true, max: 100},
    series: Object.keys(trend.series).map(function (name) {
      return {name: name, type: "line", smooth: true, symbolSize: 7, connectNulls: true, data: trend.series[name]};
    })
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
