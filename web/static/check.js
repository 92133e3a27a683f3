// Self-check page: ask POST /api/check as the user types (debounced) and show the verdict.
(function () {
  "use strict";
  const DELAY_MS = 350;
  const target = document.getElementById("target");
  const answer = document.getElementById("answer");
  const out = {
    verdict: document.getElementById("verdict"),
    interpreted: document.getElementById("interpreted"),
    reference: document.getElementById("reference"),
    explanation: document.getElementById("explanation"),
    interpretedMath: document.getElementById("interpreted-math"),
    referenceMath: document.getElementById("reference-math"),
    notes: document.getElementById("notes"),
  };
  const MATHML_ONLY = /^<math[\s>]/;
  const csrfMeta = document.querySelector('meta[name="csrf-token"]');
  const csrf = csrfMeta ? csrfMeta.getAttribute("content") : "";
  const form = document.getElementById("check-form");
  form.addEventListener("submit", function (event) { event.preventDefault(); });

  function showMath(el, mathml) {
    // The server sends MathML rebuilt from an allow-list of MathML elements with all text escaped
    // (grader.reports.mathml); anything else is ignored and only the source is shown.
    el.innerHTML = mathml && MATHML_ONLY.test(mathml) && !/<(?!\/?(?:m[a-z]*|semantics|annotation)[\s>])/i.test(mathml) ? mathml : "";
  }
  const TONES = { correct: "good", incorrect: "bad", partial: "warn", unparseable: "warn", timeout: "warn" };
  let timer = null;
  let seq = 0;

  function show(verdict, tone, interpreted, reference, explanation, body) {
    // textContent for everything typed or explained: never parsed as HTML.
    out.verdict.textContent = verdict;
    out.verdict.className = "verdict tone-" + tone;
    out.interpreted.textContent = interpreted || "—";
    out.reference.textContent = reference || (body && body.reference_shown === false ? form.dataset.hiddenText : "—");
    out.explanation.textContent = explanation || "—";
    out.notes.textContent = (body && body.course_notes) || "—";
    showMath(out.interpretedMath, body && body.interpreted_mathml);
    showMath(out.referenceMath, body && body.reference_mathml);
  }

  async function check() {
    const text = answer.value;
    if (!text.trim()) {
      show("type an answer", "none", "", "", "");
      return;
    }
    const mine = ++seq;
    out.verdict.textContent = "checking…";
    try {
      const response = await fetch("/api/check", {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRF-Token": csrf },
        credentials: "same-origin",
        body: JSON.stringify({ target: target.value, answer: text }),
      });
      const body = await response.json();
      if (mine !== seq) return; // a newer request is on its way
      if (!response.ok) {
        const err = body.error || {};
        show("error " + response.status, "bad", "", "", err.message || "request failed");
        return;
      }
      show(body.verdict, TONES[body.verdict] || "none", body.interpreted, body.reference, body.explanation, body);
    } catch (e) {
      if (mine === seq) show("offline", "warn", "", "", "could not reach the server");
    }
  }

  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(check, DELAY_MS);
  }
  answer.addEventListener("input", schedule);
  target.addEventListener("change", schedule);
})();
