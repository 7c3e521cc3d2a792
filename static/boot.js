// Start-up watch for Latitude, a classic script so it runs where module scripts or
// WebAssembly are refused. While the page still shows its loading text, a failure to
// load or start the app replaces that text with a plain message and a link that opens
// this same view (fragment included) in a new tab. The app removes the whole block when
// it mounts. Without any script, a CSS timer in style/boot.css shows the message.
(function () {
  'use strict';
  function fail() {
    var boot = document.getElementById('boot');
    if (boot) boot.className += ' boot--failed';
  }
  function link() {
    var a = document.getElementById('boot-open');
    if (a) a.href = window.location.href;
  }
  if (typeof WebAssembly !== 'object' || typeof Promise !== 'function') {
    document.addEventListener('DOMContentLoaded', function () { link(); fail(); });
    return;
  }
  document.addEventListener('DOMContentLoaded', link);
  // A script or style sheet that cannot load (blocked, offline, CORS), or an error
  // thrown while starting (the wasm missing or refused): before the app has mounted,
  // either means it will not.
  window.addEventListener('error', function () {
    if (document.getElementById('boot')) fail();
  }, true);
  // The module's start-up promise rejects when the wasm cannot be fetched or compiled.
  window.addEventListener('unhandledrejection', function () {
    if (document.getElementById('boot')) fail();
  });
})();
