/*
 * The consolidated report's page: "Trình lãnh đạo duyệt" takes along the sections edited in the
 * "Nội dung báo cáo" form but not saved yet, and the server saves them before sending, so pressing
 * it right after typing never loses the edit. The confirmation names those sections first.
 * The send form names the sections form in data-sends-sections; the CSP forbids inline scripts.
 */
(function () {
  "use strict";

  var send = document.querySelector("form[data-sends-sections]");
  var sections = send && document.getElementById(send.getAttribute("data-sends-sections"));
  if (!sections) {
    return;
  }
  var question = send.getAttribute("data-confirm") || "";

  function editedAreas() {
    return Array.prototype.filter.call(sections.querySelectorAll("textarea"), function (area) {
      return area.value !== area.defaultValue;
    });
  }

  function carry(name, value) {
    var input = document.createElement("input");
    input.type = "hidden";
    input.name = name;
    input.value = value;
    input.setAttribute("data-carried-section", "");
    send.appendChild(input);
  }

  function labelOf(area) {
    var label = sections.querySelector('label[for="' + area.id + '"]');
    return label ? label.textContent.trim() : area.name;
  }

  // A capture listener on window runs before portal.js's on document, which asks data-confirm.
  window.addEventListener("submit", function (event) {
    if (event.target !== send) {
      return;
    }
    send.querySelectorAll("[data-carried-section]").forEach(function (input) {
      input.remove();
    });
    var edited = editedAreas();
    if (!edited.length) {
      send.setAttribute("data-confirm", question);
      return;
    }
    edited.forEach(function (area) {
      carry(area.name, area.value);
      // The digest of the text the page loaded: the server saves the section only if it really changed.
      var digest = sections.querySelector('input[name="orig-' + area.name.replace(/^section-/, "") + '"]');
      if (digest) {
        carry(digest.name, digest.value);
      }
    });
    send.setAttribute(
      "data-confirm",
      "Các mục đã sửa nhưng chưa lưu: " + edited.map(labelOf).join("; ") + ".\n" +
        "Các mục này sẽ được lưu cùng khi trình. " + question
    );
  }, true);
})();
