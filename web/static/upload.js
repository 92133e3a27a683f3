// Upload form: refuse, before sending, a selection over the server's cap (the server checks again).
(function () {
  "use strict";
  const form = document.getElementById("upload-form");
  if (!form) return;
  const cap = Number(form.dataset.cap);
  const maxFiles = Number(form.dataset.maxFiles);
  const error = document.getElementById("upload-error");
  form.addEventListener("submit", function (event) {
    const files = Array.from(document.getElementById("files").files || []);
    const text = document.getElementById("text").value || "";
    const total = files.reduce((sum, f) => sum + f.size, 0) + new Blob([text]).size;
    let message = "";
    if (files.length > maxFiles) message = "Choose at most " + maxFiles + " files per submission.";
    else if (total > cap) message = "These files are over the " + form.dataset.capText + " limit of one submission; upload them separately.";
    else if (!files.length && !text.trim()) message = "Choose a file or paste a transcript.";
    if (message) {
      event.preventDefault();
      error.textContent = message;
      error.hidden = false;
    }
  });
})();
