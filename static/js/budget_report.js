// EXP-16: spend per month (bars) and the cumulative spend against the budget in force (lines).
(function () {
  "use strict";
  var source = document.getElementById("budget-chart-data");
  var box = document.getElementById("budget-chart");
  if (!source || !box || !window.echarts) { return; }
  var data = JSON.parse(source.textContent);
  var labels = JSON.parse(box.dataset.labels || "{}");
  var chart = window.echarts.init(box);
  chart.setOption({
    // Drawn on the canvas: an HTML tooltip would carry style="" attributes, which the policy blocks.
    tooltip: { trigger: "axis", renderMode: "richText" },
    legend: { top: 0 },
    grid: { left: 8, right: 16, bottom: 8, top: 40, containLabel: true },
    xAxis: { type: "category", data: data.months },
    yAxis: { type: "value" },
    series: [
      { name: labels.spend || "Spend", type: "bar", data: data.spend, label: { show: false } },
      { name: labels.cumulative || "Cumulative", type: "line", data: data.cumulative, symbol: "circle" },
      { name: labels.in_force || "Budget in force", type: "line", symbol: "none",
        lineStyle: { type: "dashed" }, data: data.months.map(function () { return data.in_force; }) }
    ]
  });
  box.dataset.chartReady = "true";
  window.addEventListener("resize", function () { chart.resize(); });
})();
