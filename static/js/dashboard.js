// DSH-01: every dashboard chart, drawn from its JSON (a <script type="application/json"> whose id
// is the chart's key). Each value is written on the chart and the series carry patterns (ECharts'
// decals), so no chart depends on colour alone; a click on a bar or slice opens the list behind it.
(function () {
  "use strict";
  if (!window.echarts) { return; }

  function axisChart(data, stacked, line) {
    var rotate = data.categories.length > 6 ? 30 : 0;
    return {
      legend: data.series.length > 1 ? { top: 0, type: "scroll" } : undefined,
      grid: { left: 8, right: 16, bottom: 8, top: data.series.length > 1 ? 36 : 16, containLabel: true },
      xAxis: { type: "category", data: data.categories, axisLabel: { rotate: rotate, interval: 0 } },
      yAxis: { type: "value", axisLabel: { formatter: "{value}" + (data.unit === "%" ? "%" : "") } },
      series: data.series.map(function (serie) {
        return {
          name: serie.name,
          type: line ? "line" : "bar",
          stack: stacked ? "total" : undefined,
          connectNulls: true,
          data: serie.data,
          label: { show: true, position: stacked ? "inside" : "top", formatter: function (item) {
            return item.value === null || item.value === 0 && stacked ? "" : item.value;
          } }
        };
      })
    };
  }

  function pieChart(data) {
    var serie = data.series[0] || { name: "", data: [] };
    return {
      legend: { bottom: 0, type: "scroll" },
      series: [{
        name: serie.name,
        type: "pie",
        radius: ["35%", "65%"],
        label: { show: true, formatter: "{b}: {c} ({d}%)" },
        data: data.categories.map(function (name, index) { return { name: name, value: serie.data[index] }; })
      }]
    };
  }

  document.querySelectorAll("[data-dashboard-chart]").forEach(function (box) {
    var source = document.getElementById(box.dataset.dashboardChart);
    if (!source) { return; }
    var data = JSON.parse(source.textContent);
    var option = data.kind === "pie" ? pieChart(data)
      : axisChart(data, data.kind === "stacked", data.kind === "line");
    // Drawn on the canvas: an HTML tooltip would carry style="" attributes, which the policy blocks.
    option.tooltip = { trigger: data.kind === "pie" ? "item" : "axis", renderMode: "richText" };
    option.aria = { enabled: true, decal: { show: true } };
    option.animation = false;
    var chart = window.echarts.init(box);
    chart.setOption(option);
    if (data.links && data.links.length) {
      chart.on("click", function (item) {
        var link = data.links[item.dataIndex];
        if (link) { window.location.assign(link); }
      });
    }
    box.dataset.chartReady = "true";
    window.addEventListener("resize", function () { chart.resize(); });
  });
})();
