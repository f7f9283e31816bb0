// Progressive enhancement only: every form works without this file.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("form[data-autosubmit]").forEach(function (form) {
    var select = form.querySelector("select");
    var button = form.querySelector("button[type=submit]");
    if (!select || !button) return;
    button.classList.add("visually-hidden");
    select.addEventListener("change", function () { form.submit(); });
  });
});
