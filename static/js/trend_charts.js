/* Indicator trend charts on the review page: data from the canvas's data-chart attribute (JSON). */
(function () {
  "use strict";
  if (typeof window.Chart === "undefined") {
    return;
  }
  document.querySelectorAll("canvas.trend-chart[data-chart]").forEach(function (canvas) {
    var data = JSON.parse(canvas.getAttribute("data-chart"));
    // A value above 100% (a ratio whose numerator exceeds its denominator) is drawn larger, in red, as the table flags it.
    var flagged = data.flagged || [];
    var datasets = [{
      label: data.name,
      data: data.values,
      borderColor: "#1f3b73",
      backgroundColor: data.values.map(function (value, index) { return flagged[index] ? "#b22222" : "#1f3b73"; }),
      pointBorderColor: data.values.map(function (value, index) { return flagged[index] ? "#b22222" : "#1f3b73"; }),
      pointRadius: data.values.map(function (value, index) { return flagged[index] ? 6 : 3; }),
      spanGaps: true,
    }];
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
