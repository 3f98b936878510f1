/*
 * The consolidated report's outline page: "Thêm mục" adds a blank section (a copy of the formset's
 * empty form kept in a <template>), and ▲/▼ move a section, renumbering every "Thứ tự" field so
 * the server saves the order shown. Without JavaScript the order numbers still work.
 * The CSP forbids inline scripts, so the page declares these with data-attributes.
 */
(function () {
  "use strict";

  var list = document.querySelector("[data-outline-sections]");
  var form = list && list.closest("form");
  if (!form) {
    return;
  }
  var total = form.querySelector('input[name$="-TOTAL_FORMS"]');

  function sections() {
    return Array.prototype.slice.call(list.querySelectorAll("[data-outline-section]"));
  }

  function renumber() {
    sections().forEach(function (section, index) {
      var order = section.querySelector('input[name$="-ORDER"]');
      if (order) {
        order.value = index + 1;
      }
    });
  }

  function showMoveButtons(root) {
    root.querySelectorAll("[data-outline-move-buttons]").forEach(function (group) {
      group.hidden = false;
    });
  }

  list.addEventListener("click", function (event) {
    var button = event.target.closest("[data-outline-move]");
    if (!button) {
      return;
    }
    var section = button.closest("[data-outline-section]");
    if (button.getAttribute("data-outline-move") === "up" && section.previousElementSibling) {
      list.insertBefore(section, section.previousElementSibling);
    } else if (button.getAttribute("data-outline-move") === "down" && section.nextElementSibling) {
      list.insertBefore(section.nextElementSibling, section);
    } else {
      return;
    }
    renumber();
    button.focus();
  });

  var add = form.querySelector("[data-outline-add]");
  var blank = add && document.getElementById(add.getAttribute("data-outline-add"));
  if (add && blank && total) {
    add.hidden = false;
    add.addEventListener("click", function () {
      var index = parseInt(total.value, 10);
      var holder = document.createElement("div");
      holder.innerHTML = blank.innerHTML.replace(/__prefix__/g, String(index));
      var section = holder.firstElementChild;
      list.appendChild(section);
      total.value = index + 1;
      showMoveButtons(section);
      section.querySelector('textarea[name$="-heading"]').focus();
    });
  }
  showMoveButtons(list);
})();
