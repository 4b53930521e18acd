// The customer page: open the tab named in the address, draw the purchases chart (CUS-10).
(function () {
  "use strict";
  // Open the tab named in the address (…#tab-purchases), e.g. after saving a form.
  var hash = window.location.hash;
  if (hash && hash.indexOf("#tab-") === 0) {
    var button = document.querySelector('[data-bs-target="' + hash + '"]');
    if (button && window.bootstrap) { window.bootstrap.Tab.getOrCreateInstance(button).show(); }
  }

  // CUS-10: purchases by month. The tab starts hidden, so the chart is drawn when it is shown.
  var source = document.getElementById("purchase-chart-data");
  var box = document.getElementById("purchase-chart");
  if (!source || !box || !window.echarts) { return; }
  var data = JSON.parse(source.textContent);
  var labels = data.labels;
  var chart = null;
  function numbers(values) { return values.map(Number); }
  function draw() {
    if (chart) { chart.resize(); return; }
    if (!box.offsetWidth) { return; }
    chart = window.echarts.init(box);
    chart.setOption({
      // Drawn on the canvas: an HTML tooltip would carry style="" attributes, which the policy blocks.
      tooltip: { trigger: "axis", renderMode: "richText" },
      legend: { top: 0 },
      grid: { left: 8, right: 8, bottom: 8, top: 36, containLabel: true },
      xAxis: { type: "category", data: data.months },
      yAxis: { type: "value" },
      series: [
        { name: labels.amount, type: "bar", data: numbers(data.amount) },
        { name: labels.net, type: "bar", data: numbers(data.net) },
        { name: labels.collected, type: "line", data: numbers(data.collected) }
      ]
    });
    box.dataset.chartReady = "true";
  }
  var tab = document.querySelector('[data-bs-target="#tab-purchases"]');
  if (tab) { tab.addEventListener("shown.bs.tab", draw); }
  window.addEventListener("resize", function () { if (chart) { chart.resize(); } });
  draw();
})();
