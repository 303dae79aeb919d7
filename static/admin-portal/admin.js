// The portal's additions to Django's admin (served from our static files: the CSP allows no inline script).
"use strict";
(function () {
  // Autocomplete selects (select2) render a combobox named only by its current value: empty when
  // nothing is chosen. Name it by the field's label as well.
  function nameComboboxes(root) {
    root.querySelectorAll("select.admin-autocomplete").forEach(function (select) {
      var label = document.querySelector('label[for="' + select.id + '"]');
      var box = select.parentElement.querySelector(".select2-selection[role=combobox]");
      if (!label || !box) return;
      if (!label.id) label.id = select.id + "_label";
      var current = box.getAttribute("aria-labelledby") || "";
      if (current.split(" ").indexOf(label.id) === -1) {
        box.setAttribute("aria-labelledby", (label.id + " " + current).trim());
      }
      // The shown value is a read-only textbox of its own: it carries the label too.
      var shown = box.querySelector(".select2-selection__rendered[role=textbox]");
      if (shown && !shown.hasAttribute("aria-labelledby")) shown.setAttribute("aria-labelledby", label.id);
    });
  }

  // An inline group wider than the screen scrolls: make it reachable by keyboard, named by its heading.
  function focusableScrollers(root) {
    root.querySelectorAll(".inline-group").forEach(function (group) {
      if (group.scrollWidth > group.clientWidth + 1 && !group.hasAttribute("tabindex")) {
        var heading = group.querySelector("h2");
        group.tabIndex = 0;
        group.setAttribute("role", "region");
        if (heading) group.setAttribute("aria-label", heading.textContent.trim());
      }
    });
  }

  function fix() {
    nameComboboxes(document);
    focusableScrollers(document);
  }

  window.addEventListener("load", fix);
  document.addEventListener("formset:added", function () { window.setTimeout(fix, 0); });
  window.addEventListener("resize", function () { focusableScrollers(document); });
})();
