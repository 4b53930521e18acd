// The contact change request: a running total of the new shares. A hint only: the server checks
// the 100 % rule.
(function () {
  "use strict";
  var form = document.getElementById("change-request-form");
  var out = document.getElementById("new-total");
  if (!form || !out) { return; }
  var label = out.dataset.label;
  function update() {
    var total = 0;
    form.querySelectorAll("input[name^='share_']").forEach(function (input) {
      var remove = form.querySelector("input[name='remove_" + input.name.slice(6) + "']");
      if (!(remove && remove.checked)) { total += parseFloat(input.value || "0"); }
    });
    form.querySelectorAll("input[name$='_share'][name^='add_']").forEach(function (input) { total += parseFloat(input.value || "0"); });
    out.textContent = label + ": " + total.toFixed(2) + " %";
    out.classList.toggle("text-danger", Math.abs(total - 100) > 0.001 && total !== 0);
  }
  form.addEventListener("input", update);
  update();
})();
