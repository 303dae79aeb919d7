// Keep a visit being logged in this browser until it is saved: a coordinator in the field may lose
// the connection on submit. The draft is offered back when the form is opened again.
(() => {
  const form = document.querySelector("form[data-draft-key]");
  const saved = document.querySelector("[data-visit-saved]");
  if (saved) {
    Object.keys(localStorage).filter((k) => k.startsWith(saved.dataset.visitSaved)).forEach((k) => localStorage.removeItem(k));
    return;
  }
  if (!form) return;
  const key = form.dataset.draftKey;

  const collect = () => {
    const fields = {};
    for (const element of form.elements) {
      if (!element.name || element.type === "hidden" || element.name === "csrfmiddlewaretoken") continue;
      if (element.type === "checkbox") {
        if (element.checked) (fields[element.name] = fields[element.name] || []).push(element.value);
      } else if (element.value) {
        fields[element.name] = element.value;
      }
    }
    return fields;
  };

  const restore = (fields) => {
    for (const element of form.elements) {
      if (!element.name || !(element.name in fields)) continue;
      if (element.type === "checkbox") element.checked = fields[element.name].includes(element.value);
      else element.value = fields[element.name];
    }
  };

  const save = () => {
    const fields = collect();
    if (Object.keys(fields).length) localStorage.setItem(key, JSON.stringify({ savedAt: new Date().toISOString(), fields }));
  };

  const stored = localStorage.getItem(key);
  if (stored && !form.dataset.bound) {
    const draft = JSON.parse(stored);
    const offer = document.getElementById("draft-offer");
    document.getElementById("draft-time").textContent = new Date(draft.savedAt).toLocaleString(document.documentElement.lang);
    offer.hidden = false;
    document.getElementById("draft-restore").addEventListener("click", () => {
      restore(draft.fields);
      offer.hidden = true;
      form.querySelector("input:not([type=hidden]), textarea, select").focus();
    });
    document.getElementById("draft-discard").addEventListener("click", () => {
      localStorage.removeItem(key);
      offer.hidden = true;
    });
  }
  form.addEventListener("input", save);
  form.addEventListener("change", save);
})();
