// キャリアシート: autosave of what is being typed, so nothing is lost when a tab closes.
// Changes are sent as a draft a moment after typing stops, and once more (with
// sendBeacon) when the page is hidden or closed. Saving the sheet itself is a normal
// form post; the draft is then discarded on the server.
(function () {
  "use strict";
  var form = document.querySelector("form[data-autosave]");
  if (!form || !window.fetch) return;
  var url = form.dataset.autosave;
  var status = form.querySelector("[data-autosave-status]");
  var dirty = false;
  var submitting = false;
  var timer = null;
  function body() {
    return new URLSearchParams(new FormData(form));
  }
  function now() {
    var d = new Date();
    return ("0" + d.getHours()).slice(-2) + ":" + ("0" + d.getMinutes()).slice(-2);
  }
  function send() {
    timer = null;
    if (!dirty || submitting) return;
    dirty = false;
    fetch(url, { method: "POST", body: body(), credentials: "same-origin" })
      .then(function (r) {
        if (!r.ok) throw new Error(String(r.status));
        status.textContent = form.dataset.autosavedText.replace("{time}", now());
      })
      .catch(function () {
        dirty = true;
        status.textContent = form.dataset.autosaveFailedText;
      });
  }
  form.addEventListener("input", function () {
    dirty = true;
    if (timer) clearTimeout(timer);
    timer = setTimeout(send, 1200);
  });
  form.addEventListener("submit", function () {
    submitting = true;
  });
  function flush() {
    if (!dirty || submitting || !navigator.sendBeacon) return;
    if (navigator.sendBeacon(url, body())) dirty = false;
  }
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") flush();
  });
  window.addEventListener("pagehide", flush);
})();
