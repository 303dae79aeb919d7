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

  // Translated fields (modeltranslation's language tabs): each language's text keeps its own direction,
  // so the English tab reads left to right in the Hebrew admin and the Hebrew one right to left.
  function directTranslations(root) {
    root.querySelectorAll("input.mt, textarea.mt").forEach(function (field) {
      if (!field.hasAttribute("dir")) field.dir = "auto";
    });
  }

  // jQuery UI makes each language tab's <li> the control (role "tab", keyboard and all); the link inside
  // it would be a control nested in a control, so it loses its href: the tab finds its panel through
  // aria-controls, and jQuery UI is told that a tab without a link is a local one (not loaded by ajax).
  // modeltranslation's language switch beside the heading gets a name.
  function accessibleTabs(root) {
    var jq = window.django && window.django.jQuery;
    var tabs = jq && jq.ui && jq.ui.tabs;
    if (!tabs) return;
    if (!tabs.prototype.portalLinkless) {
      var isLocal = tabs.prototype._isLocal;
      tabs.prototype._isLocal = function (anchor) {
        return !anchor.hasAttribute("href") || isLocal.call(this, anchor);
      };
      tabs.prototype.portalLinkless = true;
    }
    root.querySelectorAll(".ui-tabs-nav li[role=tab] > a[href]").forEach(function (link) {
      link.removeAttribute("href");
    });
    var select = document.getElementById("modeltranslation-main-switch");
    var label = document.getElementById("portal-language-switch-label");
    if (select && label && !select.hasAttribute("aria-labelledby")) {
      select.setAttribute("aria-labelledby", label.id);
    }
  }

  function fix() {
    nameComboboxes(document);
    focusableScrollers(document);
    directTranslations(document);
    accessibleTabs(document);
  }

  window.addEventListener("load", fix);
  document.addEventListener("formset:added", function () { window.setTimeout(fix, 0); });
  // Select2 and the language tabs are built when jQuery is ready, which can come after the load event:
  // mend them as they appear (a mutation observer runs before any other script can look at the page).
  if (window.MutationObserver) {
    new MutationObserver(function () {
      nameComboboxes(document);
      accessibleTabs(document);
    }).observe(document.documentElement, { childList: true, subtree: true, attributeFilter: ["role"] });
  }
  window.addEventListener("resize", function () { focusableScrollers(document); });
})();
