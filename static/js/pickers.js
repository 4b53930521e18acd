// Search-as-you-type pickers (ORG-02, DSH-03). A <select data-picker="/pickers/customers/?…">
// holds only the chosen option(s); Tom Select asks the endpoint for at most 20 matches as the
// user types. data-picker-depends="customer=#id_customer" adds the value of another field to
// each request (a contact picker follows the chosen customer) and clears the picker when that
// field changes. The server checks the chosen id again against the same scoped list.
(function () {
  "use strict";
  if (typeof window.TomSelect !== "function") { return; }

  function dependencies(select) {
    return (select.dataset.pickerDepends || "").split(",").filter(Boolean).map(function (pair) {
      var parts = pair.split("=");
      return { param: parts[0], field: document.querySelector(parts[1]) };
    });
  }

  function message(text) {
    var div = document.createElement("div");
    div.className = "no-results";
    div.textContent = text;
    return div;
  }

  function setUp(select) {
    if (select.tomselect) { return; }
    var depends = dependencies(select);
    var none = select.dataset.pickerNone || "";
    var picker = new window.TomSelect(select, {
      valueField: "id",
      labelField: "text",
      searchField: [],
      maxOptions: null,
      preload: "focus",
      loadThrottle: 250,
      allowEmptyOption: true,
      closeAfterSelect: true,
      hidePlaceholder: false,
      plugins: select.multiple ? ["remove_button"] : [],
      // The server already ordered and filtered: keep every option it sent, in its order.
      score: function () { return function () { return 1; }; },
      shouldLoad: function () { return true; },
      load: function (query, callback) {
        var self = this;
        var url = new URL(select.dataset.picker, window.location.href);
        url.searchParams.set("q", query);
        for (var i = 0; i < depends.length; i += 1) {
          var field = depends[i].field;
          if (!field || !field.value) { callback([]); return; }
          url.searchParams.set(depends[i].param, field.value);
        }
        fetch(url.toString(), { headers: { Accept: "application/json" }, credentials: "same-origin" })
          .then(function (response) { return response.ok ? response.json() : { results: [] }; })
          .then(function (data) {
            self.clearOptions();
            callback(data.results || []);
          })
          .catch(function () { callback([]); });
      },
      render: {
        no_results: function () { return message(none); },
      },
    });
    depends.forEach(function (dependency) {
      if (!dependency.field) { return; }
      dependency.field.addEventListener("change", function () {
        picker.clear(true);
        picker.clearOptions();
        picker.loadedSearches = {};
        picker.settings.preload = "focus";
        picker.wrapper.classList.remove("preloaded");
      });
    });
  }

  function setUpAll(root) {
    root.querySelectorAll("select[data-picker]").forEach(setUp);
  }

  setUpAll(document);
  document.body.addEventListener("htmx:load", function (event) { setUpAll(event.detail.elt.parentNode || document); });
})();
