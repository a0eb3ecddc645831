/**
 * Guided breathing component ([data-module="breathing"]).
 *
 * Timing comes from breathing-model.mjs, read against performance.now(): a
 * timer wakes us at each phase change and countdown second, but the phase is
 * always worked out from the clock, so late timers and hidden tabs cannot
 * make it drift. The shape moves with CSS transitions on transform (opacity
 * with reduced motion), so the compositor animates it, not the main thread.
 */
import { makePattern, Session } from './breathing-model.mjs'
import { find as findCustom, toPhases, summary as customSummary } from './breathing-custom-store.mjs'
import { bindPrefs, getValue, setValue } from './tools-prefs.mjs'
import * as cues from './tools-cues.mjs'
import { addSession } from './tools-store.mjs'
import { offerFeelingCheck } from './tools-feeling-check.mjs'

/** Smallest size of the shape, as a fraction of full, when the lungs are empty. */
const MIN_SCALE = 0.45
/** Faintest opacity of the shape with reduced motion, when the lungs are empty. */
const MIN_OPACITY = 0.3

const ENDED = {
  finished: 'That is the end of the session. Breathe normally.',
  stopped: 'Stopped. Breathe normally.'
}

/**
 * Start the breathing guide in $root.
 * @param {HTMLElement} $root
 * @param {{clock?: () => number, store?: Function}} [options] clock and IndexedDB store, for tests
 * @returns {Promise<Breather|null>}
 */
export async function init ($root, options = {}) {
  const loaded = await loadPattern($root)
  if (!loaded) return null
  const breather = new Breather($root, loaded, options)
  breather.mount()
  return breather
}

/** Read the pattern from data-pattern, or a custom one named in the URL's #hash. */
async function loadPattern ($root) {
  if ('custom' in $root.dataset) {
    let id = ''
    try {
      id = decodeURIComponent(location.hash.slice(1))
    } catch {
      id = ''
    }
    let custom = null
    try {
      custom = id ? await findCustom(id) : null
    } catch (error) {
      console.warn('Wayfinder: could not read this pattern', error)
    }
    if (!custom) {
      $root.querySelector('[data-custom-missing]').hidden = false
      return null
    }
    const pattern = makePattern(custom.name, toPhases(custom))
    const $lead = document.querySelector('[data-custom-lead]')
    if ($lead) $lead.textContent = `${custom.name}: ${customSummary(custom)}.`
    const $script = $root.querySelector('[data-custom-script]')
    for (const phase of pattern.phases) {
      const $li = document.createElement('li')
      $li.textContent = `${phase.label} for ${phase.ms / 1000} ${phase.ms === 1000 ? 'second' : 'seconds'}`
      $script.append($li)
    }
    $script.hidden = false
    return { pattern, tool: `breathing/custom#${custom.id}`, title: custom.name }
  }
  const data = JSON.parse($root.dataset.pattern)
  return { pattern: makePattern(data.title, data.phases), tool: $root.dataset.tool, title: $root.dataset.title }
}

class Breather {
  constructor ($root, { pattern, tool, title }, { clock = () => performance.now(), store } = {}) {
    this.$root = $root
    this.pattern = pattern
    this.tool = tool
    this.title = title
    this.clock = clock
    this.store = store
    this.session = null
    this.key = null
    this.timer = 0
    this.wakeLock = new cues.WakeLock()
    this.cues = { tones: false, vibration: false, speech: false }
    this.still = matchMedia('(prefers-reduced-motion: reduce)')
    const q = sel => $root.querySelector(sel)
    this.$stage = q('[data-stage]')
    this.$shape = q('[data-shape]')
    this.$count = q('[data-count]')
    this.$phase = q('[data-phase]')
    this.$left = q('[data-left]')
    this.$setup = q('[data-setup]')
    this.$controls = q('[data-controls]')
    this.$pause = q('[data-pause]')
    this.$resume = q('[data-resume]')
    this.$stop = q('[data-stop]')
    this.$keys = q('[data-keys]')
    this.$cycles = q('input[name="cycles"]')
    this.$feeling = document.querySelector('[data-feeling]')
  }

