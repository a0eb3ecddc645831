// A personal store of its own for each node test: a fresh database name on
// fake-indexeddb, an in-memory localStorage and a clock the test moves.
import 'fake-indexeddb/auto'
import { PersonalStore, openPersonalDatabase } from '../../frontend/js/personal-store.mjs'
import { fakeStorage } from './fake-storage.mjs'

let n = 0

/**
 * A PersonalStore on a new database.
 * @param {{storage?: object, session?: object, legacy?: boolean, start?: number, name?: string}} [options]
 *   session: the tab's sessionStorage (a new one, so a new tab, when not given)
 * @returns {PersonalStore & {clock: {t: number}, dbName: string, persistCalls: number}}
 */
export function freshStore ({ storage = fakeStorage(), session = fakeStorage(), legacy = false, start = Date.UTC(2026, 0, 1), name } = {}) {
  const dbName = name ?? `personal-test-${++n}`
  const clock = { t: start }
  const store = new PersonalStore({
    open: openPersonalDatabase(dbName),
    storage,
    session,
    legacy,
    now: () => clock.t,
    persist: async () => { store.persistCalls += 1; return true }
  })
  store.persistCalls = 0
  store.clock = clock
  store.dbName = dbName
  return store
}

/** Few rounds, so tests of the lock are quick (the real lock uses 600,000). */
export const QUICK = { iterations: 1000 }
