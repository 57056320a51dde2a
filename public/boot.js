// Starts the app: the page's only script. It is a file, not inline in index.html, so the
// Content-Security-Policy can refuse every inline script (sync-server/src/security_headers.rs).
// `cargo xtask build` (xtask/src/app_build.rs) fills in this build's file names and writes it
// as boot-<hash>.js, which the service worker precaches with the rest.
import init from "/{{js}}";

// The roster import is a wasm module of its own, loaded by the app only when a teacher
// imports a file (app/src/importer.rs); the service worker keeps it for offline use. `load`
// is here, not in the app, because a module can only be imported by script text, and the
// policy allows no `eval` or `new Function`.
const importFiles = { js: "/{{import_js}}", wasm: "/{{import_wasm}}" };
window.baoxueImport = {
  ...importFiles,
  load: () => import(importFiles.js).then(async (module) => {
    await module.default({ module_or_path: importFiles.wasm });
    return module;
  }),
};

// The service worker (public/sw.js) keeps the app working offline. A new version installs
// in the background and waits; this page is never reloaded on its own, so nothing typed is
// lost. The app shows a banner on `baoxue:update-ready` (or finds `baoxueUpdateReady` true
// when it mounts after the event) and calls `baoxueApplyUpdate()` when the teacher agrees.
window.baoxueUpdateReady = false;
window.baoxueApplyUpdate = function () {};
if ("serviceWorker" in navigator) {
  let registration = null;
  let applying = false;
  const announce = () => {
    window.baoxueUpdateReady = true;
    window.dispatchEvent(new CustomEvent("baoxue:update-ready"));
  };
  const watched = new WeakSet();
  const watch = (worker) => {
    if (watched.has(worker)) return;
    watched.add(worker);
    worker.addEventListener("statechange", () => {
      // Without a controller this is the first install, not an update.
      if (worker.state === "installed" && navigator.serviceWorker.controller) announce();
    });
  };
  window.baoxueApplyUpdate = () => {
    applying = true;
    if (registration && registration.waiting) {
      registration.waiting.postMessage({ type: "SKIP_WAITING" });
    } else {
      // Another tab already let the new version take over: a reload loads it.
      location.reload();
    }
  };
  // Fires when a waiting worker takes over, and also when the very first worker claims the
  // page: reload only if this page asked for it.
  navigator.serviceWorker.addEventListener("controllerchange", () => {
    if (applying) location.reload();
  });
  // After the page has loaded, so precaching does not compete with the first visit.
  const register = () => {
    navigator.serviceWorker.register("/sw.js").then((found) => {
      registration = found;
      if (found.waiting && navigator.serviceWorker.controller) announce();
      if (found.installing) watch(found.installing);
      found.addEventListener("updatefound", () => watch(found.installing));
    }).catch((error) => console.warn("保学: offline support is off:", error));
  };
  // A module runs before `load`, but check anyway: a late one would never register.
  if (document.readyState === "complete") register();
  else window.addEventListener("load", register);
  // The app can stay open for days without a navigation, which is when browsers look for a
  // new sw.js: look again when the teacher comes back to it, at most once an hour.
  let lastCheck = Date.now();
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState !== "visible" || !registration || Date.now() - lastCheck < 3600e3) return;
    lastCheck = Date.now();
    registration.update().catch(() => {});
  });
}

init({ module_or_path: "/{{wasm}}" });