  /** Show the controls and wire up events. */
  mount () {
    this.$stage.hidden = false
    this.$setup.hidden = false
    this.applyMotion()
    this.setShape(0, 0)
    this.$count.textContent = ''

    // Session length: the last one used here, or the pattern's suggestion.
    const remembered = getValue(`length.${this.tool}`, this.$root.dataset.length)
    const [kind, cycles] = remembered.split('=')
    const $radios = [...this.$setup.querySelectorAll('input[name="length"]')]
    const $choice = $radios.find($r => $r.value === kind) || $radios.find($r => $r.value === this.$root.dataset.length)
    if ($choice) $choice.checked = true
    if (kind === 'cycles' && cycles) this.$cycles.value = cycles
    const syncCycles = () => {
      const on = this.$setup.querySelector('input[name="length"]:checked')?.value === 'cycles'
      this.$cycles.disabled = !on
      this.$cycles.closest('[data-cycles-field]').classList.toggle('is-off', !on)
    }
    this.$setup.addEventListener('change', syncCycles)
    syncCycles()

    // Optional cues: remembered, and hidden where the device cannot do them.
    bindPrefs(this.$setup)
    this.hideUnless('vibrate', cues.canVibrate())
    this.hideUnless('speech', false)
    cues.whenVoices(available => this.hideUnless('speech', available))
    if (!cues.canPlay()) this.hideUnless('tones', false)

    this.$setup.addEventListener('submit', event => {
      event.preventDefault()
      this.start()
    })
    this.$pause.addEventListener('click', () => this.pause())
    this.$resume.addEventListener('click', () => this.resume())
    this.$stop.addEventListener('click', () => this.stop())
    document.addEventListener('keydown', event => {
      if (event.key === 'Escape' && this.active()) {
        event.preventDefault()
        this.stop()
      }
    })
    document.addEventListener('visibilitychange', () => this.resync())
    this.still.addEventListener('change', () => {
      this.applyMotion()
      this.resync(true)
    })
  }

  hideUnless (need, supported) {
    const $label = this.$setup.querySelector(`[data-needs="${need}"]`) ||
      this.$setup.querySelector(`input[data-pref="${need}"]`)?.closest('label')
    if (!$label) return
    $label.hidden = !supported
  }

  /** Whether a session is running or paused. */
  active () {
    return this.session?.status === 'running' || this.session?.status === 'paused'
  }

  readLimit () {
    const value = this.$setup.querySelector('input[name="length"]:checked')?.value ?? 'open'
    if (value.startsWith('minutes:')) return { limit: { kind: 'minutes', value: Number(value.slice(8)) }, token: value }
    if (value === 'cycles') {
      const n = Math.min(100, Math.max(1, Math.round(Number(this.$cycles.value) || 1)))
      this.$cycles.value = n
      return { limit: { kind: 'cycles', value: n }, token: `cycles=${n}` }
    }
    return { limit: { kind: 'open' }, token: 'open' }
  }

  /** Begin a new session with the chosen length and cues. */
  /**
   * Bring the circle fully into view, with the Pause button below it when
   * both fit (focusing Pause alone can scroll the circle off the top).
   */
  keepCircleInView () {
    const margin = 8
    const top = this.$stage.getBoundingClientRect().top
    const bottom = this.$pause.getBoundingClientRect().bottom
    if (top >= 0 && bottom <= innerHeight) return
    const fits = bottom - top + 2 * margin <= innerHeight
    window.scrollBy(0, fits && top >= 0 ? bottom - innerHeight + margin : top - margin)
  }

  start () {
    if (this.active()) return
    const { limit, token } = this.readLimit()
    setValue(`length.${this.tool}`, token)
    const checked = name => {
      const $box = this.$setup.querySelector(`input[data-pref="${name}"]`)
      return Boolean($box?.checked && !$box.closest('[hidden]'))
    }
    this.cues = { tones: checked('tones'), vibration: checked('vibration'), speech: checked('speech') }
    if (this.cues.tones) cues.unlockAudio()
    this.session = new Session(this.pattern, limit)
    this.startedAt = Date.now()
    this.key = null
    if (this.$feeling) this.$feeling.hidden = true
    this.$setup.hidden = true
    this.$controls.hidden = false
    // "Press Escape" only where there is likely a keyboard, not on touch screens.
    this.$keys.hidden = !matchMedia('(hover: hover) and (pointer: fine)').matches
    this.$pause.hidden = false
    this.$resume.hidden = true
    this.$root.classList.add('is-running')
    this.$pause.focus({ preventScroll: true })
    this.keepCircleInView()
    this.wakeLock.want()
    this.session.start(this.clock())
    this.tick()
  }

  /** Pause, keeping the rest of the phase for later. */
  pause () {
    if (!this.session?.pause(this.clock())) return
    clearTimeout(this.timer)
    cues.hush()
    const state = this.session.state(this.clock())
    this.setShape(state.fullness, 0)
    this.$phase.textContent = 'Paused'
    this.$pause.hidden = true
    this.$resume.hidden = false
    this.$resume.focus()
    this.wakeLock.release()
    this.emit('wayfinder:pause', {})
  }

  /** Carry on from the pause. */
  resume () {
    if (!this.session?.resume(this.clock())) return
    this.$resume.hidden = true
    this.$pause.hidden = false
    this.$pause.focus()
    this.wakeLock.want()
    this.key = null // announce the phase again
    this.tick()
  }

  /** Stop for good and offer the feeling check. */
  stop () {
    if (!this.session?.stop(this.clock())) return
    this.end()
  }

  /** Work out where we are from the clock, update what changed, sleep until the next change. */
  tick () {
    clearTimeout(this.timer)
    if (!this.session) return
    const now = this.clock()
    const state = this.session.state(now)
    if (state.status === 'finished') return this.end()
    if (state.status !== 'running') return
    if (state.key !== this.key) this.enterPhase(state, now)
    this.showCount(state)
    // Wake at the next phase change or the next countdown second, whichever is first.
    const next = this.session.nextChangeAt(now)
    const second = state.phaseRemaining % 1000 || 1000
    const wait = Math.max(0, Math.min(next - now, second))
    this.timer = setTimeout(() => this.tick(), wait)
  }

