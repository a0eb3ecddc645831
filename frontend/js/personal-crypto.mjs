/**
 * The optional lock's cryptography, on WebCrypto only (the same code runs in
 * the page, the worker and node). A passphrase is stretched with
 * PBKDF2-SHA-256 into a key-encryption key, which wraps one random AES-GCM
 * 256-bit data key. Each record is encrypted with the data key and its own
 * random 12-byte IV; the record's id is the additional data, so a ciphertext
 * cannot be passed off as another record. Nothing here touches storage.
 */

/** PBKDF2 rounds for a new lock (OWASP's 2023 figure for PBKDF2-HMAC-SHA256). */
export const ITERATIONS = 600000

const encode = text => new TextEncoder().encode(text)
const decode = bytes => new TextDecoder().decode(bytes)

/**
 * Bytes as base64 (for JSON files).
 * @param {ArrayBuffer|Uint8Array} buffer
 * @returns {string}
 */
export function toBase64 (buffer) {
  const bytes = buffer instanceof Uint8Array ? buffer : new Uint8Array(buffer)
  let text = ''
  for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
  return btoa(text)
}

/**
 * Base64 back to bytes.
 * @param {string} text
 * @returns {Uint8Array}
 */
export function fromBase64 (text) {
  const raw = atob(text)
  const bytes = new Uint8Array(raw.length)
  for (let i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i)
  return bytes
}

const random = n => crypto.getRandomValues(new Uint8Array(n))

async function keyFromPassphrase (passphrase, salt, iterations) {
  const material = await crypto.subtle.importKey('raw', encode(passphrase.normalize('NFC')), 'PBKDF2', false, ['deriveKey'])
  return crypto.subtle.deriveKey(
    { name: 'PBKDF2', hash: 'SHA-256', salt, iterations },
    material,
    { name: 'AES-GCM', length: 256 },
    false,
    ['wrapKey', 'unwrapKey']
  )
}

/**
 * @typedef {object} LockRecord what the device keeps about the lock (no secret in clear)
 * @property {'PBKDF2-SHA-256'} kdf
 * @property {number} iterations
 * @property {Uint8Array} salt 16 random bytes
 * @property {Uint8Array} wrapIv the IV the data key was wrapped with
 * @property {Uint8Array} wrappedKey the data key, encrypted with the passphrase's key
 */

/**
 * Make a lock: a new random data key, wrapped with a key from the passphrase.
 * @param {string} passphrase
 * @param {{iterations?: number}} [options]
 * @returns {Promise<{lock: LockRecord, key: CryptoKey}>} key is the data key, for this page only
 */
export async function createLock (passphrase, { iterations = ITERATIONS } = {}) {
  const key = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, true, ['encrypt', 'decrypt'])
  const salt = random(16)
  const wrapIv = random(12)
  const kek = await keyFromPassphrase(passphrase, salt, iterations)
  const wrappedKey = new Uint8Array(await crypto.subtle.wrapKey('raw', key, kek, { name: 'AES-GCM', iv: wrapIv }))
  return { lock: { kdf: 'PBKDF2-SHA-256', iterations, salt, wrapIv, wrappedKey }, key: await unextractable(key) }
}

async function unextractable (key) {
  const raw = await crypto.subtle.exportKey('raw', key)
  return crypto.subtle.importKey('raw', raw, 'AES-GCM', false, ['encrypt', 'decrypt'])
}

/**
 * Unwrap the data key with the passphrase.
 * @param {LockRecord} lock
 * @param {string} passphrase
 * @returns {Promise<CryptoKey|null>} null when the passphrase is wrong
 */
export async function openLock (lock, passphrase) {
  const kek = await keyFromPassphrase(passphrase, lock.salt, lock.iterations)
  try {
    return await crypto.subtle.unwrapKey('raw', lock.wrappedKey, kek, { name: 'AES-GCM', iv: lock.wrapIv }, 'AES-GCM', false, ['encrypt', 'decrypt'])
  } catch {
    return null
  }
}

/**
 * Encrypt a value as JSON with the data key and a fresh IV.
 * @param {any} value
 * @param {CryptoKey} key
 * @param {string} context bound in as additional data (the record id)
 * @returns {Promise<{iv: Uint8Array, ciphertext: ArrayBuffer}>}
 */
export async function seal (value, key, context) {
  const iv = random(12)
  const ciphertext = await crypto.subtle.encrypt(
    { name: 'AES-GCM', iv, additionalData: encode(context) },
    key,
    encode(JSON.stringify(value))
  )
  return { iv, ciphertext }
}

/**
 * Decrypt what seal() made.
 * @param {{iv: Uint8Array, ciphertext: ArrayBuffer|Uint8Array}} sealed
 * @param {CryptoKey} key
 * @param {string} context the same additional data
 * @returns {Promise<any>} rejects when the key or context is wrong or the bytes were changed
 */
export async function unseal (sealed, key, context) {
  const plain = await crypto.subtle.decrypt(
    { name: 'AES-GCM', iv: sealed.iv, additionalData: encode(context) },
    key,
    sealed.ciphertext
  )
  return JSON.parse(decode(plain))
}

/**
 * The `encrypted` part of a locked backup: the whole plain backup sealed
 * with the data key, and the lock's wrapped key, so the same passphrase opens it.
 * @param {object} backup the plain backup (buildBackup)
 * @param {LockRecord} lock
 * @param {CryptoKey} key
 * @returns {Promise<object>}
 */
export async function sealBackup (backup, lock, key) {
  const { iv, ciphertext } = await seal(backup.records, key, backup.exportedAt)
  return {
    format: backup.format,
    version: backup.version,
    appVersion: backup.appVersion,
    exportedAt: backup.exportedAt,
    encrypted: {
      kdf: lock.kdf,
      iterations: lock.iterations,
      salt: toBase64(lock.salt),
      wrapIv: toBase64(lock.wrapIv),
      wrappedKey: toBase64(lock.wrappedKey),
      cipher: 'AES-GCM-256',
      iv: toBase64(iv),
      ciphertext: toBase64(ciphertext)
    }
  }
}

/**
 * Open a locked backup with its passphrase.
 * @param {object} file a locked backup (readBackup said ok and encrypted)
 * @param {string} passphrase
 * @returns {Promise<object|null>} the plain backup, or null when the passphrase is wrong
 */
export async function openBackup (file, passphrase) {
  const enc = file.encrypted
  const lock = {
    kdf: enc.kdf,
    iterations: enc.iterations,
    salt: fromBase64(enc.salt),
    wrapIv: fromBase64(enc.wrapIv),
    wrappedKey: fromBase64(enc.wrappedKey)
  }
  const key = await openLock(lock, passphrase)
  if (!key) return null
  let records
  try {
    records = await unseal({ iv: fromBase64(enc.iv), ciphertext: fromBase64(enc.ciphertext) }, key, file.exportedAt)
  } catch {
    return null
  }
  return { format: file.format, version: file.version, appVersion: file.appVersion, exportedAt: file.exportedAt, records }
}
