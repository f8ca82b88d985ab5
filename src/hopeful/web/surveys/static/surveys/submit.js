// Progressive enhancement of "Send my answers": the form works without JavaScript; with it,
// a dropped connection is retried automatically with the same form (and so the same
// client_uuid, which the server stores once), and the family is told what is happening.
(function () {
  "use strict";
  var form = document.querySelector("form[data-retry]");
  if (!form || !window.fetch || !window.FormData) { return; }
  var status = document.getElementById("send-status");
  var button = form.querySelector("button[type=submit]");
  function say(text) { if (status) { status.hidden = false; status.textContent = text; } }
  function wait(ms) { return new Promise(function (done) { setTimeout(done, ms); }); }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (button) { button.disabled = true; }
    var body = new URLSearchParams(new FormData(form));
    say(form.dataset.sending);
    var attempt = 0;
    function send() {
      return fetch(form.action, {
        method: "POST", body: body, credentials: "same-origin", redirect: "follow"
      }).then(function (response) {
        if (response.redirected && response.ok) {
          window.location.assign(response.url);
          return;
        }
        // The server answered with a page (a problem it explains): show it the plain way.
        form.submit();
      }, function () {
        attempt += 1;
        if (attempt > 6) {
          say(form.dataset.failed);
          if (button) { button.disabled = false; }
          return;
        }
        say(form.dataset.retrying);
        return wait(Math.min(500 * Math.pow(2, attempt), 8000)).then(send);
      });
    }
    send();
  });
})();
