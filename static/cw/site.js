/* Behaviour every page may use, declared in the markup (the Content-Security-Policy allows no inline
   scripts, event-handler attributes or style attributes):
   data-print            a button that prints the page
   data-autosubmit       a <select> that submits its form when changed
   data-action-field     a form whose action is the value of that field + data-action-suffix
   data-width="N"        an element N % wide (bars)
   data-left="N"         an element placed at N % from the left (timeline marks; centred, 10 px wide)
   data-text-size        the large-text toggle (aria-pressed): keeps cw_text=large in a cookie for a year
   Applied on load and to content htmx swaps in. */
(function () {
  "use strict";

  function apply(root) {
    root.querySelectorAll("[data-width]").forEach(function (el) { el.style.width = (parseFloat(el.dataset.width) || 0) + "%"; });
    root.querySelectorAll("[data-left]").forEach(function (el) { el.style.left = "calc(" + (parseFloat(el.dataset.left) || 0) + "% - 5px)"; });
  }

  function toggleTextSize(button) {
    var large = button.getAttribute("aria-pressed") !== "true";
    document.cookie = "cw_text=" + (large ? "large; max-age=31536000" : "; max-age=0") + "; path=/; SameSite=Lax";
    document.documentElement.classList.toggle("text-large", large);
    button.setAttribute("aria-pressed", large ? "true" : "false");
  }

  document.addEventListener("click", function (e) {
    if (e.target.closest("[data-print]")) window.print();
    var size = e.target.closest("[data-text-size]");
    if (size) toggleTextSize(size);
  });
  document.addEventListener("change", function (e) {
    var el = e.target;
    if (el.matches && el.matches("select[data-autosubmit]") && el.form) el.form.submit();
  });
  document.addEventListener("submit", function (e) {
    var form = e.target, field = form.dataset && form.dataset.actionField;
    if (field && form.elements[field]) form.action = form.elements[field].value + (form.dataset.actionSuffix || "");
  });
  document.addEventListener("DOMContentLoaded", function () { apply(document); });
  document.addEventListener("htmx:load", function (e) { apply(e.detail.elt); });
})();
