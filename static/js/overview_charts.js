/* The overview's charts (overview/views_tables.py builds each one's JSON in the canvas's data-chart attribute;
   the table under the chart holds the same numbers) and its print button. Nothing inline: the CSP allows none. */
(function () {
  "use strict";
  var charts = [];
  function numberText(value, unit) {
    if (value === null || value === undefined) { return "—"; }
    var text = Number(value).toLocaleString("vi-VN", { maximumFractionDigits: 2 });
    return unit === "%" ? text + "%" : text + (unit ? " " + unit : "");
  }
  if (typeof window.Chart !== "undefined") {
    document.querySelectorAll("canvas.overview-chart[data-chart]").forEach(function (canvas) {
      var spec = JSON.parse(canvas.getAttribute("data-chart"));
      var valueAxis = spec.horizontal ? "x" : "y";
      var scales = {};
      scales[valueAxis] = { beginAtZero: true, stacked: spec.stacked, ticks: { callback: function (value) { return numberText(value, spec.unit); } } };
      scales[spec.horizontal ? "y" : "x"] = { stacked: spec.stacked };
      // A period kind's points joined across the other kinds' periods (half years between years).
      spec.datasets.forEach(function (dataset) { if (dataset.spanGaps === undefined) { dataset.spanGaps = spec.type === "line"; } });
      charts.push(new window.Chart(canvas, {
        type: spec.type,
        data: { labels: spec.labels, datasets: spec.datasets },
        options: {
          animation: false,
          responsive: true,
          maintainAspectRatio: false,
          indexAxis: spec.horizontal ? "y" : "x",
          scales: scales,
          plugins: {
            title: { display: Boolean(spec.title), text: spec.title },
            tooltip: {
              callbacks: {
                label: function (context) {
                  var raw = context.raw;
                  var shown = Array.isArray(raw) ? numberText(raw[0], spec.unit) + " – " + numberText(raw[1], spec.unit) : numberText(raw, spec.unit);
                  return context.dataset.label + ": " + shown;
                }
              }
            }
          }
        }
      }));
    });
  }
  window.addEventListener("beforeprint", function () { charts.forEach(function (chart) { chart.resize(); }); });
  window.addEventListener("afterprint", function () { charts.forEach(function (chart) { chart.resize(); }); });
  document.querySelectorAll("[data-overview-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
})();
