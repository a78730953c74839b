// Progress for large employee-master files (社員マスタの取り込み).
// A form with data-upload-progress is sent with XMLHttpRequest so the page can show how
// much of the file has been sent, then that the server is checking it; the answer (the
// preview, or the problems found) replaces the page as a normal form post would.
// A form with data-busy-text (applying an import) shows that the work is under way and
// cannot be sent twice. Texts come from the page, in the user's language.
(function () {
  "use strict";
  function show(form, text, fraction) {
    var box = form.querySelector("[data-progress]");
    if (!box) return;
    box.hidden = false;
    var bar = box.querySelector("progress");
    if (fraction === null) {
      bar.removeAttribute("value");
    } else {
      bar.value = fraction;
    }
    box.querySelector("[data-progress-text]").textContent = text;
  }
  function submitButton(form) {
    return form.querySelector("button[type=submit]");
  }
  document.addEventListener("submit", function (ev) {
    var form = ev.target;
    if (form.hasAttribute("data-busy-text")) {
      if (form.dataset.sent) {
        ev.preventDefault();
        return;
      }
      form.dataset.sent = "1";
      show(form, form.dataset.busyText, null);
      return;
    }
    if (!form.hasAttribute("data-upload-progress") || !window.FormData) return;
    ev.preventDefault();
    var button = submitButton(form);
    if (button) button.disabled = true;
    var xhr = new XMLHttpRequest();
    xhr.open("POST", form.action);
    xhr.upload.addEventListener("progress", function (e) {
      if (!e.lengthComputable) return;
      var pct = Math.floor((e.loaded * 100) / e.total);
      show(form, form.dataset.uploadingText.replace("{pct}", pct), e.loaded / e.total);
    });
    xhr.upload.addEventListener("load", function () {
      show(form, form.dataset.checkingText, null);
    });
    xhr.addEventListener("load", function () {
      document.open();
      document.write(xhr.responseText);
      document.close();
    });
    xhr.addEventListener("error", function () {
      show(form, form.dataset.failedText, 0);
      if (button) button.disabled = false;
    });
    show(form, form.dataset.uploadingText.replace("{pct}", "0"), 0);
    xhr.send(new FormData(form));
  });
})();
