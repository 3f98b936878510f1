/*
 * The unit report editor: autosave per part as people type, nothing typed ever lost.
 *
 * Each <fieldset data-part> is one part (a criterion or a section) with its revision and the
 * digest of what was loaded. A changed part is kept in localStorage at once and posted to the
 * autosave URL a moment after typing stops; the server answers with the new revision, or 409
 * with both versions when someone else saved the same part. When the session has expired the
 * text stays in localStorage and is saved after the person signs in again and returns.
 */
(function () {
  "use strict";

  var form = document.getElementById("report-form");
  if (!form) {
    return;
  }
  var statusBox = document.getElementById("autosave-status");
  var storageKey = form.getAttribute("data-storage-key");
  var autosaveUrl = form.getAttribute("data-autosave-url");
  var loginUrl = form.getAttribute("data-login-url");
  var DELAY_MS = 1500;
  var timers = {};
  var lastSent = {};
  var inFlight = {};

  function csrfToken() {
    var input = form.querySelector('input[name="csrfmiddlewaretoken"]');
    return input ? input.value : "";
  }

  function parts() {
    return Array.prototype.slice.call(form.querySelectorAll("fieldset[data-part]"));
  }

  function fieldsOf(part) {
    return Array.prototype.slice.call(part.querySelectorAll("textarea, select, input[type=text]"));
  }

  function valuesOf(part) {
    var values = {};
    fieldsOf(part).forEach(function (field) {
      values[field.name] = field.value;
    });
    return values;
  }

  function hidden(part, role) {
    return part.querySelector('input[data-role="' + role + '"]');
  }

  function stored() {
    try {
      return JSON.parse(window.localStorage.getItem(storageKey) || "{}");
    } catch (error) {
      return {};
    }
  }

  function store(partKey, entry) {
    var all = stored();
    if (entry) {
      all[partKey] = entry;
    } else {
      delete all[partKey];
    }
    try {
      window.localStorage.setItem(storageKey, JSON.stringify(all));
    } catch (error) {
      // Storage full or disabled: autosave to the server still works.
    }
  }

  function say(text, kind) {
    if (!statusBox) {
      return;
    }
    statusBox.textContent = "";
    statusBox.className = "small " + (kind === "error" ? "text-danger fw-semibold" : "text-body-secondary");
    statusBox.appendChild(document.createTextNode(text));
  }

  function sayExpired() {
    say("Phiên đăng nhập đã hết hạn. Nội dung chưa lưu vẫn được giữ trên máy này. ", "error");
    var link = document.createElement("a");
    link.href = loginUrl;
    link.textContent = "Đăng nhập lại để lưu tiếp";
    statusBox.appendChild(link);
  }

  function same(a, b) {
    return JSON.stringify(a) === JSON.stringify(b);
  }

  function partKey(part) {
    return part.getAttribute("data-part");
  }

  function clearErrors(part) {
    part.querySelectorAll(".is-invalid").forEach(function (field) {
      field.classList.remove("is-invalid");
    });
    part.querySelectorAll(".invalid-feedback[data-live]").forEach(function (node) {
      node.remove();
    });
  }

  function showErrors(part, errors) {
    clearErrors(part);
    Object.keys(errors).forEach(function (field) {
      var input = part.querySelector('[name="' + partKey(part) + "-" + field + '"]');
      if (!input) {
        return;
      }
      input.classList.add("is-invalid");
      var feedback = document.createElement("div");
      feedback.className = "invalid-feedback";
      feedback.setAttribute("data-live", "");
      feedback.textContent = errors[field];
      input.insertAdjacentElement("afterend", feedback);
    });
  }

  function showConflict(part, conflict, message) {
    var old = part.querySelector(".report-conflict[data-live]");
    if (old) {
      old.remove();
    }
    var box = document.createElement("div");
    box.className = "alert alert-warning report-conflict";
    box.setAttribute("data-live", "");
    box.setAttribute("role", "alert");
    var title = document.createElement("p");
    title.className = "fw-semibold mb-2";
    title.textContent = message + (conflict.by ? " (" + conflict.by + ")" : "");
    box.appendChild(title);
    [["Bản đã lưu trên Cổng", conflict.theirs], ["Bản của bạn", conflict.yours]].forEach(function (pair) {
      var heading = document.createElement("div");
      heading.className = "small fw-semibold";
      heading.textContent = pair[0];
      var body = document.createElement("pre");
      body.className = "report-text border rounded p-2 bg-body small";
      body.textContent = Object.keys(pair[1]).map(function (name) {
        var value = pair[1][name];
        return typeof value === "object" && value !== null ? JSON.stringify(value) : String(value === null ? "" : value);
      }).filter(Boolean).join("\n");
      box.appendChild(heading);
      box.appendChild(body);
    });
    var keepMine = document.createElement("button");
    keepMine.type = "button";
    keepMine.className = "btn btn-sm btn-warning me-2";
    keepMine.textContent = "Giữ bản của tôi";
    keepMine.addEventListener("click", function () {
      hidden(part, "revision").value = conflict.revision;
      hidden(part, "original").value = conflict.original;
      box.remove();
      save(part, true);
    });
    var takeTheirs = document.createElement("button");
    takeTheirs.type = "button";
    takeTheirs.className = "btn btn-sm btn-outline-secondary";
    takeTheirs.textContent = "Dùng bản đã lưu";
    takeTheirs.addEventListener("click", function () {
      fill(part, conflict.theirs);
      hidden(part, "revision").value = conflict.revision;
      hidden(part, "original").value = conflict.original;
      lastSent[partKey(part)] = valuesOf(part);
      store(partKey(part), null);
      box.remove();
    });
    box.appendChild(keepMine);
    box.appendChild(takeTheirs);
    part.querySelector(".card-body").insertBefore(box, part.querySelector(".card-body").children[3] || null);
  }

  function fill(part, serverValues) {
    // Server values are keyed by field ("activities", "quantities", …); inputs by "<part>-<field>".
    var key = partKey(part);
    Object.keys(serverValues).forEach(function (field) {
      var value = serverValues[field];
      if (field === "quantities") {
        Object.keys(value || {}).forEach(function (quantity) {
          var input = part.querySelector('[name="' + key + "-q-" + quantity + '"]');
          if (input) {
            input.value = value[quantity];
          }
        });
        return;
      }
      var input = part.querySelector('[name="' + key + "-" + field + '"]');
      if (input) {
        input.value = value === null ? "" : value;
      }
    });
    toggleReason(part);
  }

  function save(part, force) {
    var key = partKey(part);
    var values = valuesOf(part);
    if (!force && same(values, lastSent[key])) {
      return;
    }
    if (inFlight[key]) {
      timers[key] = window.setTimeout(function () { save(part); }, DELAY_MS);
      return;
    }
    var body = new FormData();
    body.append("part", key);
    body.append("rev-" + key, hidden(part, "revision").value);
    body.append("orig-" + key, hidden(part, "original").value);
    Object.keys(values).forEach(function (name) {
      body.append(name, values[name]);
    });
    inFlight[key] = true;
    say("Đang lưu…");
    fetch(autosaveUrl, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(), "X-Requested-With": "XMLHttpRequest" },
    }).then(function (response) {
      var json = (response.headers.get("Content-Type") || "").indexOf("application/json") === 0;
      if (response.redirected || !json) {
        // Signed out (the login page came back) or the CSRF token is stale: keep the text locally.
        sayExpired();
        return null;
      }
      return response.json().then(function (data) {
        if (response.ok) {
          hidden(part, "revision").value = data.revision;
          hidden(part, "original").value = data.original;
          lastSent[key] = values;
          if (same(valuesOf(part), values)) {
            store(key, null);
          }
          clearErrors(part);
          say("Đã lưu lúc " + data.saved_at);
        } else if (response.status === 409) {
          showConflict(part, data.conflict, data.error);
          say("Có xung đột nội dung ở một phần báo cáo; vui lòng xem thông báo màu vàng.", "error");
        } else if (response.status === 400) {
          showErrors(part, data.errors || {});
          say("Có ô nhập chưa hợp lệ; phần này chưa được lưu.", "error");
        } else {
          say(data.error || "Không lưu được; nội dung vẫn được giữ trên máy này.", "error");
        }
        return null;
      });
    }).catch(function () {
      say("Mất kết nối tới Cổng; nội dung vẫn được giữ trên máy này và sẽ được lưu khi có kết nối.", "error");
    }).then(function () {
      inFlight[key] = false;
    });
  }

  function toggleReason(part) {
    var select = part.querySelector("select[data-na-ids]");
    var reason = part.querySelector("[data-na-reason]");
    if (!select || !reason) {
      return;
    }
    var ids = select.getAttribute("data-na-ids").trim().split(/\s+/);
    var notApplicable = ids.indexOf(select.value) !== -1;
    reason.classList.toggle("d-none", !notApplicable && !reason.querySelector("textarea").value);
  }

  function changed(part) {
    var key = partKey(part);
    store(key, {
      values: valuesOf(part),
      revision: hidden(part, "revision").value,
      original: hidden(part, "original").value,
    });
    window.clearTimeout(timers[key]);
    timers[key] = window.setTimeout(function () { save(part); }, DELAY_MS);
  }

  parts().forEach(function (part) {
    var key = partKey(part);
    lastSent[key] = valuesOf(part);
    toggleReason(part);
    part.addEventListener("input", function () { changed(part); });
    part.addEventListener("change", function (event) {
      if (event.target.matches("select")) {
        toggleReason(part);
      }
      changed(part);
    });
  });

  // Text typed before the session expired (or the browser closed) is put back and saved.
  var pending = stored();
  var restored = 0;
  parts().forEach(function (part) {
    var entry = pending[partKey(part)];
    if (!entry) {
      return;
    }
    if (same(entry.values, valuesOf(part))) {
      store(partKey(part), null);
      return;
    }
    Object.keys(entry.values).forEach(function (name) {
      var field = part.querySelector('[name="' + name + '"]');
      if (field) {
        field.value = entry.values[name];
      }
    });
    hidden(part, "revision").value = entry.revision;
    hidden(part, "original").value = entry.original;
    toggleReason(part);
    restored += 1;
    save(part, true);
  });
  if (restored) {
    say("Đã khôi phục " + restored + " phần nội dung chưa lưu từ lần trước; đang lưu lên Cổng…");
  }

  // The explicit buttons post the whole form; the browser copy is no longer needed once it is sent.
  window.addEventListener("submit", function (event) {
    if (event.target !== form) {
      return;
    }
    var button = event.submitter;
    var question = button && button.getAttribute("data-confirm-button");
    if (question && !window.confirm(question)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);
  window.addEventListener("pageshow", function () {
    form.querySelectorAll('button[type="submit"]').forEach(function (button) { button.disabled = false; });
  });
})();
