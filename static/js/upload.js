// File uploads with a progress bar. Without JavaScript the form posts as usual and the
// server answers with the page and its error summary; with it, the page stays as it is
// (nothing typed is lost) and errors from the server are shown above the form.
const forms = document.querySelectorAll("form[data-upload-progress]");

function showErrors(form, items) {
  const box = form.querySelector(".upload-errors");
  const title = document.createElement("h2");
  title.className = "h5";
  title.textContent = form.dataset.errorTitle || "";
  const list = document.createElement("ul");
  list.className = "mb-0";
  for (const item of items) {
    const li = document.createElement("li");
    li.textContent = item;
    list.append(li);
  }
  box.replaceChildren(title, list);
  box.classList.add("alert", "alert-danger");
  box.hidden = false;
  box.focus();
}

for (const form of forms) {
  form.addEventListener("submit", (event) => {
    const input = form.querySelector('input[type="file"]');
    if (!input || input.files.length === 0) {
      return; // the server explains what is missing
    }
    event.preventDefault();
    const progress = form.querySelector(".upload-progress");
    const button = form.querySelector('button[type="submit"]');
    const request = new XMLHttpRequest();
    request.open("POST", form.action || window.location.href);
    request.setRequestHeader("X-Requested-With", "XMLHttpRequest");
    request.upload.addEventListener("progress", (e) => {
      if (e.lengthComputable) {
        progress.value = Math.round((e.loaded * 100) / e.total);
      }
    });
    const fail = (messages) => {
      progress.hidden = true;
      button.disabled = false;
      input.classList.add("is-invalid");
      input.setAttribute("aria-invalid", "true");
      showErrors(form, messages);
    };
    request.addEventListener("load", () => {
      let data = null;
      try {
        data = JSON.parse(request.responseText);
      } catch {
        data = null;
      }
      if (data && data.ok) {
        const target = new URL(data.redirect, window.location.href);
        if (target.pathname === window.location.pathname && target.search === window.location.search) {
          // Same page (e.g. back to #photos): assigning would only scroll, so reload.
          window.location.hash = target.hash;
          window.location.reload();
        } else {
          window.location.assign(target);
        }
      } else if (data && data.errors) {
        fail(data.errors.flatMap((e) => e.messages.map((m) => (e.label ? `${e.label}: ${m}` : m))));
      } else {
        fail([form.dataset.networkError || ""]);
      }
    });
    request.addEventListener("error", () => fail([form.dataset.networkError || ""]));
    progress.value = 0;
    progress.hidden = false;
    button.disabled = true;
    request.send(new FormData(form));
  });
}
