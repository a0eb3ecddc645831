/**
 * Guided mindfulness component ([data-module="mindfulness"]).
 *
 * The page is a readable script without JavaScript. With it, Start walks
 * through the steps one at a time: timed steps move on by themselves, others
 * wait for Next; pause, resume, back, next and stop are always one tap, and
 * Escape stops. Timing comes from mindfulness-model.mjs against performance.now().
 */
import { Sequencer } from './mindfulness-model.mjs'
import { bindPrefs } from './tools-prefs.mjs'
import * as cues from './tools-cues.mjs'
import { addSession, addNote, allNotes, clearNotes } from './tools-store.mjs'
import { offerFeelingCheck } from './tools-feeling-check.mjs'

/**
 * Start the guided exercise in $root.
 * @param {HTMLElement} $root
 * @param {{clock?: () => number, store?: Function, noteStore?: Function}} [options] for tests
 * @returns {Guide}
 */
export function init ($root, options = {}) {
  const guide = new Guide($root, options)
  guide.mount()
  return guide
}

class Guide {
  constructor ($root, { clock = () => performance.now(), store, noteStore } = {}) {
    this.$root = $root
    this.clock = clock
    this.store = store
    this.noteStore = noteStore
    this.tool = $root.dataset.tool
    this.title = $root.dataset.title
    this.seq = null
    this.index = -1
    this.timer = 0
    this.wakeLock = new cues.WakeLock()
    this.still = matchMedia('(prefers-reduced-motion: reduce)')
    const q = sel => $root.querySelector(sel)
    this.$setup = q('[data-setup]')
    this.$now = q('[data-now]')
    this.$position = q('[data-position]')
    this.$fill = q('[data-fill]')
    this.$time = q('[data-time]')
    this.$controls = q('[data-controls]')
    this.$pause = q('[data-pause]')
    this.$resume = q('[data-resume]')
    this.$back = q('[data-back]')
    this.$next = q('[data-next]')
    this.$stop = q('[data-stop]')
    this.$keys = q('[data-keys]')
    this.$live = q('[data-live]')
    this.$steps = [...$root.querySelectorAll('[data-step]')]
    this.$feeling = document.querySelector('[data-feeling]')
    this.$notes = document.querySelector('[data-notes]')
    this.$kept = document.querySelector('[data-notes-kept]')
  }

