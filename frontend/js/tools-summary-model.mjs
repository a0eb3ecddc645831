/**
 * Gentle totals for the tools page. Pure logic: no DOM, no storage.
 * Totals only: no streaks, no targets, no "you missed a day".
 */

/** How far back "this week" reaches. */
export const WEEK_MS = 7 * 24 * 60 * 60 * 1000

/**
 * Sum up the sessions kept on the device.
 * @param {{tool: string, title: string, startedAt: number, activeMs: number, feeling?: string}[]} sessions
 * @param {number} now wall-clock time in ms
 * @returns {{weekMs: number, weekSessions: number, helpful: {tool: string, title: string, times: number}[], total: number}}
 */
export function summarise (sessions, now) {
  let weekMs = 0
  let weekSessions = 0
  const helpful = new Map()
  for (const s of sessions) {
    const active = Number.isFinite(s.activeMs) && s.activeMs > 0 ? s.activeMs : 0
    if (s.startedAt > now - WEEK_MS && s.startedAt <= now) {
      weekMs += active
      weekSessions += 1
    }
    if (s.feeling === 'better') {
      const entry = helpful.get(s.tool) ?? { tool: s.tool, title: s.title, times: 0, last: 0 }
      entry.times += 1
      if (s.startedAt >= entry.last) {
        entry.last = s.startedAt
        entry.title = s.title
      }
      helpful.set(s.tool, entry)
    }
  }
  const list = [...helpful.values()]
    .sort((a, b) => b.times - a.times || b.last - a.last)
    .map(({ tool, title, times }) => ({ tool, title, times }))
  return { weekMs, weekSessions, helpful: list, total: sessions.length }
}

/**
 * Time in plain words: "under a minute", "1 minute", "12 minutes", "1 hour 5 minutes".
 * @param {number} ms
 * @returns {string}
 */
export function minutesInWords (ms) {
  const minutes = Math.round(ms / 60000)
  if (minutes < 1) return 'under a minute'
  if (minutes < 60) return `${minutes} ${minutes === 1 ? 'minute' : 'minutes'}`
  const hours = Math.floor(minutes / 60)
  const rest = minutes % 60
  const h = `${hours} ${hours === 1 ? 'hour' : 'hours'}`
  return rest ? `${h} ${rest} ${rest === 1 ? 'minute' : 'minutes'}` : h
}

/**
 * "1 time", "3 times".
 * @param {number} n
 * @returns {string}
 */
export function times (n) {
  return n === 1 ? 'once' : n === 2 ? 'twice' : `${n} times`
}
