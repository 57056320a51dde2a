// Baoxue's service worker: after one visit the app opens and works with no signal.
//
// - Hashed files (app-<hash>.js, app_bg-<hash>.wasm, style-<hash>.css, the later code's
//   split-<hash>.js and later_*-<hash>.wasm) never change under their name: cache first.
// - The page: network first, so a phone with signal gets the newest version; after a short
//   wait or with no network, the page shell this worker precached. Every path of the app
//   (/class/3/attendance) is that same shell, whose router shows the screen.
// - /api/ is never touched: sync must see the real network, and answers are never cached.
// - The other files of this build (manifest, icons): stale while revalidate.
//
// A new build has a new BUILD, so its sw.js differs by a byte and the browser installs it in
// the background. It then waits: open pages keep running the version they loaded, with their
// unsaved input, until the page asks it to take over (SKIP_WAITING, sent by
// window.baoxueApplyUpdate in boot.js) or every tab of the app is closed.

// Filled in by `cargo xtask build` (xtask/src/app_build.rs): a hash of every precached file,
// and their paths. "/" is the page shell.
const BUILD = "{{build}}";
const PRECACHE = ["{{precache}}"];

const CACHE_PREFIX = "baoxue-";
const CACHE = CACHE_PREFIX + BUILD;
const SHELL = "/";
// Past this, a page with a weak signal opens from the phone instead of waiting for the network.
const PAGE_TIMEOUT_MS = 3000;
// The build's naming rule for content-hashed files (see sync-server/src/static_files.rs).
const HASHED = /\/[^/]*-[0-9a-f]{16}\.[^/]*$/;
// The server's gzip copies may carry `Vary: accept-encoding`; a cached copy fits any request.
const MATCH = { ignoreVary: true };

self.addEventListener("install", (event) => {
  event.waitUntil(precache());
});

async function precache() {
  const cache = await caches.open(CACHE);
  // `reload` skips the browser's HTTP cache, so the copies are the server's current files. A
  // hashed file cannot be stale under its name: the copy the page just downloaded is taken
  // from the HTTP cache, so a first visit does not download the app twice.
  const requests = PRECACHE.map((path) => new Request(path, { cache: HASHED.test(path) ? "default" : "reload" }));
  const responses = await Promise.all(requests.map((request) => fetch(request)));
  for (const [index, response] of responses.entries()) {
    if (!response.ok) throw new Error(`precaching ${PRECACHE[index]}: HTTP ${response.status}`);
  }
  // If the server was updated between fetching this sw.js and the shell, the shell names
  // hashed files this build does not hold and would fail offline: give up, and the newer
  // sw.js installs instead. (The later code's files are named by the app's js, not the shell.)
  const shell = await responses[PRECACHE.indexOf(SHELL)].clone().text();
  const named = shell.match(/\/[A-Za-z0-9_.]+-[0-9a-f]{16}\.[a-z]+/g) || [];
  const foreign = named.filter((path) => !PRECACHE.includes(path));
  if (named.length === 0 || foreign.length > 0) {
    throw new Error(`the page shell is of another build (${foreign.join(", ") || "no files named"})`);
  }
  await Promise.all(requests.map((request, index) => cache.put(request, responses[index])));
}

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    // Only this build's files are kept: older builds' caches would only fill the phone.
    const names = await caches.keys();
    await Promise.all(names.filter((name) => name.startsWith(CACHE_PREFIX) && name !== CACHE)
      .map((name) => caches.delete(name)));
    // Pages opened before the first install come under this worker without a reload. A page
    // that asked for an update reloads itself on `controllerchange`; others keep running.
    await self.clients.claim();
  })());
});

self.addEventListener("message", (event) => {
  if (event.data && event.data.type === "SKIP_WAITING") self.skipWaiting();
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname === "/api" || url.pathname.startsWith("/api/")) return;
  if (request.mode === "navigate") {
    event.respondWith(pageNetworkFirst(request));
  } else if (HASHED.test(url.pathname)) {
    event.respondWith(cacheFirst(request));
  } else if (PRECACHE.includes(url.pathname)) {
    event.respondWith(staleWhileRevalidate(event, request));
  }
  // Anything else (sw.js itself, unknown paths) goes to the network as if there were no worker.
});

async function pageNetworkFirst(request) {
  const network = fetch(request);
  const timeout = new Promise((resolve) => setTimeout(resolve, PAGE_TIMEOUT_MS, "timeout"));
  let response;
  try {
    response = await Promise.race([network, timeout]);
  } catch (error) {
    response = "offline";
  }
  if (response instanceof Response && response.status < 500) return response;
  const shell = await caches.match(SHELL, { ...MATCH, cacheName: CACHE });
  if (shell) {
    // A slow answer still arriving is not needed; swallow its error.
    network.catch(() => {});
    return shell;
  }
  // Nothing precached yet (the first install failed): wait for whatever the network gives.
  return response instanceof Response ? response : network;
}

async function cacheFirst(request) {
  const cache = await caches.open(CACHE);
  const cached = await cache.match(request, MATCH);
  if (cached) return cached;
  const response = await fetch(request);
  // A hashed file of a newer build loaded by a page fetched from the network: keep it, so
  // that page also works offline until this worker is replaced.
  if (response.ok) await cache.put(request, response.clone());
  return response;
}

async function staleWhileRevalidate(event, request) {
  const cache = await caches.open(CACHE);
  const cached = await cache.match(request, MATCH);
  const refresh = fetch(request).then(async (response) => {
    if (response.ok) await cache.put(request, response.clone());
    return response;
  });
  if (cached) {
    event.waitUntil(refresh.catch(() => {}));
    return cached;
  }
  return refresh;
}
