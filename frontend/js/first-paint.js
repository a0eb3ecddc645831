/* The first-paint script: a classic script the server puts inline at the top
 * of every page, its hash in the CSP, so it runs before anything is painted.
 * The server writes, in front of it and inside one function:
 *   - LISTED, the country codes the help cards carry;
 *   - country-picker-model.mjs, country-picker-store.mjs and plan-flag.mjs,
 *     their exports as plain declarations, so the choice is made and marked
 *     by the same code help-card.mjs and country-picker.mjs use.
 * It marks the page as scripted, keeps an early install offer, and puts on
 * <html> what the help cards and /help show (markCountry; data-plan: "yes"
 * or "no"), so the CSS lays them out as they will stay and nothing moves
 * once the modules start after the first paint. */
/* global LISTED, initialCountry, markCountry, readCountry, saveCountry, planFlagged */
const root = document.documentElement
root.classList.add('js')
markCountry(initialCountry({
  saved: readCountry(),
  languages: navigator.languages,
  listed: LISTED
}), LISTED, root)
root.dataset.plan = planFlagged() ? 'yes' : 'no'
// A country chosen on /help before its picker module starts is kept and
// shown all the same; the module then starts from it.
addEventListener('change', (event) => {
  const target = event.target
  if (target.id !== 'country-choice') return
  const country = target.value || null
  saveCountry(country)
  markCountry({ country, source: 'saved' }, LISTED, root)
})
// The browser may offer to install before the modules start: keep the offer
// for sw-bridge.mjs, which shows its own quiet button instead.
addEventListener('beforeinstallprompt', (event) => {
  event.preventDefault()
  window.wayfinderInstallPrompt = event
})
