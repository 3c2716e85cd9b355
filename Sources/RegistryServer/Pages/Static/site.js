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
    var update = function () {
      var chosen = document.querySelector("input[name=signerKind]:checked");
      proxy.hidden = !(chosen && chosen.value === "proxy");
    };
    document.querySelectorAll("input[name=signerKind]").forEach(function (input) { input.addEventListener("change", update); });
    update();
  }
})();
// Print buttons (no inline handlers: the page's policy allows no inline script).
document.querySelectorAll("[data-print]").forEach(function (button) {
  button.addEventListener("click", function () { window.print(); });
});
