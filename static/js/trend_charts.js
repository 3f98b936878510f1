/* Indicator trend charts on the review page: data from the canvas's data-chart attribute (JSON). */
(function () {
  "use strict";
  if (typeof window.Chart === "undefined") {
    return;
  }
  document.querySelectorAll("canvas.trend-chart[data-chart]").forEach(function (canvas) {
    var data = JSON.parse(canvas.getAttribute("data-chart"));
    var datasets = [{ label: data.name, data: data.values, borderColor: "#1f3b73", backgroundColor: "#1f3b73", spanGaps: true }];
    if (data.target !== null) {
      datasets.push({
        label: "Chỉ tiêu",
        data: data.labels.map(function () { return data.target; }),
        borderColor: "#b22222",
        borderDash: [6, 4],
        pointRadius: 0,
      });
    }
    new window.Chart(canvas, { type: "line", data: { labels: data.labels, datasets: datasets }, options: { animation: false } });
  });
})();
