/* Autosave for worksheet forms: saves a few seconds after the last change and says so.
   Without JavaScript the Save button does the same; the server answers both the same way. */
(function () {
  "use strict";
  var form = document.querySelector("form[data-autosave-url]");
  if (!form || !window.fetch || !window.FormData) { return; }
  var status = document.getElementById("save-status");
  var version = form.querySelector("input[name=base_version]");
  var DELAY = 2500;
  var timer = null;
  var inFlight = false;
  var again = false;
  var stopped = false;
  var submitWhenDone = false;

  function say(text, state) {
    status.textContent = text;
    status.setAttribute("data-state", state || "");
  }

  function schedule() {
    if (stopped) { return; }
    window.clearTimeout(timer);
    timer = window.setTimeout(save, DELAY);
  }

  function finished() {
    inFlight = false;
    if (submitWhenDone) { submitWhenDone = false; form.submit(); return; }
    if (again) { again = false; schedule(); }
  }

  function save() {
    if (inFlight) { again = true; return; }
    inFlight = true;
    say(status.getAttribute("data-saving"), "saving");
    fetch(form.getAttribute("data-autosave-url"), {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: { "Accept": "application/json" }
    }).then(function (response) {
      return response.json().then(function (data) { return { code: response.status, data: data }; });
    }).then(function (result) {
      if (result.data.ok) {
        version.value = result.data.version;
        say(result.data.message, "saved");
        var diagram = document.getElementById("worksheet-diagram");
        if (diagram && typeof result.data.diagram === "string") { diagram.innerHTML = result.data.diagram; }
      } else {
        say(result.data.message, "error");
        if (result.code === 409 || result.code === 422 || result.code === 403) { stopped = true; }
      }
    }).catch(function () {
      say(status.getAttribute("data-failed"), "error");
    }).then(finished);
  }

  form.addEventListener("input", schedule);
  form.addEventListener("change", schedule);
  form.addEventListener("submit", function (event) {
    window.clearTimeout(timer);
    stopped = true;
    if (inFlight) { event.preventDefault(); submitWhenDone = true; }
  });
})();
