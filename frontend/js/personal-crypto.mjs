/**
 * The optional lock's cryptography, on WebCrypto only (the same code runs in
 * the page, the worker and node). A passphrase is stretched with
 * PBKDF2-SHA-256 into a key-encryption key, which wraps one random AES-GCM
 * 256-bit data key. Each record is encrypted with the data key and its own
 * random 12-byte IV; the record's id is the additional data, so a ciphertext
 * cannot be passed off as another record. Nothing here touches storage.
 *
 * So that the tools can still save while the data is locked, a lock also
 * holds an ECDH P-256 key pair: the public key in clear, the private key
 * encrypted with the data key. A record written while locked is sealed to the
 * public key (sealTo: an ephemeral ECDH key, HKDF-SHA-256, AES-GCM), which
 * needs no passphrase; reading it back needs the private key, so the
 * passphrase.
 */

/** PBKDF2 rounds for a new lock (OWASP's 2023 figure for PBKDF2-HMAC-SHA256). */
export const ITERATIONS = 600000

// One encoder and decoder, made on first use (not while the worker script loads).
let encoder = null
let decoder = null
const encode = text => (encoder ??= new TextEncoder()).encode(text)
const decode = bytes => (decoder ??= new TextDecoder()).decode(bytes)

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
 * @property {Uint8Array} [publicKey] the raw P-256 public key records written while locked are sealed to
 * @property {Uint8Array} [privateIv] the IV the private key was encrypted with
 * @property {Uint8Array} [wrappedPrivateKey] the private key (PKCS #8), encrypted with the data key
 */

const ECDH = { name: 'ECDH', namedCurve: 'P-256' }
const PRIVATE_CONTEXT = 'wayfinder lock private key'
const HKDF_INFO = 'wayfinder record sealed while locked'

/**
 * Give a lock its key pair for writing while locked (a new lock, or one made before pairs).
 * @param {LockRecord} lock
 * @param {CryptoKey} key the data key
 * @returns {Promise<{lock: LockRecord, privateKey: CryptoKey}>}
 */
export async function addKeyPair (lock, key) {
  const pair = await crypto.subtle.generateKey(ECDH, true, ['deriveBits'])
  const publicKey = new Uint8Array(await crypto.subtle.exportKey('raw', pair.publicKey))
  const privateIv = random(12)
  const pkcs8 = await crypto.subtle.exportKey('pkcs8', pair.privateKey)
  const wrappedPrivateKey = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv: privateIv, additionalData: encode(PRIVATE_CONTEXT) }, key, pkcs8))
  const privateKey = await crypto.subtle.importKey('pkcs8', pkcs8, ECDH, false, ['deriveBits'])
  return { lock: { ...lock, publicKey, privateIv, wrappedPrivateKey }, privateKey }
}

/**
 * The lock's private key, opened with the data key.
 * @param {LockRecord} lock
 * @param {CryptoKey} key the data key
 * @returns {Promise<CryptoKey|null>} null when the lock has no pair or the key does not open it
 */
export async function openPrivateKey (lock, key) {
  if (!lock.wrappedPrivateKey) return null
  try {
    const pkcs8 = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: lock.privateIv, additionalData: encode(PRIVATE_CONTEXT) }, key, lock.wrappedPrivateKey)
    return await crypto.subtle.importKey('pkcs8', pkcs8, ECDH, false, ['deriveBits'])
  } catch {
    return null
  }
}

async function sharedKey (privateKey, publicKey, epk) {
  const bits = await crypto.subtle.deriveBits({ name: 'ECDH', public: publicKey }, privateKey, 256)
  const material = await crypto.subtle.importKey('raw', bits, 'HKDF', false, ['deriveKey'])
  return crypto.subtle.deriveKey(
    { name: 'HKDF', hash: 'SHA-256', salt: epk, info: encode(HKDF_INFO) },
    material,
    { name: 'AES-GCM', length: 256 },
    false,
    ['encrypt', 'decrypt']
  )
}

/**
 * Encrypt a value as JSON to the lock's public key, without the passphrase:
 * a fresh ephemeral P-256 key, ECDH, HKDF-SHA-256, AES-GCM with a fresh IV.
 * @param {any} value
 * @param {Uint8Array} publicKey the lock's raw public key
 * @param {string} context bound in as additional data (the record id)
 * @returns {Promise<{epk: Uint8Array, iv: Uint8Array, ciphertext: ArrayBuffer}>}
 */
export async function sealTo (value, publicKey, context) {
  const ephemeral = await crypto.subtle.generateKey(ECDH, false, ['deriveBits'])
  const epk = new Uint8Array(await crypto.subtle.exportKey('raw', ephemeral.publicKey))
  const recipient = await crypto.subtle.importKey('raw', publicKey, ECDH, false, [])
  const key = await sharedKey(ephemeral.privateKey, recipient, epk)
  return { epk, ...(await seal(value, key, context)) }
}

