/*
 * Animated assets on our pages: a Pause/Play button for every preview that moves.
 *
 * Each animated file sits in a <picture data-motion> whose first <source data-still> is the
 * file's first frame under (prefers-reduced-motion: reduce), so without this script motion
 * already stops for viewers who ask for less of it. Pausing switches that source on for
 * everyone (media "all"); playing switches it off (media "not all"), so a viewer who prefers
 * reduced motion can still choose to watch. Videos (alerts and overlays) are played and
 * paused the same way; they start paused under reduced motion.
 */
(function () {
  "use strict";

  var reduce = window.matchMedia("(prefers-reduced-motion: reduce)");

  function setPlaying(scope, playing) {
    scope.querySelectorAll("picture[data-motion] source[data-still]").forEach(function (source) {
      source.media = playing ? "not all" : "all";
    });
    scope.querySelectorAll("video[data-motion-video]").forEach(function (video) {
      if (playing) {
        var started = video.play();
        if (started && started.catch) started.catch(function () {});
      } else {
        video.pause();
      }
    });
    scope.setAttribute("data-motion-state", playing ? "playing" : "paused");
    var button = scope.querySelector("[data-motion-toggle]");
    if (button) button.textContent = playing ? "Pause" : "Play";
    var note = scope.querySelector("[data-motion-note]");
    if (note && !playing && reduce.matches && !note.hasAttribute("data-told")) {
      note.setAttribute("data-told", "");
      note.textContent = "Paused because your device asks for reduced motion. " + note.textContent;
    }
  }

  function init(root) {
    root.querySelectorAll("[data-motion-scope]").forEach(function (scope) {
      if (scope.hasAttribute("data-motion-ready")) return;
      scope.setAttribute("data-motion-ready", "");
      setPlaying(scope, !reduce.matches);
      var button = scope.querySelector("[data-motion-toggle]");
      if (button) {
        button.hidden = false;
        button.addEventListener("click", function () {
          setPlaying(scope, scope.getAttribute("data-motion-state") !== "playing");
        });
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    init(document);
  });
  document.addEventListener("htmx:afterSettle", function (event) {
    init(event.target);
  });
})();
