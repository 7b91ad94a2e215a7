// The page-clarity rating (the model's "cmp-rating"), as progressive enhancement: without
// this module the stars are posted with "Invia" and the follow-up question is asked on a page
// of its own; with it, the follow-up steps open in place and everything is posted at the end.
const POSITIVE_THRESHOLD = 3;

for (const form of document.querySelectorAll("form[data-feedback-form]")) {
  const steps = form.querySelector("[data-feedback-steps]");
  const stepOne = form.querySelector('[data-feedback-step="1"]');
  const stepTwo = form.querySelector('[data-feedback-step="2"]');
  const positive = form.querySelector('[data-element="feedback-rating-positive"]');
  const negative = form.querySelector('[data-element="feedback-rating-negative"]');
  const next = form.querySelector("[data-feedback-next]");
  const back = form.querySelector("[data-feedback-back]");
  const done = form.querySelector("[data-feedback-done]");
  const errorBox = form.querySelector("[data-feedback-error]");
  const errorText = form.querySelector("[data-feedback-error-text]");
  const submission = form.querySelector("[data-feedback-submission]");
  let step = 0;

  form.querySelector("[data-feedback-nojs]").hidden = true;

  const rating = () => Number(form.querySelector('input[name="rating"]:checked')?.value || 0);

  function show(newStep) {
    step = newStep;
    steps.hidden = step === 0;
    stepOne.hidden = step !== 1;
    stepTwo.hidden = step !== 2;
  }

  // Choosing (or changing) the stars restarts the flow at the matching follow-up question.
  for (const star of form.querySelectorAll('input[name="rating"]')) {
    star.addEventListener("change", () => {
      const isPositive = rating() > POSITIVE_THRESHOLD;
      positive.hidden = !isPositive;
      negative.hidden = isPositive;
      for (const answer of form.querySelectorAll('input[name="answer"]')) {
        answer.checked = false;
      }
      errorBox.hidden = true;
      show(1);
    });
  }

  back.addEventListener("click", () => {
    if (step === 2) {
      show(1);
    } else {
      for (const star of form.querySelectorAll('input[name="rating"]')) {
        star.checked = false;
      }
      show(0);
      form.querySelector('input[name="rating"]').focus();
    }
  });

  next.addEventListener("click", async () => {
    if (step === 1) {
      show(2);
      form.querySelector('[data-element="feedback-input-text"]').focus();
      return;
    }
    // A retried or double-clicked send keeps its identifier: the server stores it once.
    if (!submission.value) {
      submission.value = crypto.randomUUID();
    }
    const body = new FormData(form);
    body.set("final", "on");
    next.disabled = true;
    try {
      const response = await fetch(form.action, {
        method: "POST",
        body,
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
      const result = await response.json();
      if (!response.ok || !result.ok) {
        throw new Error(result.error || response.statusText);
      }
      form.querySelector(".feedback-step-rating").hidden = true;
      steps.hidden = true;
      errorBox.hidden = true;
      done.hidden = false;
      done.focus();
    } catch (error) {
      errorText.textContent = error.message;
      errorBox.hidden = false;
    } finally {
      next.disabled = false;
    }
  });
}
