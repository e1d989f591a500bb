// Candour's only script, and only an enhancement: the form works the same without it.
// It turns the form's length hint into a live count of questions answered, announced politely.
// It stores nothing and sends nothing.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  var hint = document.getElementById("form-progress");
  var form = document.querySelector("form[method=post]");
  if (!hint || !form) return;
  var template = hint.getAttribute("data-progress");
  var total = hint.getAttribute("data-total");
  hint.setAttribute("aria-live", "polite");
  hint.classList.add("live");
  function update() {
    var answered = {};
    var fields = form.querySelectorAll("input[type=radio], input[type=checkbox], textarea");
    for (var i = 0; i < fields.length; i++) {
      var f = fields[i];
      if ((f.type === "radio" || f.type === "checkbox") ? f.checked : f.value.trim() !== "") {
        answered[f.name] = true;
      }
    }
    hint.textContent = template.replace("{answered}", String(Object.keys(answered).length))
                               .replace("{total}", total);
  }
  form.addEventListener("change", update);
  form.addEventListener("input", update);
  update();
});
