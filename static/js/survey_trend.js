// SUR-03: each score question's average across the survey's rounds.
(function () {
  "use strict";
  var source = document.getElementById("survey-trend-data");
  var box = document.getElementById("survey-trend-chart");
  if (!source || !box || !window.echarts) { return; }
  var data = JSON.parse(source.textContent);
  var chart = window.echarts.init(box);
  chart.setOption({
    // Drawn on the canvas: an HTML tooltip would carry style="" attributes, which the policy blocks.
    tooltip: { trigger: "axis", renderMode: "richText" },
    legend: { top: 0, type: "scroll" },
    grid: { left: 8, right: 16, bottom: 8, top: 40, containLabel: true },
    xAxis: { type: "category", data: data.rounds },
    yAxis: { type: "value", min: 1, max: 5 },
    series: data.series.map(function (serie) {
      return { name: serie.name, type: "line", connectNulls: true, data: serie.data };
    })
  });
  box.dataset.chartReady = "true";
  window.addEventListener("resize", function () { chart.resize(); });
})();
