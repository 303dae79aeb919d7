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

// After a quick update replaces a goal card, keep the keyboard where the person was working.
document.addEventListener("htmx:afterSwap", (event) => {
  const card = event.detail.target && event.detail.target.id
    ? document.getElementById(event.detail.target.id)
    : null;
  const title = card && card.querySelector(".goal-card__title");
  if (title) title.focus();
});
