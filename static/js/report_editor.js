/*
 * The unit report editor: autosave per part as people type, nothing typed ever lost.
 *
 * Each <fieldset data-part> is one part (a criterion or a section) with its revision and the
 * digest of what was loaded. A changed part is kept in localStorage at once and posted to the
 * autosave URL a moment after typing stops; the server answers with the new revision, 400 with
 * the field errors, or 409 with both versions when someone else saved the same part. The text
 * stays in localStorage until the server has it, whatever goes wrong:
 * - the session ended (a redirect to the sign-in page, or a 401/403 that is not the autosave's own
 *   JSON): the person is asked to sign in again; the text is put back and saved when they return;
 * - the server or the network failed (a 5xx, no answer within REQUEST_TIMEOUT_MS, no network): the
 *   person is told so, and the parts are sent again after 2, 4, 8… up to 60 seconds, and at once
 *   when the browser comes back online. Signing in again would not help, so it is not offered.
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
  var DELAY_MS = parseInt(form.getAttribute("data-autosave-delay-ms"), 10) || 1500;
  var timers = {};
  var lastSent = {};
  // One autosave at a time, the others queued: saves reach the server in the order people typed, and a
  // slow connection never piles requests up.
  var saving = false;
  var queue = [];  // [{part, force}]
  var lastSaved = "";  // the last "saved at" line, shown again when a change is undone before it is sent
  var held = null;  // {button}: a press of "Lưu nháp" or "Nộp báo cáo" waiting for the save in flight
  var confirmed = false;
  // A lost connection: the parts waiting for it, sent again by one timer whose delay doubles each failure.
  var REQUEST_TIMEOUT_MS = 20000;
  var RETRY_FIRST_MS = 2000;
  var RETRY_MAX_MS = 60000;
  var offline = false;
  var unsent = [];
  var retryDelay = 0;
  var retryTimer = null;

  function csrfToken() {
    var input = form.querySelector('input[name="csrfmiddlewaretoken"]');
    return input ? input.value : "";
  }

  function parts() {
    return Array.prototype.slice.call(form.querySelectorAll("fieldset[data-part]"));
  }

  function partKey(part) {
    return part.getAttribute("data-part");
  }

  function fieldsOf(part) {
    return Array.prototype.slice.call(part.querySelectorAll("textarea[name], select[name], input[type=text][name]"));
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

  function same(a, b) {
    return JSON.stringify(a) === JSON.stringify(b);
  }

  // --- The browser copy ------------------------------------------------------------------------

  function stored() {
    try {
      return JSON.parse(window.localStorage.getItem(storageKey) || "{}");
    } catch (error) {
      return {};
    }
  }

  function store(key, entry) {
    var all = stored();
    if (entry) {
      all[key] = entry;
    } else {
      delete all[key];
    }
    try {
      if (Object.keys(all).length) {
        window.localStorage.setItem(storageKey, JSON.stringify(all));
      } else {
        window.localStorage.removeItem(storageKey);
      }
    } catch (error) {
      // Storage full or disabled: autosave to the server still works.
    }
  }

  // --- The status line -------------------------------------------------------------------------

  function say(text, kind) {
    if (!statusBox || (statusBox.textContent === text && statusBox.dataset.kind === (kind || ""))) {
      return;
    }
    statusBox.dataset.kind = kind || "";
    statusBox.textContent = text;
    statusBox.classList.toggle("text-danger", kind === "error");
    statusBox.classList.toggle("fw-semibold", kind === "error");
    statusBox.classList.toggle("text-body-secondary", kind !== "error");
    statusBox.classList.toggle("is-saved", kind === "saved");
  }

  var LOST = "Mất kết nối tới máy chủ — nội dung vẫn được giữ trên máy này và sẽ tự lưu khi kết nối lại";

  function sayExpired() {
    say("Phiên đăng nhập đã hết hạn. Nội dung chưa lưu vẫn được giữ trên máy này. ", "error");
    var link = document.createElement("a");
    link.href = loginUrl;
    link.textContent = "Đăng nhập lại để lưu tiếp";
    statusBox.appendChild(link);
  }

  // --- Errors and conflicts next to the part ---------------------------------------------------

  function clearErrors(part) {
    part.querySelectorAll(".is-invalid").forEach(function (field) {
      field.classList.remove("is-invalid");
    });
    part.querySelectorAll(".invalid-feedback").forEach(function (node) {
      node.remove();
    });
  }

  function showErrors(part, errors) {
    clearErrors(part);
    var first = null;
    Object.keys(errors).forEach(function (field) {
      var input = part.querySelector('[name="' + partKey(part) + "-" + field + '"]');
      if (!input) {
        return;
      }
      input.classList.add("is-invalid");
      var feedback = document.createElement("div");
      feedback.className = "invalid-feedback";
      feedback.id = input.id + "-error";
      feedback.textContent = errors[field];
      input.setAttribute("aria-describedby", feedback.id);
      input.insertAdjacentElement("afterend", feedback);
      first = first || input;
    });
    return first;
  }

  function optionLabel(select, value) {
    var option = Array.prototype.find.call(select.options, function (item) {
      return String(item.value) === String(value);
    });
    return option && option.value ? option.textContent : "";
  }

  // The server's values of a part ({"activities", "quantities", "assessment", …} or {"text"}) as people read them.
  function describe(part, values) {
    var key = partKey(part);
    if ("text" in values) {
      return values.text || "";
    }
    if ("items" in values) {
      var select = part.querySelector("[data-proposal-row] select");
      return (values.items || []).map(function (item) {
        var to = select && item.to ? optionLabel(select, item.to) : "chưa chọn nơi nhận";
        return "- " + item.text + " (" + to + ")";
      }).join("\n");
    }
    var lines = [];
    if (values.activities) {
      lines.push(values.activities);
    }
    Object.keys(values.quantities || {}).forEach(function (quantity) {
      var input = part.querySelector('[name="' + key + "-q-" + quantity + '"]');
      lines.push((input ? input.getAttribute("data-label") : quantity) + ": " + formatQuantity(values.quantities[quantity]));
    });
    var select = part.querySelector('select[name="' + key + '-assessment"]');
    var level = select && values.assessment !== null && values.assessment !== undefined ? optionLabel(select, values.assessment) : "";
    if (level) {
      lines.push("Tự đánh giá: " + level);
    }
    if (values.not_applicable_reason) {
      lines.push("Lý do không áp dụng: " + values.not_applicable_reason);
    }
    return lines.join("\n");
  }

  function removeConflicts(part) {
    part.querySelectorAll(".report-conflict").forEach(function (node) {
      node.remove();
    });
  }

  function conflictButtons(part, box, conflict) {
    var buttons = document.createElement("div");
    buttons.className = "mt-2 d-flex flex-wrap gap-2";
    var keepMine = document.createElement("button");
    keepMine.type = "button";
    keepMine.className = "btn btn-sm btn-warning";
    keepMine.textContent = "Giữ bản của tôi";
    keepMine.addEventListener("click", function () {
      // Overwrite the saved version knowingly: from now on ours is based on theirs.
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
      say("Đã dùng bản đã lưu trên Cổng cho phần này.", "saved");
    });
    buttons.appendChild(keepMine);
    buttons.appendChild(takeTheirs);
    box.appendChild(buttons);
  }

  function showConflict(part, conflict, message) {
    removeConflicts(part);
    var box = document.createElement("div");
    box.className = "alert alert-warning report-conflict";
    box.setAttribute("role", "alert");
    var title = document.createElement("p");
    title.className = "fw-semibold mb-2";
    title.textContent = message + (conflict.by ? " Người vừa lưu: " + conflict.by + "." : "");
    box.appendChild(title);
    var row = document.createElement("div");
    row.className = "row g-3";
    [["Bản đã lưu trên Cổng", conflict.theirs, "theirs"], ["Bản của bạn (đang hiện trong ô nhập)", conflict.yours, "yours"]].forEach(function (version) {
      var column = document.createElement("div");
      column.className = "col-md-6";
      var heading = document.createElement("h3");
      heading.className = "h6";
      heading.textContent = version[0];
      var body = document.createElement("pre");
      body.className = "report-text border rounded p-2 bg-body small";
      body.setAttribute("data-version", version[2]);
      body.textContent = describe(part, version[1]);
      column.appendChild(heading);
      column.appendChild(body);
      row.appendChild(column);
    });
    box.appendChild(row);
    conflictButtons(part, box, conflict);
    var legend = part.querySelector("legend");
    if (legend) {
      legend.insertAdjacentElement("afterend", box);
    } else {
      part.insertBefore(box, part.firstChild);
    }
  }

  function fill(part, serverValues) {
    // Server values are keyed by field ("activities", "quantities", …); inputs by "<part>-<field>".
    var key = partKey(part);
    Object.keys(serverValues).forEach(function (field) {
      var value = serverValues[field];
      if (field === "items") {
        var items = value || [];
        var rows = part.querySelectorAll("[data-proposal-row]");
        while (rows.length < items.length + 1 && addProposalRow(part)) {
          rows = part.querySelectorAll("[data-proposal-row]");
        }
        rows.forEach(function (row, index) {
          row.querySelector("textarea").value = index < items.length ? items[index].text : "";
          row.querySelector("select").value = index < items.length ? items[index].to || "" : "";
        });
        return;
      }
      if (field === "quantities") {
        part.querySelectorAll('[name^="' + key + '-q-"]').forEach(function (input) {
          var quantity = input.name.slice((key + "-q-").length);
          input.value = value && value[quantity] !== undefined && value[quantity] !== null ? formatQuantity(value[quantity]) : "";
        });
        return;
      }
      var input = part.querySelector('[name="' + key + "-" + field + '"]');
      if (input) {
        input.value = value === null || value === undefined ? "" : value;
      }
    });
    toggleReason(part);
  }

  // --- Saving ----------------------------------------------------------------------------------

  function enqueue(part, force) {
    var waiting = queue.find(function (item) { return item.part === part; });
    if (waiting) {
      waiting.force = waiting.force || force;
    } else {
      queue.push({ part: part, force: force });
    }
  }

  function finished() {
    saving = false;
    if (held) {
      // The person pressed a button while a part was being saved: send the form now, with the new revisions.
      var button = held.button;
      held = null;
      confirmed = true;
      form.requestSubmit(button);
      return;
    }
    drain();
  }

  function drain() {
    while (!saving && queue.length) {
      var next = queue.shift();
      save(next.part, next.force);  // returns without a request when the part no longer differs
    }
  }

  // --- A lost connection -------------------------------------------------------------------------

  // The server did not answer, or answered with its own failure (a 5xx): the part waits, and the next try is
  // later each time, so a server coming back up is not met by every open editor at once.
  function connectionLost(part) {
    offline = true;
    wait(part);
    retryDelay = retryDelay ? Math.min(retryDelay * 2, RETRY_MAX_MS) : RETRY_FIRST_MS;
    window.clearTimeout(retryTimer);
    retryTimer = window.setTimeout(reconnect, retryDelay);
  }

  function wait(part) {
    if (unsent.indexOf(part) === -1) {
      unsent.push(part);
    }
    say(LOST, "error");
  }

  // Send the waiting parts again: the first one's answer tells whether the connection is back.
  function reconnect() {
    window.clearTimeout(retryTimer);
    retryTimer = null;
    if (!offline) {
      return;
    }
    offline = false;
    var waiting = unsent;
    unsent = [];
    waiting.forEach(function (part) { enqueue(part, false); });
    if (!saving) {
      drain();
    }
    if (!saving && !offline) {
      // Nothing differed from what the server has: nothing left to save.
      say(lastSaved || "Nội dung được tự động lưu khi bạn gõ.", lastSaved ? "saved" : "");
    }
  }

  window.addEventListener("online", function () {
    if (offline) {
      retryDelay = 0;  // a new network: if it fails again, start again from the shortest wait
      reconnect();
    }
  });

  function save(part, force) {
    var key = partKey(part);
    var values = valuesOf(part);
    window.clearTimeout(timers[key]);
    if (!force && same(values, lastSent[key])) {
      if (statusBox && !saving && !queue.length && lastSaved && statusBox.textContent === "Đang lưu…") {
        say(lastSaved, "saved");  // changed back to what was saved: nothing left to save
      }
      return;
    }
    if (saving) {
      enqueue(part, force);
      return;
    }
    if (offline) {
      wait(part);  // typed on while the connection is lost: sent with the others when it is back
      return;
    }
    var body = new FormData();
    body.append("part", key);
    body.append("rev-" + key, hidden(part, "revision").value);
    body.append("orig-" + key, hidden(part, "original").value);
    Object.keys(values).forEach(function (name) {
      body.append(name, values[name]);
    });
    saving = true;
    say("Đang lưu…");
    // A server that takes the request and never answers (a database that hangs) counts as no connection.
    var abort = window.AbortController ? new window.AbortController() : null;
    var timeout = abort ? window.setTimeout(function () { abort.abort(); }, REQUEST_TIMEOUT_MS) : null;
    fetch(autosaveUrl, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      signal: abort ? abort.signal : undefined,
      headers: { "X-CSRFToken": csrfToken(), "X-Requested-With": "XMLHttpRequest", "Accept": "application/json" },
    }).then(function (response) {
      var json = (response.headers.get("Content-Type") || "").indexOf("application/json") === 0;
      if (response.status >= 500) {
        // The server's own failure (its database down, a proxy without a backend), JSON or the HTML error page.
        connectionLost(part);
        return null;
      }
      retryDelay = 0;  // the server answered: the next loss starts again from the shortest wait
      if (response.redirected || response.status === 401 || (!json && response.status === 403)) {
        // Signed out (the login page came back) or the CSRF token is stale: the text stays in the browser.
        sayExpired();
        return null;
      }
      if (!json) {
        if (response.ok) {
          sayExpired();  // a page instead of the answer: the sign-in page served without a redirect
        } else {
          say("Không lưu được (mã lỗi " + response.status + "). Nội dung vẫn được giữ trên máy này.", "error");
        }
        return null;
      }
      return response.json().then(function (data) {
        if (response.ok) {
          hidden(part, "revision").value = data.revision;
          hidden(part, "original").value = data.original;
          lastSent[key] = values;
          if (same(valuesOf(part), values)) {
            store(key, null);
          } else {
            // Typed on while this was saving: the browser copy now builds on the revision just saved.
            store(key, { values: valuesOf(part), revision: data.revision, original: data.original });
          }
          clearErrors(part);
          removeConflicts(part);
          lastSaved = "Đã lưu lúc " + data.saved_at;
          if (same(valuesOf(part), values) && !queue.length) {
            say(lastSaved, "saved");
          } else {
            say("Đang lưu…");  // typed on meanwhile: the next save follows, then "saved"
          }
        } else if (response.status === 409 && data.conflict) {
          lastSent[key] = values;
          showConflict(part, data.conflict, data.error);
          say("Có xung đột nội dung ở một phần báo cáo; vui lòng xem thông báo màu vàng.", "error");
        } else if (response.status === 400) {
          lastSent[key] = values;
          showErrors(part, data.errors || {});
          say("Có ô nhập chưa hợp lệ; phần này chưa được lưu.", "error");
        } else {
          say((data.error || "Không lưu được.") + " Nội dung vẫn được giữ trên máy này.", "error");
        }
        return null;
      });
    }).catch(function () {
      // No network, no answer in time, or an answer cut off: the part waits and is sent again.
      connectionLost(part);
    }).then(function () {
      window.clearTimeout(timeout);
      finished();
    });
  }

  function toggleReason(part) {
    var select = part.querySelector("select[data-na-ids]");
    var reason = part.querySelector("[data-na-reason]");
    if (!select || !reason) {
      return;
    }
    var ids = select.getAttribute("data-na-ids").trim().split(/\s+/);
    reason.classList.toggle("d-none", ids.indexOf(select.value) === -1);
  }

  // A number as people type it (1.250.000.000 or 1.250.000,5) → Number, or null; mirrors reports/parts.py.
  function parseQuantity(raw) {
    var text = (raw || "").replace(/[\s\u00a0]/g, "");
    if (!text) {
      return null;
    }
    if (text.indexOf(",") !== -1) {
      text = text.replace(/\./g, "").replace(",", ".");
    } else if ((text.match(/\./g) || []).length > 1 || /^[^.]*\.\d{3}$/.test(text)) {
      text = text.replace(/\./g, "");
    }
    var value = Number(text);
    return text !== "" && isFinite(value) ? value : null;
  }

  // A stored quantity ("1050000000", "1250.5") as Vietnamese writes it ("1.050.000.000", "1.250,5"); mirrors
  // reports/parts.py display_quantity, so what the server saved comes back in the form people typed it.
  function formatQuantity(raw) {
    var text = String(raw);
    if (!/^-?\d+(\.\d+)?$/.test(text)) {
      return text;
    }
    var sign = text.charAt(0) === "-" ? "-" : "";
    var pieces = text.replace("-", "").split(".");
    var fraction = (pieces[1] || "").replace(/0+$/, "");
    var whole = pieces[0].replace(/^0+(?=\d)/, "").replace(/\B(?=(\d{3})+(?!\d))/g, ".");
    return sign + whole + (fraction ? "," + fraction : "");
  }

  var NEGATIVE = "Số liệu không được âm.";

  // A negative quantity is refused as it is typed, beside the field (the server refuses it too).
  function checkNegative(input) {
    var feedbackId = input.id + "-error";
    var feedback = document.getElementById(feedbackId);
    var value = parseQuantity(input.value);
    if (value !== null && value < 0) {
      if (!feedback) {
        feedback = document.createElement("div");
        feedback.className = "invalid-feedback";
        feedback.id = feedbackId;
        input.insertAdjacentElement("afterend", feedback);
      }
      feedback.textContent = NEGATIVE;
      feedback.setAttribute("data-client-check", "negative");
      input.classList.add("is-invalid");
      input.setAttribute("aria-describedby", feedbackId);
      return true;
    }
    if (feedback && feedback.getAttribute("data-client-check") === "negative") {
      feedback.remove();
      input.classList.remove("is-invalid");
      input.removeAttribute("aria-describedby");
    }
    return false;
  }

  // The indicator's value as the quantities are typed; the server computes the same on save. A negative
  // quantity gives no value ("—"), and a value that rounds to zero never reads "-0,00%".
  function updateIndicators(part) {
    part.querySelectorAll("[data-testid=indicator-value][data-formula]").forEach(function (box) {
      var top = parseQuantity((part.querySelector('[name="' + box.getAttribute("data-numerator") + '"]') || {}).value);
      var denominatorName = box.getAttribute("data-denominator");
      var unit = box.getAttribute("data-unit") || "";
      var value = null;
      var sum = box.getAttribute("data-formula") === "sum";
      if (sum) {
        value = top;
      } else if (denominatorName) {
        var bottom = parseQuantity((part.querySelector('[name="' + denominatorName + '"]') || {}).value);
        if (top !== null && bottom && top >= 0 && bottom > 0) {
          value = top * (unit === "%" ? 100 : 1) / bottom;
        }
      }
      if (value !== null && (value < 0 || Math.abs(value) < 0.005)) {
        value = value < 0 ? null : 0;
      }
      if (value === null) {
        box.textContent = "—";
      } else if (sum) {
        box.textContent = value.toLocaleString("vi-VN", { maximumFractionDigits: 2 }) + (unit ? " " + unit : "");
      } else {
        box.textContent = value.toLocaleString("vi-VN", { minimumFractionDigits: 2, maximumFractionDigits: 2 }) + unit;
      }
    });
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
    if (statusBox && statusBox.classList.contains("is-saved")) {
      say("Đang lưu…");  // "saved" must not stay on screen over text that is not saved yet
    }
  }

  parts().forEach(function (part) {
    var key = partKey(part);
    lastSent[key] = valuesOf(part);
    toggleReason(part);
    // Only real edits count: focusing or leaving a field fires neither event without a change.
    part.addEventListener("input", function (event) {
      if (event.target.matches("textarea, select, input[type=text]")) {
        if (event.target.matches("input[type=text]")) {
          if (event.target.matches("[inputmode=decimal]")) {
            checkNegative(event.target);
          }
          updateIndicators(part);
        }
        changed(part);
      }
    });
    part.addEventListener("change", function (event) {
      if (event.target.matches("select")) {
        toggleReason(part);
      }
    });
  });

  // A conflict refused by an explicit save comes back rendered by the server: give it the same two buttons.
  parts().forEach(function (part) {
    var box = part.querySelector(".report-conflict[data-server-conflict]");
    var data = document.getElementById("conflict-theirs-" + partKey(part));
    if (!box || !data) {
      return;
    }
    conflictButtons(part, box, {
      theirs: JSON.parse(data.textContent),
      revision: hidden(part, "revision").value,
      original: hidden(part, "original").value,
    });
  });

  // --- Text typed before the session expired (or the browser closed) -----------------------------

  // --- The proposals' rows ---------------------------------------------------------------------

  // "Thêm đề xuất, kiến nghị" adds a row: a copy of the last one, emptied, with the next index in its names.
  function addProposalRow(part) {
    var box = part.querySelector("[data-proposals]");
    if (!box) {
      return null;
    }
    var rows = box.querySelectorAll("[data-proposal-row]");
    var index = rows.length;
    var copy = rows[rows.length - 1].cloneNode(true);
    copy.querySelectorAll("textarea, select, label").forEach(function (node) {
      ["id", "name", "for"].forEach(function (attribute) {
        var value = node.getAttribute(attribute);
        if (value) {
          node.setAttribute(attribute, value.replace(/-item-\d+-/, "-item-" + index + "-"));
        }
      });
      if (node.tagName === "LABEL") {
        node.textContent = node.textContent.replace(/\d+$/, String(index + 1));
      }
    });
    copy.querySelector("textarea").value = "";
    copy.querySelector("select").value = "";
    copy.querySelector("select").classList.remove("is-invalid");
    box.appendChild(copy);
    return copy;
  }

  document.querySelectorAll("[data-add-proposal]").forEach(function (button) {
    button.addEventListener("click", function () {
      var row = addProposalRow(button.closest(".report-part"));
      if (row) {
        row.querySelector("textarea").focus();
      }
    });
  });

  // A browser copy may hold more proposals than the page shows rows: add rows until each has its field.
  function ensureFields(part, names) {
    names.forEach(function (name) {
      var guard = 0;
      while (!part.querySelector('[name="' + name + '"]') && /-item-\d+-/.test(name) && guard < 200) {
        if (!addProposalRow(part)) {
          return;
        }
        guard += 1;
      }
    });
  }

  function restore() {
    var pending = stored();
    var restored = 0;
    var conflicts = 0;
    parts().forEach(function (part) {
      var key = partKey(part);
      var entry = pending[key];
      if (!entry || !entry.values) {
        return;
      }
      var current = valuesOf(part);
      if (same(entry.values, current)) {
        store(key, null);
        return;
      }
      var server = {
        revision: hidden(part, "revision").value,
        original: hidden(part, "original").value,
      };
      ensureFields(part, Object.keys(entry.values));
      Object.keys(entry.values).forEach(function (name) {
        var field = part.querySelector('[name="' + name + '"]');
        if (field) {
          field.value = entry.values[name];
        }
      });
      toggleReason(part);
      if (String(entry.revision) === String(server.revision)) {
        // Nobody saved this part since the text was typed: save it now.
        restored += 1;
        save(part, true);
        return;
      }
      // Someone saved this part meanwhile: show both, let the person choose; never overwrite silently.
      conflicts += 1;
      lastSent[key] = valuesOf(part);
      showConflict(part, {
        theirs: serverShape(part, current),
        yours: serverShape(part, valuesOf(part)),
        revision: server.revision,
        original: server.original,
        by: "",
      }, "Nội dung chưa lưu từ lần trước của bạn khác với bản đang lưu trên Cổng (đã có người sửa phần này).");
    });
    if (conflicts) {
      say("Đã khôi phục nội dung chưa lưu từ lần trước; có phần cần bạn chọn bản giữ lại (thông báo màu vàng).", "error");
    } else if (restored) {
      say("Đã khôi phục " + restored + " phần nội dung chưa lưu từ lần trước; đang lưu lên Cổng…");
    }
  }

  // The part's inputs ({"<part>-activities": …, "<part>-q-planned": …}) in the server's shape.
  function serverShape(part, inputs) {
    var key = partKey(part);
    var byField = {};
    Object.keys(inputs).forEach(function (name) {
      byField[name.slice(key.length + 1)] = inputs[name];
    });
    if ("text" in byField) {
      return { text: byField.text };
    }
    var values = { activities: byField.activities || "", quantities: {}, assessment: byField.assessment || null };
    Object.keys(byField).forEach(function (name) {
      if (name.indexOf("q-") === 0 && byField[name] !== "") {
        values.quantities[name.slice(2)] = byField[name];
      }
    });
    values.not_applicable_reason = byField.not_applicable_reason || "";
    return values;
  }

  restore();

  // --- Messages where the person is looking ------------------------------------------------------

  // After an upload the page comes back at the criterion's files (#evidence-<id>): its message moves there from
  // the top of the page. A panel the server marks (the texts to confirm before submitting) is brought to as well.
  function focusOnLoad() {
    var target = document.querySelector("[data-focus-on-load]");
    var hash = window.location.hash;
    if (!target && hash.indexOf("#evidence-") === 0) {
      var block = document.getElementById(hash.slice(1));
      var box = document.querySelector(".portal-messages");
      var holder = block && block.querySelector("[data-upload-messages]");
      if (holder && box) {
        box.querySelectorAll(".alert").forEach(function (alert) {
          holder.appendChild(alert);
        });
        if (!box.querySelector(".alert")) {
          box.remove();
        }
        target = holder.querySelector(".alert");
        if (target) {
          target.setAttribute("tabindex", "-1");
          target.classList.add("mt-2", "mb-2", "py-2", "small");
        }
      }
    }
    if (!target && document.querySelector(".portal-messages .alert-danger, .portal-messages .alert-warning")) {
      // A save or submission the server refused: the first field it marked (or the conflict it shows), not the
      // message at the top of a page the person has to scroll through.
      target = form.querySelector(".report-conflict[data-server-conflict], .is-invalid");
      if (target && !target.matches("input, select, textarea")) {
        target.setAttribute("tabindex", "-1");
      }
    }
    if (target) {
      // At once, not with the page's smooth scrolling: the message is there when the page is.
      target.scrollIntoView({ block: "center", behavior: "instant" });
      target.focus({ preventScroll: true });
    }
  }

  if (document.readyState === "complete") {
    focusOnLoad();
  } else {
    window.addEventListener("load", focusOnLoad);
  }

  // --- The explicit buttons ----------------------------------------------------------------------

  window.addEventListener("submit", function (event) {
    if (event.target !== form) {
      return;
    }
    var button = event.submitter;
    var question = button && button.getAttribute("data-confirm-button");
    if (question && !confirmed && !window.confirm(question)) {
      event.preventDefault();
      event.stopImmediatePropagation();
      return;
    }
    confirmed = false;
    // The form carries every part: pending autosaves are not needed, and one in flight must finish
    // first, or the form would post the revision it replaces and conflict with its own save.
    Object.keys(timers).forEach(function (key) { window.clearTimeout(timers[key]); });
    queue = [];
    if (saving) {
      event.preventDefault();
      event.stopImmediatePropagation();
      held = { button: button || null };
      say("Đang lưu…");
    }
  }, true);
  window.addEventListener("pageshow", function () {
    form.querySelectorAll('button[type="submit"]').forEach(function (button) { button.disabled = false; });
  });
})();
