/* The chat inside a portal's iframe (Omaolo-style).
 *
 * The host page sends the signed token with postMessage({type: "hyte:token", token}); messages from
 * any origin not in the allowed list are ignored. The embed reports its height and conversation
 * events to the host ({type: "hyte:height" | "hyte:event"}) with the host's exact origin as the
 * target, never "*". The token lives only in memory, never in the browser's storage.
 */
(function () {
  "use strict";
  var token = null;
  var loaded = false;
  var allowed = [];
  var hostOrigin = null;

  function post(message) {
    if (hostOrigin && window.parent !== window) { window.parent.postMessage(message, hostOrigin); }
  }

  function loadWidget() {
    if (loaded) { return; }
    loaded = true;
    window.HyteChatConfig = {
      endpoint: "/api/chat/portal", open: true, token: function () { return token; },
      onEvent: function (name, data) { post({ type: "hyte:event", name: name, data: data }); }
    };
    var script = document.createElement("script");
    script.src = "/widget/widget.js";
    document.body.appendChild(script);
    var link = document.createElement("link");  // before the embed's own rules, which fill the frame
    link.rel = "stylesheet"; link.href = "/widget/widget.css";
    document.head.insertBefore(link, document.head.querySelector("style"));
    if (window.ResizeObserver) {
      new ResizeObserver(function () {
        post({ type: "hyte:height", height: Math.ceil(document.documentElement.scrollHeight) });
      }).observe(document.body);
    }
  }

  window.addEventListener("message", function (event) {
    if (allowed.indexOf(event.origin) < 0) { return; }  // strict origin check
    var data = event.data || {};
    if (data.type === "hyte:token" && typeof data.token === "string") {
      hostOrigin = event.origin;
      token = data.token;
      loadWidget();
    }
  });

  fetch("/embed/config").then(function (r) { return r.json(); }).then(function (config) {
    allowed = config.allowed_origins || [];
    var referrer = document.referrer ? new URL(document.referrer).origin : null;
    if (referrer && allowed.indexOf(referrer) >= 0) {
      hostOrigin = referrer;
      post({ type: "hyte:ready" });
    }
  });
})();
