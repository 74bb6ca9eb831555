// The browser chat's behaviour (app.py puts this file in the page's <head>).
(function () {
  "use strict";

  // Clicking an [n] in an answer opens its source in the panel and shows it, flashing.
  // Only the panel's own scroll box and the window are scrolled (never scrollIntoView, which
  // also scrolls Gradio's overflow-hidden containers, leaving the page stuck off its top).
  function showSource(target) {
    target.open = true;
    var box = target.closest(".sources-scroll");
    if (box) {
      var offset = target.getBoundingClientRect().top - box.getBoundingClientRect().top;
      box.scrollTop += offset - 8;
    }
    var rect = target.getBoundingClientRect();
    var margin = 16;
    if (rect.top < margin || rect.bottom > window.innerHeight - margin) {
      var room = window.innerHeight - rect.height;
      window.scrollBy({ top: rect.top - Math.max(margin, room / 2), behavior: "instant" });
    }
    target.classList.remove("flash");
    void target.offsetWidth;
    target.classList.add("flash");
    setTimeout(function () { target.classList.remove("flash"); }, 1600);
  }

  document.addEventListener("click", function (event) {
    var link = event.target && event.target.closest ? event.target.closest("a.cite") : null;
    if (!link) return;
    event.preventDefault();
    event.stopPropagation();
    var target = document.getElementById((link.getAttribute("href") || "").replace(/^#/, ""));
    if (target) showSource(target);
  }, true);

  // Screen readers: a message's label is its plain text, not the HTML it is made of.
  var PREFIX = /^(.*?'s message: )/;
  function plainLabels() {
    document.querySelectorAll("[aria-label*=\"'s message: \"]").forEach(function (el) {
      var label = el.getAttribute("aria-label") || "";
      var prefix = PREFIX.exec(label);
      var plain = (prefix ? prefix[1] : "") + (el.innerText || el.textContent || "").replace(/\s+/g, " ").trim();
      if (plain !== label) el.setAttribute("aria-label", plain);
    });
  }
  var labelsDue = false;
  function plainLabelsSoon() {
    if (labelsDue) return;
    labelsDue = true;
    setTimeout(function () { labelsDue = false; plainLabels(); }, 30);
  }

  // The question's length against the limit, shown from 80% of it on.
  function number(n) { return n.toLocaleString("en-US"); }
  var lastLength = -1;
  function updateCount() {
    var box = document.querySelector("#question textarea");
    var count = document.querySelector("#question-count .count");
    var holder = document.querySelector("[data-max-question]");
    if (!box || !count || !holder) return;
    var limit = parseInt(holder.getAttribute("data-max-question"), 10);
    var length = box.value.trim().length;
    if (length === lastLength) return;
    lastLength = length;
    count.classList.toggle("near", length >= 0.8 * limit && length <= limit);
    count.classList.toggle("over", length > limit);
    if (length < 0.8 * limit) {
      count.textContent = "";
    } else if (length <= limit) {
      count.textContent = number(length) + " of " + number(limit) + " characters";
    } else {
      count.textContent = number(length) + " of " + number(limit) + " characters: " +
        number(length - limit) + " too many. Shorten the question to ask it.";
    }
  }
  document.addEventListener("input", function (event) {
    if (event.target && event.target.closest && event.target.closest("#question")) updateCount();
  }, true);

  // Wide screens start in the question box; phones start at the title (no keyboard, no scroll).
  var focused = false;
  function focusQuestion() {
    if (focused) return;
    var box = document.querySelector("#question textarea");
    if (!box) return;
    focused = true;
    if (window.matchMedia("(min-width: 768px)").matches) box.focus({ preventScroll: true });
  }

  // A new answer's sources (or an abstention's note) go on top: show the panel from its top.
  var shownVersion = null;
  function panelToTop() {
    var box = document.querySelector("#sources .sources-scroll");
    if (!box || box.dataset.version === shownVersion) return;
    shownVersion = box.dataset.version;
    box.scrollTop = 0;
  }

  function start() {
    new MutationObserver(function () {
      plainLabelsSoon();
      panelToTop();
      focusQuestion();
    }).observe(document.body, {
      subtree: true, childList: true, characterData: true,
      attributes: true, attributeFilter: ["aria-label"],
    });
    setInterval(updateCount, 400);  // the server also sets the box (cleared after a question, ?q= links)
    plainLabels();
    focusQuestion();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