/**
 * Decrypt what sealTo() made, with the lock's private key.
 * @param {{epk: Uint8Array, iv: Uint8Array, ciphertext: ArrayBuffer|Uint8Array}} sealed
 * @param {CryptoKey} privateKey
 * @param {string} context the same additional data
 * @returns {Promise<any>} rejects when the key or context is wrong or the bytes were changed
 */
export async function unsealWith (sealed, privateKey, context) {
  const ephemeral = await crypto.subtle.importKey('raw', sealed.epk, ECDH, false, [])
  return unseal(sealed, await sharedKey(privateKey, ephemeral, sealed.epk), context)
}

/**
 * Make a lock: a new random data key, wrapped with a key from the passphrase,
 * and a key pair for writing while locked.
 * @param {string} passphrase
 * @param {{iterations?: number}} [options]
 * @returns {Promise<{lock: LockRecord, key: CryptoKey, raw: Uint8Array, privateKey: CryptoKey}>}
 *   key is the data key and raw its bytes, for this tab only
 */
export async function createLock (passphrase, { iterations = ITERATIONS } = {}) {
  const generated = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, true, ['encrypt', 'decrypt'])
  const salt = random(16)
  const wrapIv = random(12)
  const kek = await keyFromPassphrase(passphrase, salt, iterations)
  const wrappedKey = new Uint8Array(await crypto.subtle.wrapKey('raw', generated, kek, { name: 'AES-GCM', iv: wrapIv }))
  const raw = new Uint8Array(await crypto.subtle.exportKey('raw', generated))
  const key = await importDataKey(raw)
  const paired = await addKeyPair({ kdf: 'PBKDF2-SHA-256', iterations, salt, wrapIv, wrappedKey }, key)
  return { ...paired, key, raw }
}

/**
 * The data key from its raw bytes, not extractable.
 * @param {Uint8Array} raw
 * @returns {Promise<CryptoKey>}
 */
export function importDataKey (raw) {
  return crypto.subtle.importKey('raw', raw, 'AES-GCM', false, ['encrypt', 'decrypt'])
}

/**
 * Unwrap the data key's bytes with the passphrase.
 * @param {LockRecord} lock
 * @param {string} passphrase
 * @returns {Promise<Uint8Array|null>} null when the passphrase is wrong
 */
export async function openLockRaw (lock, passphrase) {
  const kek = await keyFromPassphrase(passphrase, lock.salt, lock.iterations)
  try {
    const key = await crypto.subtle.unwrapKey('raw', lock.wrappedKey, kek, { name: 'AES-GCM', iv: lock.wrapIv }, 'AES-GCM', true, ['encrypt', 'decrypt'])
    return new Uint8Array(await crypto.subtle.exportKey('raw', key))
  } catch {
    return null
  }
}

/**
 * Unwrap the data key with the passphrase.
 * @param {LockRecord} lock
 * @param {string} passphrase
 * @returns {Promise<CryptoKey|null>} null when the passphrase is wrong
 */
export async function openLock (lock, passphrase) {
  const raw = await openLockRaw(lock, passphrase)
  return raw && importDataKey(raw)
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
  return JSON.parse(await unsealText(sealed, key, context))
}

/**
 * Decrypt what seal() made, to its JSON text (for a caller that parses it its own way).
 * @param {{iv: Uint8Array, ciphertext: ArrayBuffer|Uint8Array}} sealed
 * @param {CryptoKey} key
 * @param {string} context the same additional data
 * @returns {Promise<string>} rejects when the key or context is wrong or the bytes were changed
 */
export async function unsealText (sealed, key, context) {
  const plain = await crypto.subtle.decrypt(
    { name: 'AES-GCM', iv: sealed.iv, additionalData: encode(context) },
    key,
    sealed.ciphertext
  )
  return decode(plain)
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
  const text = await openBackupText(file, passphrase)
  let records
  try {
    records = JSON.parse(text)
  } catch {
    return null
  }
  return text === null ? null : { format: file.format, version: file.version, appVersion: file.appVersion, exportedAt: file.exportedAt, records }
}

/**
 * Open a locked backup's records with its passphrase, as the JSON text they
 * were sealed as (so a restore parses and checks them once, its own way).
 * @param {object} file a locked backup (readBackup said ok and encrypted)
 * @param {string} passphrase
 * @returns {Promise<string|null>} null when the passphrase is wrong
 */
export async function openBackupText (file, passphrase) {
  const enc = file.encrypted
  const lock = {
    kdf: enc.kdf,
    iterations: enc.iterations,
    salt: fromBase64(enc.salt),
    wrapIv: fromBase64(enc.wrapIv),
    wrappedKey: fromBase64(enc.wrappedKey)
  }
  // Decode the (large) ciphertext while PBKDF2 runs on WebCrypto's own thread.
  const derived = openLock(lock, passphrase)
  let sealed = null
  try {
    sealed = { iv: fromBase64(enc.iv), ciphertext: fromBase64(enc.ciphertext) }
  } catch {
    // Not base64 after all: refused like a wrong passphrase, once PBKDF2 is done.
  }
  const key = await derived
  if (!key || !sealed) return null
  try {
    return await unsealText(sealed, key, file.exportedAt)
  } catch {
    return null
  }
}
