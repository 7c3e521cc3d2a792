// Start-up watch for Latitude, a classic script so it runs where module scripts or
// WebAssembly are refused. While the page still shows its loading text, a failure to
// load or start the app replaces that text with a plain message that names the cause:
//   missing  a file of the app is not on its server (HTTP 404…): a new tab cannot help,
//            so no link;
//   blocked  the browser refused a script or could not reach the server;
//   wasm     the browser cannot (or, by this page's policy, may not) run WebAssembly.
// For the last two, in a frame, a link opens this same view (fragment included) in a
// new tab, where the embedding page's restrictions do not apply; a top-level page gets
// no link, since it would open the same failing view again. The app removes the whole
// block when it mounts. Without any script, a CSS timer in style/boot.css shows the
// message after 20 s.
(function () {
  'use strict';
  var failed = false;
  var framed = (function () {
    try { return window.self !== window.top; } catch (e) { return true; }
  })();
  function starting() { return !failed && !!document.getElementById('boot'); }
  function fail(cause) {
    var boot = document.getElementById('boot');
    if (!boot || failed) return;
    failed = true;
    boot.className += ' boot--failed boot--' + cause;
    // A frame sandboxed without allow-same-origin has an opaque origin: its own files
    // are then cross-origin requests, which a plain static host does not allow.
    if (framed && cause === 'blocked' && String(window.origin) === 'null') boot.className += ' boot--sandboxed';
    var a = document.getElementById('boot-open');
    if (!a) return;
    a.href = window.location.href;
    if (!framed || cause === 'missing') a.parentNode.hidden = true;
  }
  function later(f) {
    if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', f);
    else f();
  }
  // The link opens this view, also when the CSS timer shows the message.
  later(function () {
    var a = document.getElementById('boot-open');
    if (a) a.href = window.location.href;
  });
  if (typeof WebAssembly !== 'object' || typeof Promise !== 'function') {
    later(function () { fail('wasm'); });
    return;
  }
  // The app's own files, as the page names them: the start-up module, the bindings and
  // the WebAssembly (preloaded compressed, `.wasm.gz`).
  var WASM = 'link[href$=".wasm"], link[href$=".wasm.gz"]';
  function files() {
    var out = [];
    var found = document.querySelectorAll('script[type="module"][src], link[rel="modulepreload"][href], ' + WASM);
    for (var i = 0; i < found.length; i++) out.push(found[i].src || found[i].href);
    return out;
  }
  // Asks the server for each file (HEAD: nothing is downloaded twice). A file it does
  // not have is "missing"; one it cannot be asked for is "blocked"; when every file is
  // there, `hint` (what the failure itself said) decides, and with no hint (the
  // watchdog) nothing is wrong yet.
  // Whether the WebAssembly arrived whole more than 4 s ago (a resource timing entry is
  // written once a download ends): an app that has still not started then never will,
  // which in an engine that reports nothing means it may not run WebAssembly here.
  // The file is the one the start-up script fetches (`latitudeWasmUrl`: the compressed
  // file, or the plain one for a browser that cannot unpack it or a host without the
  // compressed one), else the one the page preloads. Only downloads that started before
  // this watch first asked the server count: its own HEAD requests for the same address
  // end at once and would read as the file having arrived while it still downloads.
  var firstAsked = Infinity;
  function wasmArrivedLongAgo() {
    var link = document.querySelector(WASM);
    var url = window.latitudeWasmUrl || (link && link.href);
    if (!url || !window.performance || !performance.getEntriesByName) return false;
    var seen = performance.getEntriesByName(url);
    for (var i = 0; i < seen.length; i++) {
      if (seen[i].startTime < firstAsked && seen[i].responseEnd > 0 && performance.now() - seen[i].responseEnd > 4000) return true;
    }
    return false;
  }
  // One question at a time: every file that fails reports an error, and each would ask
  // the server about every file again (in a frame whose origin is opaque, a row of
  // failed requests each). A hint that arrives meanwhile is kept for the answer.
  var asking = false, hintMeanwhile = null;
  function diagnose(hint) {
    if (asking) { hintMeanwhile = hintMeanwhile || hint; return; }
    if (typeof fetch !== 'function') { if (hint) fail(hint); return; }
    var urls = files();
    var left = urls.length, missing = false, unreachable = false;
    if (!left) { if (hint) fail(hint); return; }
    asking = true;
    function done() {
      if (--left) return;
      asking = false;
      hint = hint || hintMeanwhile;
      hintMeanwhile = null;
      if (missing) fail('missing');
      else if (unreachable) fail('blocked');
      else if (hint) fail(hint);
    }
    if (window.performance && performance.now && firstAsked === Infinity) firstAsked = performance.now();
    function head(url) { return fetch(url, { method: 'HEAD', cache: 'no-store' }); }
    urls.forEach(function (url) {
      head(url)
        // Without the compressed WebAssembly the page fetches the plain file: only both
        // gone is a file missing.
        .then(function (r) { return r.ok || !/\.wasm\.gz$/.test(url) ? r : head(url.slice(0, -3)); })
        .then(function (r) { if (!r.ok) missing = true; }, function () { unreachable = true; })
        .then(done);
    });
  }
  // Once the app runs, a fault of its WebAssembly (a trap: memory that cannot grow, or a
  // fault of the engine) ends it without the panic message the app itself shows (see
  // install_panic_hook in src/ui/browser.rs; a panic ends in a trap too, after that
  // message). The page then says so, with the same words, instead of going dead.
  function stopped(error) {
    if (failed || !(error instanceof WebAssembly.RuntimeError) || document.getElementById('panic') || !document.body) return;
    var el = document.createElement('div');
    el.id = 'panic';
    el.className = 'panic';
    el.setAttribute('role', 'alert');
    el.setAttribute('data-testid', 'panic');
    var h = document.createElement('h1');
    h.textContent = 'Latitude stopped because of an internal error';
    var p = document.createElement('p');
    p.textContent = 'Your data is safe: everything saved before this moment is in this browser. Reload the page to continue; if it happens again, export your workspace from Settings and report the message below.';
    var pre = document.createElement('pre');
    var head = String(error), stack = String(error.stack || '');
    pre.textContent = stack.indexOf(head) === 0 ? stack : head + (stack ? '\n' + stack : '');
    el.appendChild(h);
    el.appendChild(p);
    el.appendChild(pre);
    document.body.insertBefore(el, document.body.firstChild);
  }
  // A script or style sheet that cannot load (blocked, missing, offline, CORS), or an
  // error thrown while starting (the wasm missing or refused): before the app has
  // mounted, either means it will not.
  window.addEventListener('error', function (ev) {
    if (!starting()) { stopped(ev.error); return; }
    var t = ev.target;
    diagnose(t && t !== window && t.tagName ? 'blocked' : 'wasm');
  }, true);
  // The module's start-up promise rejects when the wasm cannot be fetched or compiled.
  window.addEventListener('unhandledrejection', function (ev) {
    if (starting()) diagnose('wasm');
    else stopped(ev.reason);
  });
  // A policy of this page that refuses a script, or WebAssembly itself.
  document.addEventListener('securitypolicyviolation', function (ev) {
    if (!starting() || String(ev.effectiveDirective || ev.violatedDirective).indexOf('script-src') !== 0) return;
    fail(/wasm|eval/.test(String(ev.blockedURI)) ? 'wasm' : 'blocked');
  });
  // Not every engine reports a failed start (WebKit raises no event when the module's
  // start-up promise rejects, nor when a policy refuses WebAssembly): a watchdog asks
  // the server for the files 3 s after the page has loaded, while the loading text
  // still shows; from 8 s on, every 2 s, once every file is there and the WebAssembly
  // was downloaded more than 4 s before (a slow connection or a busy machine takes
  // longer), the app cannot run it here. After 30 s it asks the server once more.
  window.addEventListener('load', function () {
    setTimeout(function () { if (starting()) diagnose(null); }, 3000);
    var tries = 0;
    function watch() {
      if (!starting()) return;
      if (wasmArrivedLongAgo()) diagnose('wasm');
      else if (++tries < 12) setTimeout(watch, 2000);
      else diagnose(null);
    }
    setTimeout(watch, 8000);
  });
})();
