// The small amount of behaviour the pages need; everything works without it.
document.documentElement.classList.add("js");

document.addEventListener("DOMContentLoaded", () => {
  const toggle = document.querySelector(".main-nav__toggle");
  if (toggle) {
    const list = document.getElementById(toggle.getAttribute("aria-controls"));
    toggle.addEventListener("click", () => {
      const open = toggle.getAttribute("aria-expanded") === "true";
      toggle.setAttribute("aria-expanded", String(!open));
      list.classList.toggle("is-open", !open);
    });
    document.addEventListener("keydown", (event) => {
      if (event.key === "Escape" && toggle.getAttribute("aria-expanded") === "true") {
        toggle.setAttribute("aria-expanded", "false");
        list.classList.remove("is-open");
        toggle.focus();
      }
    });
  }
});

// Keep the keyboard where the person is working when htmx swaps in new content: into a quick
// form's first field when it opens, onto the goal's title (or the first error) when the card comes back.
document.addEventListener("htmx:load", (event) => {
  const element = event.detail.elt;
  if (!element.matches) return;
  if (element.matches("form.progress-form")) {
    element.querySelector("select, input:not([type=hidden])").focus();
  } else if (element.matches(".goal-card")) {
    // After a refused save, straight to the first field to correct; after a saved one, the title.
    const target = element.querySelector("[aria-invalid=true]") || element.querySelector(".goal-card__title");
    if (target) target.focus();
  }
});
