/* The deck's keys: next = right arrow (left in right-to-left decks), down, page down, space,
   enter or a click; previous = the other arrow, up, page up, backspace; Home/End; P toggles
   the presenter view (notes, next slide, timer). Without JavaScript every slide is listed. */
(function () {
  "use strict";
  var root = document.documentElement;
  var deck = document.getElementById("deck");
  var slides = Array.prototype.slice.call(deck.querySelectorAll(".slide"));
  var presenter = document.getElementById("presenter");
  var status = document.getElementById("deck-status");
  var rtl = root.getAttribute("dir") === "rtl";
  var current = 0;
  var started = Date.now();
  if (!slides.length) { return; }
  root.classList.add("js");

  function layout() {
    var presenting = root.classList.contains("presenter-on");
    var room = presenting ? window.innerWidth * 0.64 : window.innerWidth;
    var scale = Math.min(room / 1280, window.innerHeight / 720);
    deck.style.transform = "scale(" + scale + ")";
    var offset = Math.max(0, (room - 1280 * scale) / 2) + "px";
    deck.style.left = rtl ? "auto" : offset;
    deck.style.right = rtl ? offset : "auto";
    if (rtl) { deck.style.transformOrigin = "100% 0"; }
  }

  function show(index) {
    current = Math.max(0, Math.min(slides.length - 1, index));
    slides.forEach(function (slide, i) { slide.hidden = i !== current; });
    var slide = slides[current];
    var title = slide.querySelector(".slide-title");
    var position = (current + 1) + " / " + slides.length;
    status.textContent = position + ": " + (title ? title.textContent : "");
    document.getElementById("position").textContent = position;
    var next = slides[current + 1];
    var nextTitle = next ? next.querySelector(".slide-title") : null;
    document.getElementById("next-title").textContent = nextTitle ? nextTitle.textContent : "—";
    var notes = slide.querySelector(".notes");
    document.getElementById("current-notes").innerHTML = notes ? notes.innerHTML : "";
    try { history.replaceState(null, "", "#" + slide.id); } catch (e) { /* file:// */ }
  }

  function tick() {
    var seconds = Math.floor((Date.now() - started) / 1000);
    var rest = seconds % 60;
    document.getElementById("timer").textContent =
      Math.floor(seconds / 60) + ":" + (rest < 10 ? "0" : "") + rest;
  }

  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey) { return; }
    var forward = rtl ? "ArrowLeft" : "ArrowRight";
    var back = rtl ? "ArrowRight" : "ArrowLeft";
    var key = event.key;
    if ([forward, "ArrowDown", "PageDown", " ", "Enter", "Spacebar"].indexOf(key) >= 0) {
      show(current + 1);
    } else if ([back, "ArrowUp", "PageUp", "Backspace"].indexOf(key) >= 0) {
      show(current - 1);
    } else if (key === "Home") {
      show(0);
    } else if (key === "End") {
      show(slides.length - 1);
    } else if (key === "p" || key === "P") {
      var on = root.classList.toggle("presenter-on");
      presenter.hidden = !on;
      started = Date.now();
      layout();
    } else {
      return;
    }
    event.preventDefault();
  });
  deck.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest("a")) { return; }
    show(current + 1);
  });
  window.addEventListener("resize", layout);
  setInterval(tick, 1000);
  var start = slides.findIndex(function (s) { return "#" + s.id === location.hash; });
  show(start < 0 ? 0 : start);
  layout();
}());
