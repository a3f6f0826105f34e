/* The rating statistics charts: data from the page's JSON (chart-data), titles from each chart's data-title. */
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  if (!window.echarts) return;
  var d = JSON.parse(document.getElementById("chart-data").textContent);
  var rankEl = document.getElementById("chart-rank"), levelsEl = document.getElementById("chart-levels");
  var rank = echarts.init(rankEl);
  rank.setOption({title: {text: rankEl.dataset.title, left: 10, top: 8, textStyle: {fontSize: 14}},
    grid: {left: 10, right: 30, top: 40, bottom: 10, containLabel: true}, tooltip: {renderMode: "richText"},
    xAxis: {type: "value", max: 100}, yAxis: {type: "category", inverse: true, data: d.names, axisLabel: {width: 160, overflow: "truncate"}},
    series: [{type: "bar", data: d.rates, itemStyle: {color: "#124ea8"}, label: {show: true, position: "right"}}]});
  var levels = echarts.init(levelsEl);
  levels.setOption({title: {text: levelsEl.dataset.title, left: 10, top: 8, textStyle: {fontSize: 14}}, tooltip: {renderMode: "richText", trigger: "item"},
    color: ["#157a3c", "#2a7d4f", "#4a6fa8", "#b35c00", "#c8161d"],
    // the level names go in a legend below the ring and the ring's labels carry only the counts: a box a
    // third of the page wide has no room beside the ring for "Very dissatisfied" or "Basically satisfied"
    legend: {bottom: 4, left: "center", itemWidth: 12, itemHeight: 10, textStyle: {fontSize: 12}},
    series: [{type: "pie", radius: ["26%", "46%"], center: ["50%", "48%"], data: d.levels,
      label: {formatter: "{c}", fontSize: 12}, labelLayout: {hideOverlap: false}}]});
  window.addEventListener("resize", function () { rank.resize(); levels.resize(); });
});
