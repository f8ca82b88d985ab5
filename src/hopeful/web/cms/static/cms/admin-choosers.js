/* The CMS admin under HOPEful's Content-Security-Policy (no inline scripts):
   - Wagtail's date and time widgets start their pickers from an inline script; our widget
     templates (cms/templates/wagtailadmin/widgets/) leave the same call's arguments as JSON
     instead, and this file makes the call;
   - wagtail-localize's translation editor reads the choosers' addresses from an inline
     script: they come from this script tag's data attributes instead (wagtail_hooks.py);
   - its "translate" form's "select all" box is wired here. */
(function () {
  "use strict";
  var me = document.currentScript;
  if (me && typeof window.chooserUrls === "undefined") {
    window.chooserUrls = {
      imageChooser: me.dataset.imageChooser,
      documentChooser: me.dataset.documentChooser,
      pageChooser: me.dataset.pageChooser,
    };
  }
  document.addEventListener("change", function (event) {
    var box = event.target;
    if (!box || box.name !== "select_all") { return; }
    document.querySelectorAll('[name="locales"]').forEach(function (locale) { locale.checked = box.checked; });
  });
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
