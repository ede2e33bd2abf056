// Here Today's service worker. It keeps the app (this build's JS, WASM and CSS, the icons)
// and the room register pages, so a tablet that reloads or restarts with no network opens
// straight into its register. The server writes this build's name and files in below.
//
// Rules:
// - Everything is kept in one cache per build. A response is kept only if the server marks it
//   as this build's (the x-here-today-build header), so a tablet never mixes pages and
//   code from two deployments. Bundle files carry the build in their path, so a page always
//   requests the code it was made with.
// - Register pages (/ and /rooms/{id}) come from the network when it replies within a few
//   seconds, and from the cache otherwise. No other page and no /api/ response is ever kept.
// - A new build installs beside the old one, takes the register pages the old cache held
//   (fetched afresh), then replaces it. Unsent marks live in local storage, not here, so an
//   update never touches them.

const BUILD = "__BUILD__";
const CACHE = `here-today-${BUILD}`;
const ASSETS = [/* __ASSETS__ */];
const BUILD_HEADER = "x-here-today-build";
const REGISTER_PAGE = /^\/(rooms\/[0-9a-f-]{36})?$/;
const NETWORK_WAIT_MS = 4000;

const OFFLINE_PAGE = `<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Offline · Here Today</title>
<style>body{font:1.25rem/1.5 system-ui,sans-serif;margin:2rem;color:#1d2b2a;background:#f7f5f0}</style>
</head><body><h1>This page is not saved on this tablet</h1>
<p>The network cannot be reached, and this page was never opened here while online.
Open the room's register once while online and it will open offline from then on.</p>
<p><a href="/">Try the room list</a></p></body></html>`;

function sameBuild(response) {
  return response.ok && response.headers.get(BUILD_HEADER) === BUILD;
}

async function fetchForBuild(path, headers) {
  const response = await fetch(path, { cache: "no-cache", headers });
  if (!sameBuild(response)) {
    throw new Error(`${path} is not from build ${BUILD}`);
  }
  return response;
}

self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      for (const path of ASSETS) {
        await cache.put(path, await fetchForBuild(path));
      }
      for (const name of await caches.keys()) {
        if (name === CACHE || !name.startsWith("here-today-")) continue;
        const old = await caches.open(name);
        for (const request of await old.keys()) {
          const path = new URL(request.url).pathname;
          if (!REGISTER_PAGE.test(path)) continue;
          try {
            await cache.put(path, await fetchForBuild(path, { Accept: "text/html" }));
          } catch (error) {
            // The old build's copy stays until activation; the page is fetched again on
            // its next visit.
          }
        }
      }
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name !== CACHE && name.startsWith("here-today-")) {
          await caches.delete(name);
        }
      }
      await self.clients.claim();
      // Keep the register pages already open, so they open offline from now on.
      const cache = await caches.open(CACHE);
      for (const client of await self.clients.matchAll({ type: "window" })) {
        const path = new URL(client.url).pathname;
        if (!REGISTER_PAGE.test(path) || (await cache.match(path))) continue;
        try {
          await cache.put(path, await fetchForBuild(path, { Accept: "text/html" }));
        } catch (error) {
          // Offline already: the page is kept on its next visit.
        }
      }
    })(),
  );
});

async function registerPage(request, path) {
  const cache = await caches.open(CACHE);
  const network = fetch(request).then(async (response) => {
    if (sameBuild(response)) {
      await cache.put(path, response.clone());
    }
    return response;
  });
  const timeout = new Promise((resolve) => setTimeout(resolve, NETWORK_WAIT_MS, null));
  try {
    const response = await Promise.race([network, timeout]);
    if (response) return response;
  } catch (error) {
    // No network: fall through to the cache.
  }
  const cached = await cache.match(path);
  if (cached) return cached;
  try {
    return await network;
  } catch (error) {
    return new Response(OFFLINE_PAGE, {
      status: 503,
      headers: { "Content-Type": "text/html; charset=utf-8" },
    });
  }
}

async function kept(request, path) {
  const cache = await caches.open(CACHE);
  const cached = await cache.match(path);
  if (cached) return cached;
  const response = await fetch(request);
  if (sameBuild(response)) {
    await cache.put(path, response.clone());
  }
  return response;
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || url.pathname.startsWith("/api/")) return;
  const wantsPage =
    request.mode === "navigate" || (request.headers.get("Accept") || "").includes("text/html");
  if (wantsPage) {
    if (REGISTER_PAGE.test(url.pathname) && !url.search) {
      event.respondWith(registerPage(request, url.pathname));
    }
    return;
  }
  if (ASSETS.includes(url.pathname)) {
    event.respondWith(kept(request, url.pathname));
  }
});