  /** Show the controls and wire up events. */
  mount () {
    this.$setup.hidden = false
    bindPrefs(this.$setup)
    const $speech = this.$setup.querySelector('[data-needs="speech"]')
    $speech.hidden = true
    const $options = $speech.closest('fieldset')
    const showOptions = () => {
      $options.hidden = [...$options.querySelectorAll('label')].every($label => $label.hidden)
    }
    showOptions()
    cues.whenVoices(available => {
      $speech.hidden = !available
      showOptions()
    })
    this.$setup.addEventListener('submit', event => {
      event.preventDefault()
      this.start()
    })
    this.$pause.addEventListener('click', () => this.act('pause'))
    this.$resume.addEventListener('click', () => this.act('resume'))
    this.$back.addEventListener('click', () => this.act('back'))
    this.$next.addEventListener('click', () => this.act('next'))
    this.$stop.addEventListener('click', () => this.act('stop'))
    document.addEventListener('keydown', event => {
      if (event.key === 'Escape' && this.active()) {
        event.preventDefault()
        this.act('stop')
      }
    })
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'visible' && this.seq?.status === 'running') {
        this.wakeLock.want()
        this.tick()
      }
    })
    this.mountNotes()
  }

  /** Whether the exercise is running or paused. */
  active () {
    return this.seq?.status === 'running' || this.seq?.status === 'paused'
  }

  /** Begin at the first step. */
  start () {
    if (this.active()) return
    const checked = name => {
      const $box = this.$setup.querySelector(`input[data-pref="${name}"]`)
      return Boolean($box?.checked && !$box.closest('[hidden]'))
    }
    this.cues = { bell: checked('bell'), speech: checked('read-aloud') }
    if (this.cues.bell) cues.unlockAudio()
    this.seq = new Sequencer(this.$steps.map($s => ({ ms: $s.dataset.seconds ? Number($s.dataset.seconds) * 1000 : null })))
    this.startedAt = Date.now()
    this.index = -1
    for (const $input of this.$root.querySelectorAll('[data-notice]')) $input.value = ''
    if (this.$feeling) this.$feeling.hidden = true
    if (this.$notes) this.$notes.hidden = true
    this.$root.classList.add('is-guided')
    this.$setup.hidden = true
    this.$now.hidden = false
    this.$controls.hidden = false
    this.$keys.hidden = false
    this.$pause.hidden = false
    this.$resume.hidden = true
    this.wakeLock.want()
    this.seq.start(this.clock())
    this.tick()
    this.$pause.focus()
  }

  /**
   * Do what a control button asks.
   * @param {'pause'|'resume'|'back'|'next'|'stop'} action
   */
  act (action) {
    if (!this.seq) return
    const now = this.clock()
    if (!this.seq[action](now)) return
    if (action === 'pause') {
      cues.hush()
      this.wakeLock.release()
      this.$pause.hidden = true
      this.$resume.hidden = false
      this.$resume.focus()
      this.$live.textContent = 'Paused'
    } else if (action === 'resume') {
      this.wakeLock.want()
      this.$resume.hidden = true
      this.$pause.hidden = false
      this.$pause.focus()
      this.$live.textContent = 'Carrying on'
    }
    if (action === 'back' || action === 'next') this.index = -1 // show and announce the step afresh
    this.tick()
  }

  /** Work out where we are from the clock, update what changed, sleep until the next change. */
  tick () {
    clearTimeout(this.timer)
    const now = this.clock()
    const state = this.seq.state(now)
    if (state.status === 'finished' || state.status === 'stopped') return this.end(state)
    if (state.index !== this.index) this.enterStep(state, now)
    this.showTime(state)
    this.showBar(state)
    if (state.status !== 'running') return
    const next = this.seq.nextChangeAt(now)
    if (next === null) return // waiting for Next
    const second = state.stepRemaining % 1000 || 1000
    this.timer = setTimeout(() => this.tick(), Math.max(0, Math.min(next - now, second)))
  }

  enterStep (state, now) {
    this.index = state.index
    const $step = this.$steps[state.index]
    this.$steps.forEach(($s, i) => $s.classList.toggle('is-current', i === state.index))
    this.$position.textContent = `Step ${state.index + 1} of ${state.count}`
    const words = `${$step.dataset.title}. ${$step.querySelector('.step__text').textContent.trim()}`
    this.$live.textContent = words
    if (this.cues.bell && 'bell' in $step.dataset) cues.bell()
    if (this.cues.speech) cues.speak(words)
    this.$next.textContent = state.index === state.count - 1 ? 'Finish' : 'Next'
    this.$root.dispatchEvent(new CustomEvent('wayfinder:step', {
      bubbles: true,
      detail: { index: state.index, at: now, waiting: state.waiting }
    }))
  }

  showTime (state) {
    if (state.status === 'paused') this.$time.textContent = 'Paused'
    else if (state.waiting) this.$time.textContent = 'Take as long as you need, then choose Next.'
    else this.$time.textContent = `${Math.ceil(state.stepRemaining / 1000)} seconds left in this step`
  }

  /** A bar that fills across each timed step: one compositor transition per step. */
  showBar (state) {
    const $fill = this.$fill
    const timed = state.progress !== null
    $fill.parentElement.hidden = !timed || this.still.matches
    if (!timed || this.still.matches) return
    $fill.style.setProperty('transition-duration', '0ms', 'important')
    $fill.style.transform = `scaleX(${state.progress})`
    if (state.status === 'running' && state.stepRemaining > 0) {
      getComputedStyle($fill).transform // commit the start value before filling
      $fill.style.setProperty('transition-duration', `${Math.round(state.stepRemaining)}ms`, 'important')
      $fill.style.transform = 'scaleX(1)'
    }
  }

  /** Finished or stopped: show the whole script again, notes, and the feeling check. */
  async end (state) {
    clearTimeout(this.timer)
    cues.hush()
    this.wakeLock.release()
    const completed = state.status === 'finished'
    if (completed && this.cues.bell && 'bell' in this.$steps.at(-1).dataset) cues.bell()
    this.$root.classList.remove('is-guided')
    this.$steps.forEach($s => $s.classList.remove('is-current'))
    this.$now.hidden = true
    this.$controls.hidden = true
    this.$keys.hidden = true
    this.$setup.hidden = false
    this.$setup.querySelector('[data-start]').textContent = 'Start again'
    this.$live.textContent = completed ? 'That is the end of the exercise.' : 'Stopped.'
    const noted = this.notedItems()
    if (this.$notes && noted.length) this.offerNotes(noted)
    let stored = null
    try {
      stored = await addSession({ tool: this.tool, title: this.title, startedAt: this.startedAt, activeMs: state.activeMs, completed }, this.store)
    } catch (error) {
      console.warn('Wayfinder: could not save this exercise on the device', error)
    }
    this.$root.dispatchEvent(new CustomEvent('wayfinder:session-end', {
      bubbles: true,
      detail: { completed, activeMs: state.activeMs, id: stored?.id ?? null }
    }))
    offerFeelingCheck(this.$feeling, stored, { store: this.store })
    if (this.$notes && noted.length) this.$notes.querySelector('h2').focus()
  }

  // --- Grounding notes: nothing is kept unless the person asks. ---

  notedItems () {
    return [...this.$root.querySelectorAll('[data-notice]')]
      .filter($input => $input.value.trim())
      .map($input => ({ step: $input.dataset.notice, text: $input.value.trim() }))
  }

  offerNotes (items) {
    this.pendingNotes = items
    this.$notes.querySelector('[data-notes-status]').textContent = ''
    for (const $b of this.$notes.querySelectorAll('button')) $b.disabled = false
    this.$notes.hidden = false
  }

  mountNotes () {
    if (!this.$notes) return
    const $status = this.$notes.querySelector('[data-notes-status]')
    const clearInputs = () => {
      for (const $input of this.$root.querySelectorAll('[data-notice]')) $input.value = ''
      this.pendingNotes = []
      for (const $b of this.$notes.querySelectorAll('button')) $b.disabled = true
    }
    this.$notes.querySelector('[data-notes-keep]').addEventListener('click', async () => {
      try {
        await addNote({ tool: this.tool, items: this.pendingNotes }, this.noteStore)
        clearInputs()
        const locked = await this.showKept()
        $status.textContent = locked
          ? 'Kept on this device, locked with your passphrase. Unlock on the Your data page to see them.'
          : 'Kept on this device. You can delete them below at any time.'
      } catch (error) {
        console.warn('Wayfinder: could not keep these notes', error)
        $status.textContent = 'This browser would not let us keep them. Nothing was saved.'
      }
    })
    this.$notes.querySelector('[data-notes-clear]').addEventListener('click', () => {
      clearInputs()
      $status.textContent = 'Cleared. Nothing was saved.'
    })
    this.$kept.querySelector('[data-notes-delete]').addEventListener('click', async () => {
      await clearNotes(this.noteStore)
      this.$kept.hidden = true
      $status.textContent = 'Your kept notes are deleted.'
    })
    this.showKept()
  }

  /** Show the kept notes; true when they are locked. */
  async showKept () {
    let notes = []
    let locked = false
    try {
      notes = await allNotes(this.tool, this.noteStore)
    } catch (error) {
      locked = error?.name === 'LockedError'
    }
    const $list = this.$kept.querySelector('[data-notes-list]')
    $list.replaceChildren(...notes.map(note => {
      const $li = document.createElement('li')
      const date = new Date(note.savedAt).toLocaleDateString(undefined, { day: 'numeric', month: 'long' })
      $li.textContent = `${date}: ${note.items.map(item => item.text).join(', ')}`
      return $li
    }))
    this.$kept.hidden = notes.length === 0
    return locked
  }
}
