/**
 * Optional cues for the coping tools: soft tones and a bell synthesised with
 * Web Audio (no audio files), vibration, spoken words, and keeping the screen
 * awake. Each one quietly does nothing where the device cannot do it.
 */

let context = null

/**
 * Create or wake the audio context. Call this from a click or key press, so
 * the browser allows sound.
 * @returns {AudioContext|null}
 */
export function unlockAudio () {
  const Ctor = globalThis.AudioContext || globalThis.webkitAudioContext
  if (!Ctor) return null
  try {
    context ??= new Ctor()
    if (context.state === 'suspended') context.resume().catch(() => {})
  } catch {
    context = null
  }
  return context
}

/** Whether this browser can make sound with Web Audio. */
export const canPlay = () => Boolean(globalThis.AudioContext || globalThis.webkitAudioContext)

/** Pitches for each kind of breath: rising for in, falling for out. */
const TONES = {
  in: { from: 392, to: 440, seconds: 0.7, volume: 0.07 },
  hold: { from: 349, to: 349, seconds: 0.25, volume: 0.035 },
  out: { from: 330, to: 262, seconds: 0.9, volume: 0.07 }
}

/**
 * Play a short, soft tone for a phase of breathing.
 * @param {'in'|'hold'|'out'} kind
 */
export function tone (kind) {
  const ac = context
  const spec = TONES[kind]
  if (!ac || !spec) return
  const t = ac.currentTime
  const osc = ac.createOscillator()
  const gain = ac.createGain()
  osc.type = 'sine'
  osc.frequency.setValueAtTime(spec.from, t)
  osc.frequency.linearRampToValueAtTime(spec.to, t + spec.seconds)
  envelope(gain.gain, t, spec.volume, 0.06, spec.seconds)
  osc.connect(gain).connect(ac.destination)
  osc.start(t)
  osc.stop(t + spec.seconds + 0.1)
}

/** Ring a gentle bell: a few partials that fade over about three seconds. */
export function bell () {
  const ac = context
  if (!ac) return
  const t = ac.currentTime
  const out = ac.createGain()
  out.gain.value = 1
  out.connect(ac.destination)
  for (const [ratio, volume] of [[1, 0.09], [2.76, 0.03], [5.4, 0.012]]) {
    const osc = ac.createOscillator()
    const gain = ac.createGain()
    osc.type = 'sine'
    osc.frequency.value = 528 * ratio
    envelope(gain.gain, t, volume, 0.01, 3 / ratio)
    osc.connect(gain).connect(out)
    osc.start(t)
    osc.stop(t + 3 / ratio + 0.1)
  }
}

function envelope (param, t, peak, attack, length) {
  param.setValueAtTime(0.0001, t)
  param.exponentialRampToValueAtTime(peak, t + attack)
  param.exponentialRampToValueAtTime(0.0001, t + length)
}

/** Whether this device can vibrate. */
export const canVibrate = () => typeof globalThis.navigator?.vibrate === 'function'

/** Vibration patterns: one firm pulse for in, two short ones for out. */
const VIBRATIONS = { in: [90], hold: [25], out: [40, 70, 40] }

/**
 * Vibrate for a phase of breathing, where supported.
 * @param {'in'|'hold'|'out'} kind
 */
export function vibrate (kind) {
  if (!canVibrate()) return
  try {
    navigator.vibrate(VIBRATIONS[kind] ?? [25])
  } catch {
    // Some browsers refuse without a recent tap; that is fine.
  }
}

/**
 * Call back with true once the device has a voice to speak with.
 * @param {(available: boolean) => void} callback
 */
export function whenVoices (callback) {
  const synth = globalThis.speechSynthesis
  if (!synth || typeof globalThis.SpeechSynthesisUtterance !== 'function') return callback(false)
  const check = () => {
    const available = synth.getVoices().length > 0
    if (available) synth.removeEventListener?.('voiceschanged', check)
    callback(available)
  }
  synth.addEventListener?.('voiceschanged', check)
  check()
}

/**
 * Speak a few words, cutting off anything still being said.
 * @param {string} text
 */
export function speak (text) {
  const synth = globalThis.speechSynthesis
  if (!synth || typeof globalThis.SpeechSynthesisUtterance !== 'function') return
  synth.cancel()
  const utterance = new SpeechSynthesisUtterance(text)
  utterance.rate = 0.9
  synth.speak(utterance)
}

/** Stop speaking. */
export function hush () {
  globalThis.speechSynthesis?.cancel()
}

/**
 * Keeps the screen awake while wanted, where Screen Wake Lock is supported.
 * The browser drops the lock when the tab is hidden; want() again on return.
 */
export class WakeLock {
  constructor () {
    this.sentinel = null
    this.wanted = false
  }

  /** Ask for the screen to stay on. */
  async want () {
    this.wanted = true
    if (this.sentinel || !globalThis.navigator?.wakeLock || document.visibilityState !== 'visible') return
    try {
      this.sentinel = await navigator.wakeLock.request('screen')
      this.sentinel.addEventListener('release', () => { this.sentinel = null })
      if (!this.wanted) this.release()
    } catch {
      this.sentinel = null
    }
  }

  /** Let the screen sleep again. */
  release () {
    this.wanted = false
    const sentinel = this.sentinel
    this.sentinel = null
    sentinel?.release().catch(() => {})
  }
}
