/**
 * Wayfinder's service worker: event wiring only. The decisions live in
 * routes.mjs, the strategies in strategies.mjs, the precache in precache.mjs.
 *
 * How it is served: server/views/pwa.py assembles every *.mjs file in this
 * folder into one classic script at /sw.js (registered without
 * `type: 'module'`). Module service workers reached Firefox only in version
 * 147 (January 2026), so Firefox ESR and older phones would silently get no
 * offline support; Safari needs 15+. A classic script works in every browser
 * that has service workers. The files stay ES modules so `node --test` imports
 * them as they are. The assembler accepts `import { a, b as c } from './x.mjs'`
 * and `export function|async function|const|let|class name`, nothing else.
 *
 * './precache-manifest.mjs' is not a file: the server writes it when it
 * assembles the worker, with the version and the precache list (every offline
 * page and built asset with its content hash). So the worker's bytes change
 * exactly when a precached file changes, and that is what makes the browser
 * install an update.
 */
import { OFFLINE_URL, PRECACHE, VERSION } from './precache-manifest.mjs'
import { installPrecache, removeOldPrecaches } from './precache.mjs'
import { canonicalUrl, hasQuery, pageKey, precacheName, requestFacts, routeRequest } from './routes.mjs'
import { cacheFirst, servePage } from './strategies.mjs'
import { notificationIcons, onNotificationClick, onPush, onPushSubscriptionChange, pushEnv } from './push.mjs'

const CACHE_NAME = precacheName(VERSION)
const origin = self.location.origin
const network = (request) => fetch(request)

// Install: save everything before this version can take over. No skipWaiting
// here: a new version waits until the person accepts "Reload" (SKIP_WAITING
// below), so an open page never mixes old HTML with new assets.
self.addEventListener('install', (event) => {
  event.waitUntil(installPrecache(PRECACHE, {
    cacheStorage: caches, cacheName: CACHE_NAME, fetchFn: network, origin
  }))
})

// Activate: drop our older precaches (only ours) and control open pages, so the
// first visit is ready offline without a reload. Navigation preload stays off:
// every known page is answered from the precache, so a preload request would
// be wasted work on every navigation.
self.addEventListener('activate', (event) => {
  event.waitUntil(removeOldPrecaches(caches, CACHE_NAME).then(() => self.clients.claim()))
})

self.addEventListener('fetch', (event) => {
  const request = event.request
  const route = routeRequest(requestFacts(request), origin)
  if (route === 'network') return
  // "/help/" is "/help": send it on as the server does, offline too.
  const canonical = route === 'page' ? canonicalUrl(request.url) : null
  if (canonical) {
    event.respondWith(Response.redirect(canonical, 308))
    return
  }
  event.respondWith(caches.open(CACHE_NAME).then((cache) => route === 'page'
    ? servePage(request, {
      cache,
      fetchFn: network,
      offlineUrl: new URL(OFFLINE_URL, origin).href,
      pageUrl: pageKey(request.url),
      query: hasQuery(request.url)
    })
    : cacheFirst(request, { cache, fetchFn: network })))
})

// Messages from pages: SKIP_WAITING when the person accepts an update; STATUS
// to show on /about what is saved (answered on the port the page sends).
self.addEventListener('message', (event) => {
  const type = event.data && event.data.type
  if (type === 'SKIP_WAITING') {
    self.skipWaiting()
  } else if (type === 'STATUS' && event.ports[0]) {
    event.ports[0].postMessage({ version: VERSION, entries: PRECACHE.length })
  }
})

// More listeners go here, after this line, one per event, each calling a
// function from its own module in this folder (every *.mjs file here is
// included in /sw.js). For reminders: `push`, `notificationclick` and
// `pushsubscriptionchange`, with their logic in push.mjs.

// Reminders: every push shows a notification (inside waitUntil); a tap opens
// or focuses the right page, "Later" snoozes; a replaced subscription is
// renewed on the server.
const pushEnvironment = pushEnv(self, notificationIcons(PRECACHE))
self.addEventListener('push', (event) => onPush(event, pushEnvironment))
self.addEventListener('notificationclick', (event) => onNotificationClick(event, pushEnvironment))
self.addEventListener('pushsubscriptionchange', (event) => onPushSubscriptionChange(event, pushEnvironment))
