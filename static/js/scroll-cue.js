// Wide tables and charts that scroll sideways say so: a shade on the side that has more, and a line
// naming the direction ("More columns to the right"), updated as the reader scrolls. Without JavaScript the
// boxes still scroll; they only lack the cue.
(function () {
  "use strict";
  function update(box) {
    var frame = box.parentElement;
    var more = box.scrollWidth - box.clientWidth;
    var right = more > 1 && box.scrollLeft < more - 1;
    var left = more > 1 && box.scrollLeft > 1;
    frame.classList.toggle("can-scroll-right", right);
    frame.classList.toggle("can-scroll-left", left);
  }
  function init() {
    document.querySelectorAll(".scroll-frame > .table-scroll, .scroll-frame > .chart-scroll").forEach(function (box) {
      update(box);
      box.addEventListener("scroll", function () { update(box); }, { passive: true });
      if ("ResizeObserver" in window) {
        new ResizeObserver(function () { update(box); }).observe(box);
      } else {
        window.addEventListener("resize", function () { update(box); });
      }
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
