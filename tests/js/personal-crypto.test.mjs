// The lock's cryptography on node's WebCrypto: records sealed to the lock's
// public key open only with its private key, which only the data key opens.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import {
  addKeyPair, createLock, openBackup, openBackupText, openLock, openLockRaw, openPrivateKey, importDataKey, sealBackup, sealTo,
  unsealWith
} from '../../frontend/js/personal-crypto.mjs'

const QUICK = { iterations: 1000 }

test('a new lock has a public key in clear and the private key encrypted with the data key', async () => {
  const { lock, key, raw, privateKey } = await createLock('correct horse battery', QUICK)
  assert.equal(lock.publicKey.length, 65, 'an uncompressed P-256 point')
  assert.equal(raw.length, 32)
  assert.ok(lock.wrappedPrivateKey.length > 100)
  assert.equal(privateKey.extractable, false)
  assert.equal(key.extractable, false)
  const again = await openPrivateKey(lock, await openLock(lock, 'correct horse battery'))
  const sealed = await sealTo({ text: 'private words' }, lock.publicKey, 'r1')
  assert.deepEqual(await unsealWith(sealed, again, 'r1'), { text: 'private words' })
  assert.equal(await openLockRaw(lock, 'wrong horse battery'), null)
  const other = await createLock('correct horse battery', QUICK)
  assert.equal(await openPrivateKey(lock, other.key), null, 'another data key does not open the private key')
})

test('sealed to the public key: fresh ephemeral key and IV each time, bound to the id, tamper-evident', async () => {
  const { lock, privateKey } = await createLock('passphrase one', QUICK)
  const a = await sealTo({ n: 1 }, lock.publicKey, 'id-a')
  const b = await sealTo({ n: 1 }, lock.publicKey, 'id-a')
  assert.notDeepEqual(a.epk, b.epk)
  assert.notDeepEqual(a.iv, b.iv)
  assert.doesNotMatch(new TextDecoder().decode(a.ciphertext), /"n"/)
  await assert.rejects(unsealWith(a, privateKey, 'id-b'), 'another record\'s id does not open it')
  const bent = new Uint8Array(a.ciphertext)
  bent[0] ^= 1
  await assert.rejects(unsealWith({ ...a, ciphertext: bent }, privateKey, 'id-a'))
  const stranger = await createLock('passphrase two', QUICK)
  await assert.rejects(unsealWith(b, stranger.privateKey, 'id-a'), 'another lock\'s private key does not open it')
})

test('a lock made without a key pair can be given one', async () => {
  const raw = crypto.getRandomValues(new Uint8Array(32))
  const key = await importDataKey(raw)
  const { lock, privateKey } = await addKeyPair({ kdf: 'PBKDF2-SHA-256' }, key)
  assert.equal(lock.kdf, 'PBKDF2-SHA-256')
  const sealed = await sealTo('x', lock.publicKey, 'i')
  assert.equal(await unsealWith(sealed, privateKey, 'i'), 'x')
  assert.equal(await unsealWith(sealed, await openPrivateKey(lock, key), 'i'), 'x')
})

test('a locked backup opens to its records\' JSON text only with its passphrase', async () => {
  const made = await createLock('a long passphrase', { iterations: 1000 })
  const backup = { format: 'f', version: 1, appVersion: 'x', exportedAt: '2026-03-01T12:00:00.000Z', records: [{ id: 'a' }] }
  const file = await sealBackup(backup, made.lock, made.key)
  assert.equal(await openBackupText(file, 'a long passphrase'), '[{"id":"a"}]')
  assert.deepEqual(await openBackup(file, 'a long passphrase'), backup)
  assert.equal(await openBackupText(file, 'another one'), null)
  assert.equal(await openBackupText({ ...file, exportedAt: '2026-03-02T12:00:00.000Z' }, 'a long passphrase'), null, 'bound to its time')
  assert.equal(await openBackupText({ ...file, encrypted: { ...file.encrypted, ciphertext: 'A' } }, 'a long passphrase'), null, 'not base64')
})
