// Behaviour shared by every page, wired through data attributes: the Content-Security-Policy
// allows no inline script or event handler (onclick=, onchange=), so templates declare what they
// want and this file does it.
(function () {
  "use strict";

  // <select data-submit-on-change>: choosing an option submits its form (the language switch).
  document.addEventListener("change", function (event) {
    var select = event.target.closest("[data-submit-on-change]");
    if (select && select.form) { select.form.requestSubmit ? select.form.requestSubmit() : select.form.submit(); }
  });

  // <button data-confirm="Really?">: asks before the button does anything.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-confirm]");
    if (button && !window.confirm(button.dataset.confirm)) { event.preventDefault(); }
  }, true);

  // <button data-copy-from="#id" data-copied-label="Copied">: copies that field's value.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy-from]");
    if (!button) { return; }
    var field = document.querySelector(button.dataset.copyFrom);
    if (!field) { return; }
    field.select();
    var done = function () { if (button.dataset.copiedLabel) { button.textContent = button.dataset.copiedLabel; } };
    if (navigator.clipboard) { navigator.clipboard.writeText(field.value).then(done); } else { document.execCommand("copy"); done(); }
  });

  // <input data-select-on-click>: one click selects the whole value (links, keys).
  document.addEventListener("click", function (event) {
    var field = event.target.closest("[data-select-on-click]");
    if (field) { field.select(); }
  });

  // <input type="checkbox" data-check-all=".selector">: ticks or clears every matching box.
  document.addEventListener("change", function (event) {
    var master = event.target.closest("[data-check-all]");
    if (!master) { return; }
    document.querySelectorAll(master.dataset.checkAll).forEach(function (box) { box.checked = master.checked; });
  });

  // <select data-reload-with="param">: reloads the page with the choice in the address (so the
  // form can offer what depends on it), unless the main text has been typed already.
  document.addEventListener("change", function (event) {
    var select = event.target.closest("[data-reload-with]");
    if (!select) { return; }
    var guard = select.dataset.reloadUnless && document.querySelector(select.dataset.reloadUnless);
    if (guard && guard.value) { return; }
    var url = new URL(window.location.href);
    url.searchParams.set(select.dataset.reloadWith, select.value);
    window.location.href = url.toString();
  });

  // Bootstrap progress bars: the width comes from aria-valuenow/aria-valuemax (a style=""
  // attribute would be blocked by the policy; setting it from script is allowed).
  function fillProgress(root) {
    root.querySelectorAll(".progress[aria-valuenow]").forEach(function (progress) {
      var bar = progress.querySelector(".progress-bar");
      var max = Number(progress.getAttribute("aria-valuemax")) || 1;
      var now = Number(progress.getAttribute("aria-valuenow")) || 0;
      if (bar) { bar.style.width = Math.min(100, Math.max(0, (100 * now) / max)) + "%"; }
    });
  }
  fillProgress(document);
  document.body.addEventListener("htmx:load", function (event) { fillProgress(event.detail.elt.parentNode || document); });
})();
