// The staff pages' own script (hand-written, no framework):
// - the idle lock: after the configured minutes without input the page signs out by itself,
//   the guideline's rule for unattended screens (the server ends the sign-in then too);
// - fields marked data-scanner take a USB barcode scanner's keystrokes and Enter.
(function () {
  "use strict";
  var body = document.body;
  var seconds = parseInt(body.getAttribute("data-idle-seconds"), 10);
  var form = document.getElementById("signout-form");
  if (form && body.getAttribute("data-signed-in") && seconds > 0) {
    var last = Date.now();
    ["pointerdown", "keydown", "wheel", "touchstart"].forEach(function (name) {
      window.addEventListener(name, function () { last = Date.now(); }, { passive: true });
    });
    window.setInterval(function () {
      if (Date.now() - last >= seconds * 1000) {
        document.getElementById("signout-reason").value = "idle";
        form.submit();
      }
    }, 1000);
  }
  // Proxy fields only when a proxy signs.
  var proxy = document.querySelector(".proxy-fields");
  if (proxy) {
    var name = document.getElementById("signerName");
    var update = function (changed) {
      var chosen = document.querySelector("input[name=signerKind]:checked");
      var isProxy = !!(chosen && chosen.value === "proxy");
      proxy.hidden = !isProxy;
      // A proxy signs with their own name: the patient's is cleared; back to the patient, it returns.
      if (changed && name) {
        var patient = name.getAttribute("data-patient-name");
        if (isProxy && name.value === patient) { name.value = ""; name.focus(); }
        if (!isProxy && name.value === "") { name.value = patient; }
      }
    };
    document.querySelectorAll("input[name=signerKind]").forEach(function (input) {
      input.addEventListener("change", function () { update(true); });
    });
    update(false);
  }
})();
// Buttons that need a second thought (cancelling by refusal, closing a stocktake) ask first.
document.querySelectorAll("[data-confirm]").forEach(function (button) {
  button.addEventListener("click", function (event) {
    if (!window.confirm(button.getAttribute("data-confirm"))) { event.preventDefault(); }
  });
});
// Print buttons (no inline handlers: the page's policy allows no inline script).
document.querySelectorAll("[data-print]").forEach(function (button) {
  button.addEventListener("click", function () { window.print(); });
});
