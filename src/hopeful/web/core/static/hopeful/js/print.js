// Progressive enhancement: show the "Print this form" buttons and make them print.
// Without JavaScript the page still says how to print with the browser's own command.
"use strict";
document.querySelectorAll("[data-print]").forEach(function (button) {
  button.hidden = false;
  button.addEventListener("click", function () {
    window.print();
  });
});
