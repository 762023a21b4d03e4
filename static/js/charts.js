/* Draw the page's charts with Apache ECharts (static/vendor/echarts).
 *
 * Each element with data-chart="ID" names a json_script element holding a spec built by a
 * selector (opsdept/charts.py); data-chart-key picks one entry of a dict of specs. The numbers
 * are on the page as text too, so a page without JavaScript still reads.
 */
(function () {
  "use strict";
  if (typeof window.echarts === "undefined") { return; }

  function options(spec) {
    var spark = !!spec.spark;
    var percent = !!spec.percent_axis;
    var yAxis = [{ type: "value", minInterval: 1, axisLabel: { show: !spark }, splitLine: { show: !spark } }];
    if (percent) {
      yAxis.push({ type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" }, splitLine: { show: false } });
    }
    return {
      animation: false,
      grid: spark ? { left: 2, right: 2, top: 4, bottom: 16 } : { left: 36, right: percent ? 44 : 12, top: 36, bottom: 28 },
      legend: { show: !spark, top: 0, type: "scroll" },
      tooltip: { trigger: "axis", confine: true },
      xAxis: { type: "category", data: spec.categories, axisTick: { show: !spark },
               axisLabel: { fontSize: spark ? 9 : 11, interval: spark ? 0 : "auto" } },
      yAxis: yAxis,
      series: spec.series.map(function (item) {
        var kind = item.kind || spec.kind;
        return {
          name: item.name, type: kind, data: item.data, color: item.color,
          stack: spec.stack && kind === "bar" ? "total" : undefined,
          yAxisIndex: item.percent ? 1 : 0, connectNulls: true, barMaxWidth: 28,
          symbolSize: kind === "line" ? 6 : undefined
        };
      })
    };
  }

  function draw(element) {
    var source = document.getElementById(element.getAttribute("data-chart"));
    if (!source) { return; }
    var spec = JSON.parse(source.textContent);
    var key = element.getAttribute("data-chart-key");
    if (key !== null) { spec = spec[key]; }
    if (!spec || !spec.series) { return; }
    var locale = (document.documentElement.lang || "zh").toLowerCase().indexOf("zh") === 0 ? "ZH" : "EN";
    var chart = window.echarts.init(element, null, { locale: locale, renderer: "svg" });
    chart.setOption(options(spec));
    element.setAttribute("data-chart-ready", "true");
    window.addEventListener("resize", function () { chart.resize(); });
  }

  function drawAll() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-chart]"), draw);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawAll);
  } else {
    drawAll();
  }
}());
