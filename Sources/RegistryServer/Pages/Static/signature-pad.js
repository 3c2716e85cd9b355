// Signature pad for the tablet consent screen (hand-written; no library is reachable here, and
// the widely used pads clear the canvas on resize). It keeps every stroke's points with time and
// pressure, redraws from them when the pad is resized or the tablet rotated (keeping the
// signature's proportions), and renders the PNG from the strokes when the form is sent.
// Points: [x, y, t, p] — x, y in 1/10000 of the pad's size when signing began (canvasWidth,
// canvasHeight), t in ms since the first point, p the pressure in thousandths.
(function () {
  "use strict";
  var canvas = document.getElementById("signature-pad");
  if (!canvas) { return; }
  var form = document.getElementById("sign-form");
  var strokes = [];
  var current = null;
  var started = null;
  var resizes = 0;
  var lastSize = null;
  var reference = null;  // the pad's size when signing began: the frame the points are measured in

  function size() {
    var rect = canvas.getBoundingClientRect();
    return { width: Math.max(1, Math.round(rect.width)), height: Math.max(1, Math.round(rect.height)) };
  }

  // How much the reference frame is scaled to fit the pad now, the same both ways.
  function fitScale(now) {
    return reference ? Math.min(now.width / reference.width, now.height / reference.height) : 1;
  }

  function draw(target, width, height, scale) {
    var frame = reference || { width: width, height: height };
    var fit = reference ? Math.min(width / frame.width, height / frame.height) : 1;
    var context = target.getContext("2d");
    context.setTransform(1, 0, 0, 1, 0, 0);
    context.clearRect(0, 0, target.width, target.height);
    context.setTransform(scale, 0, 0, scale, 0, 0);
    context.lineCap = "round";
    context.lineJoin = "round";
    context.strokeStyle = "#111";
    strokes.forEach(function (stroke) {
      for (var i = 0; i < stroke.length; i++) {
        var point = stroke[i];
        var previous = stroke[i > 0 ? i - 1 : 0];
        context.lineWidth = 1.5 + 2.5 * (point[3] / 1000);
        context.beginPath();
        context.moveTo(previous[0] * frame.width * fit / 10000, previous[1] * frame.height * fit / 10000);
        context.lineTo(point[0] * frame.width * fit / 10000 + (i === 0 ? 0.01 : 0), point[1] * frame.height * fit / 10000);
        context.stroke();
      }
    });
  }

  function fit() {
    var now = size();
    var ratio = window.devicePixelRatio || 1;
    if (lastSize && (lastSize.width !== now.width || lastSize.height !== now.height)) { resizes += 1; }
    lastSize = now;
    canvas.width = Math.round(now.width * ratio);
    canvas.height = Math.round(now.height * ratio);
    draw(canvas, now.width, now.height, ratio);
  }

  function point(event) {
    var rect = canvas.getBoundingClientRect();
    if (!reference) { reference = size(); }
    var scale = fitScale(size());
    var x = Math.round(Math.min(1, Math.max(0, (event.clientX - rect.left) / scale / reference.width)) * 10000);
    var y = Math.round(Math.min(1, Math.max(0, (event.clientY - rect.top) / scale / reference.height)) * 10000);
    if (started === null) { started = event.timeStamp; }
    var t = Math.max(0, Math.round(event.timeStamp - started));
    var pressure = event.pressure > 0 ? event.pressure : 0.5;
    return [x, y, t, Math.round(Math.min(1, pressure) * 1000)];
  }

  canvas.addEventListener("pointerdown", function (event) {
    event.preventDefault();
    canvas.classList.remove("missing");
    canvas.setPointerCapture(event.pointerId);
    current = [point(event)];
    strokes.push(current);
    fit();
  });
  canvas.addEventListener("pointermove", function (event) {
    if (!current) { return; }
    event.preventDefault();
    current.push(point(event));
    var now = size();
    draw(canvas, now.width, now.height, window.devicePixelRatio || 1);
  });
  function end() { current = null; }
  canvas.addEventListener("pointerup", end);
  canvas.addEventListener("pointercancel", end);
  window.addEventListener("resize", fit);
  window.addEventListener("orientationchange", fit);

  document.getElementById("clear-pad").addEventListener("click", function () {
    strokes = [];
    current = null;
    started = null;
    reference = null;
    fit();
  });

  // The PNG is drawn from the strokes, at the pad's size × the pixel ratio (at most 2000 × 1000).
  function png() {
    var now = reference || size();
    var ratio = Math.min(window.devicePixelRatio || 1, 2000 / now.width, 1000 / now.height);
    var target = document.createElement("canvas");
    target.width = Math.max(1, Math.floor(now.width * ratio));
    target.height = Math.max(1, Math.floor(now.height * ratio));
    var context = target.getContext("2d");
    context.fillStyle = "#fff";
    context.fillRect(0, 0, target.width, target.height);
    draw(target, now.width, now.height, ratio);
    return target.toDataURL("image/png");
  }

  // For the browser tests and for staff: what the pad holds.
  window.signaturePad = {
    strokes: function () { return JSON.parse(JSON.stringify(strokes)); },
    resizes: function () { return resizes; }
  };

  form.addEventListener("submit", function (event) {
    // Only the two buttons decide: Enter in the name field is no decision.
    var decision = event.submitter ? event.submitter.value : "";
    if (decision !== "granted" && decision !== "refused") {
      event.preventDefault();
      return;
    }
    if (strokes.length === 0) {
      if (decision === "granted") {
        event.preventDefault();
        canvas.classList.add("missing");
        canvas.focus();
        return;
      }
      return;
    }
    var frame = reference || size();
    document.getElementById("strokes").value = JSON.stringify({
      canvasWidth: frame.width, canvasHeight: frame.height,
      devicePixelRatioThousandths: Math.round((window.devicePixelRatio || 1) * 1000),
      resizes: resizes, strokes: strokes
    });
    document.getElementById("png").value = png();
  });

  // Read-aloud where the browser offers speech synthesis.
  var button = document.getElementById("read-aloud");
  if (button && "speechSynthesis" in window) {
    button.hidden = false;
    button.addEventListener("click", function () {
      window.speechSynthesis.cancel();
      var utterance = new SpeechSynthesisUtterance(document.getElementById("explanation-text").textContent);
      utterance.lang = button.getAttribute("data-lang");
      window.speechSynthesis.speak(utterance);
    });
  }

  // Back from the server with a problem: the strokes already drawn are drawn again.
  try {
    var kept = JSON.parse(canvas.getAttribute("data-strokes") || "null");
    if (kept && Array.isArray(kept.strokes)) {
      strokes = kept.strokes;
      resizes = kept.resizes || 0;
      reference = { width: kept.canvasWidth, height: kept.canvasHeight };
      var last = 0;
      strokes.forEach(function (stroke) { stroke.forEach(function (p) { last = Math.max(last, p[2]); }); });
      started = performance.now() - last - 1000;  // new points continue the same clock
    }
  } catch (e) { strokes = []; }

  fit();
})();
