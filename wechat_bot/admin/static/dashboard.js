// The dashboard's charts: each <canvas data-chart="ID"> is drawn from the JSON block with id ID.
// The tables under the charts hold the same numbers, so the page reads without this script.
(function () {
  "use strict";
  var COLOURS = ["#2f6fb0", "#3aa675", "#e0a030", "#c0504d", "#7b5ea7", "#4bacc6"];

  function percent(value) {
    return value === null ? null : Math.round(value * 1000) / 10;
  }

  function config(spec) {
    var rates = spec.datasets.some(function (d) { return d.rate; });
    var valueAxis = rates
      ? { beginAtZero: true, max: 100, ticks: { callback: function (v) { return v + "%"; } } }
      : { beginAtZero: true, ticks: { precision: 0 } };
    return {
      type: spec.type,
      data: {
        labels: spec.labels,
        datasets: spec.datasets.map(function (d, i) {
          return {
            label: d.label,
            data: d.rate ? d.data.map(percent) : d.data,
            backgroundColor: COLOURS[i % COLOURS.length],
            borderColor: COLOURS[i % COLOURS.length],
            maxBarThickness: 48,         // one department must not fill the whole width
            spanGaps: true
          };
        })
      },
      options: {
        animation: false,            // draw at once: printouts and browser tests see the end state
        responsive: true,
        maintainAspectRatio: false,
        indexAxis: spec.horizontal ? "y" : "x",
        scales: spec.horizontal ? { x: valueAxis } : { y: valueAxis }
      }
    };
  }

  function draw() {
    if (typeof Chart === "undefined") { return; }
    document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      var block = document.getElementById(canvas.getAttribute("data-chart"));
      if (!block) { return; }
      var chart = new Chart(canvas, config(JSON.parse(block.textContent)));
      canvas.setAttribute("data-drawn", chart.data.labels.length);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
}());
