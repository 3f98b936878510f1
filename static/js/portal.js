/*
 * Behaviour shared by every page of the portal. The Content-Security-Policy forbids inline
 * scripts and event-handler attributes, so pages declare what they need with data-attributes
 * and this file wires them up.
 */
(function () {
  "use strict";

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }

  // htmx requests that change data carry Django's CSRF token in a header. The cookie is
  // HttpOnly, so the token comes from the <meta name="csrf-token"> tag that base.html renders.
  document.addEventListener("htmx:configRequest", function (event) {
    var token = csrfToken();
    if (token && event.detail.verb !== "get") {
      event.detail.headers["X-CSRFToken"] = token;
    }
  });

  // <form data-confirm="Nộp báo cáo?"> asks before it is sent.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement)) {
      return;
    }
    var question = form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
      return;
    }
    // <form data-submit-once> disables its buttons once sent, so a double click sends it once.
    if (form.hasAttribute("data-submit-once")) {
      window.setTimeout(function () {
        form.querySelectorAll('button[type="submit"], input[type="submit"]').forEach(function (button) {
          button.disabled = true;
        });
      }, 0);
    }
  }, true);
})();
