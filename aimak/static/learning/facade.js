// Click-to-load video players: no third-party frame is loaded until the reader asks.
// Without JavaScript the facade is a plain link to the video.
(function () {
  "use strict";
  function load(facade) {
    var src = facade.getAttribute("data-embed");
    if (!src || !/^https:\/\//.test(src)) return false;
    var frame = document.createElement("iframe");
    frame.src = src;
    frame.title = facade.getAttribute("data-title") || "";
    frame.allow = "autoplay; encrypted-media; picture-in-picture; fullscreen";
    frame.setAttribute("allowfullscreen", "");
    frame.referrerPolicy = "strict-origin-when-cross-origin";
    facade.replaceChildren(frame);
    facade.classList.add("loaded");
    frame.focus();
    return true;
  }
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest(".video-facade .video-load");
    if (!link) return;
    if (event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
    if (load(link.closest(".video-facade"))) event.preventDefault();
  });
})();
