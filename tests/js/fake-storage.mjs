// A Map-backed stand-in for localStorage, shared by the tests of modules that keep
// small values on the device.

/** A Map-backed Storage stand-in. */
export function fakeStorage () {
  const map = new Map()
  return {
    getItem: k => (map.has(k) ? map.get(k) : null),
    setItem: (k, v) => map.set(k, String(v)),
    removeItem: k => map.delete(k),
    key: i => [...map.keys()][i] ?? null,
    get length () { return map.size },
    map
  }
}