  /** A new phase began: words, cues, shape, and an event with the timing. */
  enterPhase (state, now) {
    this.key = state.key
    const { phase } = state
    this.$phase.textContent = phase.label
    this.$root.dataset.breath = phase.kind
    if (this.cues.tones) cues.tone(phase.kind)
    if (this.cues.vibration) cues.vibrate(phase.kind)
    if (this.cues.speech) cues.speak(phase.label)
    this.setShape(state.fullness, state.phaseRemaining, phase.to, phase.from)
    this.emit('wayfinder:phase', {
      index: phase.index,
      kind: phase.kind,
      label: phase.label,
      cycle: state.cycle,
      ms: phase.ms,
      scheduledAt: state.phaseStartedAt,
      at: now
    })
  }

  showCount (state) {
    this.$count.textContent = String(Math.max(1, Math.ceil(state.phaseRemaining / 1000)))
    const { limit } = this.session
    if (limit.kind === 'minutes') {
      const s = Math.ceil(state.remainingMs / 1000)
      this.$left.textContent = `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')} left`
    } else if (limit.kind === 'cycles') {
      this.$left.textContent = `Breath ${Math.min(state.cycle + 1, limit.value)} of ${limit.value}`
    } else {
      this.$left.textContent = `Breath ${state.cycle + 1}`
    }
  }

  /**
   * Put the shape at `from` now, then glide to `to` over `ms` on the compositor.
   * When the last glide already ended at `resting` (a phase change on time),
   * the shape just glides on from there, with no forced style recalculation.
   * @param {number} from fullness now, 0 to 1
   * @param {number} ms how long the glide lasts (0 to jump)
   * @param {number} [to] fullness at the end of the glide
   * @param {number} [resting] where this glide naturally starts
   */
  setShape (from, ms, to = from, resting = Number.NaN) {
    const $shape = this.$shape
    const prop = this.$root.classList.contains('breather--still') ? 'opacity' : 'transform'
    const value = f => prop === 'opacity' ? String(MIN_OPACITY + (1 - MIN_OPACITY) * f) : `scale(${MIN_SCALE + (1 - MIN_SCALE) * f})`
    const flowing = this.shapeLevel === resting
    if (!flowing) {
      // Inline !important so the site-wide reduced-motion rule does not cut the gentle fade short.
      $shape.style.setProperty('transition-duration', '0ms', 'important')
      $shape.style[prop] = value(from)
    }
    if (ms > 0 && to !== from) {
      if (!flowing) getComputedStyle($shape)[prop] // commit the start value before gliding
      $shape.style.setProperty('transition-duration', `${Math.round(ms)}ms`, 'important')
      $shape.style[prop] = value(to)
    }
    this.shapeLevel = ms > 0 ? to : from
  }

  /** Reduced motion: the shape keeps its size and fades instead. */
  applyMotion () {
    const still = this.still.matches
    this.$root.classList.toggle('breather--still', still)
    this.shapeLevel = null
    if (still) this.$shape.style.transform = ''
    else this.$shape.style.opacity = ''
  }

  /** Back from a hidden tab (or a motion setting change): catch up with the clock. */
  resync (force = false) {
    if (document.visibilityState !== 'visible' || !this.session) return
    if (this.session.status === 'running') {
      this.wakeLock.want()
      const state = this.session.state(this.clock())
      if (state.key === this.key || force) this.setShape(state.fullness, state.phaseRemaining, state.phase.to)
      this.tick()
    } else if (this.session.status === 'paused' && force) {
      this.setShape(this.session.state(this.clock()).fullness, 0)
    }
  }

  /** The session is over (finished or stopped): save it and ask how it went. */
  async end () {
    clearTimeout(this.timer)
    cues.hush()
    this.wakeLock.release()
    const session = this.session
    const now = this.clock()
    const completed = session.status === 'finished'
    const activeMs = session.activeMs(now)
    this.$phase.textContent = completed ? ENDED.finished : ENDED.stopped
    this.$count.textContent = ''
    this.$left.textContent = ''
    delete this.$root.dataset.breath
    this.$root.classList.remove('is-running')
    this.setShape(session.state(now).fullness, 1500, 0)
    this.$controls.hidden = true
    this.$keys.hidden = true
    this.$setup.hidden = false
    this.$setup.querySelector('[data-start]').textContent = 'Start again'
    let stored = null
    try {
      stored = await addSession({ tool: this.tool, title: this.title, startedAt: this.startedAt, activeMs, completed }, this.store)
    } catch (error) {
      console.warn('Wayfinder: could not save this session on the device', error)
    }
    this.emit('wayfinder:session-end', { completed, activeMs, id: stored?.id ?? null })
    offerFeelingCheck(this.$feeling, stored, { store: this.store })
  }

  emit (name, detail) {
    this.$root.dispatchEvent(new CustomEvent(name, { bubbles: true, detail }))
  }
}
