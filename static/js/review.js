// The review page's rubric from the keyboard: on a criterion, a level's number chooses it and moves on to the
// next criterion; Enter moves on too (instead of submitting the form, which would approve by accident).
// The "n of m criteria scored" line follows the choices. Without JavaScript the form works the same way.
(function () {
  "use strict";
  var panel = document.querySelector(".review-panel");
  if (!panel) { return; }
  var criteria = Array.prototype.slice.call(panel.querySelectorAll("fieldset.rubric-criterion"));
  var progress = panel.querySelector(".rubric-progress");
  var template = progress ? progress.textContent : "";

  function focusCriterion(index) {
    var criterion = criteria[index];
    if (!criterion) {
      var comment = document.getElementById("comment");
      if (comment) { comment.focus(); }
      return;
    }
    var target = criterion.querySelector("input[type=radio]:checked") || criterion.querySelector("input[type=radio]");
    if (target) {
      target.focus();
      criterion.scrollIntoView({ block: "nearest" });
    }
  }

  function updateProgress() {
    var scored = 0;
    criteria.forEach(function (criterion) {
      var chosen = criterion.querySelector("input[type=radio]:checked") !== null;
      criterion.classList.toggle("scored", chosen);
      if (chosen) { scored += 1; }
    });
    if (!progress) { return; }
    // The line was rendered with the server's count; only its first number changes.
    progress.textContent = template.replace(/\d+/, String(scored));
    progress.classList.toggle("complete", scored === criteria.length);
  }

  criteria.forEach(function (criterion, index) {
    criterion.addEventListener("keydown", function (event) {
      if (event.target.type !== "radio" || event.altKey || event.ctrlKey || event.metaKey) { return; }
      if (event.key === "Enter") {
        event.preventDefault();
        focusCriterion(index + 1);
        return;
      }
      var level = parseInt(event.key, 10);
      var option = isNaN(level) ? null : criterion.querySelector("input[type=radio][value='" + level + "']");
      if (option) {
        event.preventDefault();
        option.checked = true;
        option.dispatchEvent(new Event("change", { bubbles: true }));
        focusCriterion(index + 1);
      }
    });
    criterion.addEventListener("change", updateProgress);
  });
  template = progress ? progress.textContent : "";
  updateProgress();
}());
