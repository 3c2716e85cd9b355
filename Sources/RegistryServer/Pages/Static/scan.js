// Stocktake scanning (hand-written, no framework). A USB barcode scanner types the tag and
// presses Enter; each scan is sent at once and its answer shown above the log. An unknown tag
// flashes the page and beeps (Web Audio; no sound file is fetched).
(function () {
  "use strict";
  var form = document.getElementById("scan-form");
  if (!form || !window.fetch) { return; }
  var input = document.getElementById("tag");
  var result = document.getElementById("scan-result");
  var log = document.getElementById("scan-log");
  var count = document.getElementById("scan-count");
  var csrf = document.querySelector("meta[name=csrf-token]").getAttribute("content");

  function beep() {
    try {
      var Context = window.AudioContext || window.webkitAudioContext;
      var audio = new Context();
      var tone = audio.createOscillator();
      tone.frequency.value = 880;
      tone.connect(audio.destination);
      tone.start();
      tone.stop(audio.currentTime + 0.25);
    } catch (e) { /* no sound: the flash remains */ }
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var tag = input.value.trim();
    if (!tag) { return; }
    input.value = "";
    var body = new URLSearchParams();
    body.set("_csrf", csrf);
    body.set("tag", tag);
    fetch(form.action, { method: "POST", body: body, headers: { "Accept": "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (answer) {
        result.textContent = answer.message;
        result.classList.toggle("unknown", answer.unknown);
        var item = document.createElement("li");
        item.textContent = answer.message;
        if (count && answer.counted) { count.textContent = String(parseInt(count.textContent, 10) + 1); }
        if (answer.unknown) {
          item.className = "unknown";
          document.body.classList.remove("flash");
          void document.body.offsetWidth;
          document.body.classList.add("flash");
          beep();
        }
        log.insertBefore(item, log.firstChild);
        input.focus();
      })
      .catch(function () { result.textContent = tag + " — ?"; result.classList.add("unknown"); });
  });
})();
