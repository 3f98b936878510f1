/*
 * A background job's progress (workflow/jobs.py: a consolidated report's compile, a document's render):
 * ask the status endpoint every 2 seconds, show the new state (queued → running) in place, and reload the
 * page once the job has finished (ready, failed, or replaced), so the person sees the result, or the reason
 * and the retry button. While a job is tried again after its worker died, it shows "Đang thử lại (lần 2/3)" and
 * the time of the next try. The page declares the endpoint with data-attributes; the Content-Security-Policy
 * forbids inline scripts.
 */
(function () {
  "use strict";

  var POLL_MS = 2000;
  var box = document.querySelector("[data-job-progress]");
  if (!box) {
    return;
  }
  var url = box.getAttribute("data-status-url");
  var shown = box.getAttribute("data-status");
  var label = box.querySelector("[data-status-label]");
  var retryLine = box.querySelector("[data-job-retry]");

  function schedule() {
    window.setTimeout(poll, POLL_MS);
  }

  function poll() {
    window
      .fetch(url, { credentials: "same-origin", cache: "no-store", headers: { Accept: "application/json" } })
      .then(function (response) {
        // An expired session answers with the sign-in page, not JSON: keep trying, the reload will ask.
        if (!response.ok || (response.headers.get("Content-Type") || "").indexOf("application/json") !== 0) {
          throw new Error("status " + response.status);
        }
        return response.json();
      })
      .then(function (state) {
        if (state.finished) {
          window.location.reload();
          return;
        }
        // A retry (workflow/jobs.py retry_of) shows its own label, "Đang thử lại (lần 2/3)", and when the next try
        // starts; the row can turn into a retry without its status changing.
        var retry = state.retry || null;
        if (state.status !== shown) {
          shown = state.status;
          box.setAttribute("data-status", shown);
        }
        if (label) {
          label.textContent = retry ? retry.label : state.label;
        }
        if (retryLine) {
          retryLine.textContent = retry ? retry.detail : "";
          retryLine.hidden = !retry;
        }
        schedule();
      })
      .catch(schedule);
  }

  schedule();
})();
