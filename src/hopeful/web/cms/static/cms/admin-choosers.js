/* The CMS admin under HOPEful's Content-Security-Policy (no inline scripts): Wagtail's date
   and time widgets start their pickers from an inline script; our widget templates
   (cms/templates/wagtailadmin/widgets/) leave the same call's arguments as JSON instead,
   and this file makes the call. */
(function () {
  "use strict";
  var starters = { date: "initDateChooser", datetime: "initDateTimeChooser", time: "initTimeChooser" };
  function start(root) {
    root.querySelectorAll("script[data-hopeful-chooser]:not([data-started])").forEach(function (node) {
      var fn = window[starters[node.dataset.hopefulChooser]];
      if (typeof fn !== "function") { return; }
      node.dataset.started = "1";
      fn(node.dataset.for, JSON.parse(node.textContent || "{}"));
    });
  }
  document.addEventListener("DOMContentLoaded", function () { start(document); });
  // Dialogs and panels the admin adds later (scheduling, choosers) bring their own widgets.
  new MutationObserver(function () { start(document); }).observe(document.documentElement, { childList: true, subtree: true });
})();
