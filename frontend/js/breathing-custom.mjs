/**
 * Make, list and delete your own breathing patterns on /tools/breathing
 * ([data-module="breathing-custom"]). They are saved on this device only.
 */
import { validate, save, loadAll, remove, summary } from './breathing-custom-store.mjs'

/**
 * Start the pattern maker in $root.
 * @param {HTMLElement} $root
 * @param {{store?: import('./personal-store.mjs').PersonalStore}} [options] the personal store, for tests
 */
export async function init ($root, options = {}) {
  const store = options.store
  const $form = $root.querySelector('[data-custom-form]')
  const $status = $root.querySelector('[data-custom-status]')
  const $list = $root.querySelector('[data-custom-saved]')
  const $wrap = $root.querySelector('[data-custom-saved-wrap]')
  $form.hidden = false

  const render = async () => {
    let patterns
    try {
      patterns = await loadAll(store)
    } catch (error) {
      patterns = []
      if (error.name === 'LockedError') $status.textContent = 'Your saved patterns are locked. Unlock them on the My data page.'
      else console.warn('Wayfinder: could not read saved patterns', error)
    }
    $list.replaceChildren(...patterns.map(pattern => {
      const $li = document.createElement('li')
      $li.className = 'saved-pattern'
      const $link = document.createElement('a')
      $link.href = `/tools/breathing/custom#${encodeURIComponent(pattern.id)}`
      $link.textContent = pattern.name
      const $about = document.createElement('span')
      $about.className = 'hint'
      $about.textContent = summary(pattern)
      const $delete = document.createElement('button')
      $delete.type = 'button'
      $delete.className = 'button button--quiet'
      $delete.textContent = 'Delete'
      $delete.setAttribute('aria-label', `Delete ${pattern.name}`)
      $delete.addEventListener('click', async () => {
        if (await remove(pattern.id, store)) {
          $status.textContent = `Deleted ${pattern.name}.`
          await render()
          $form.querySelector('input[name="name"]').focus()
        }
      })
      $li.append($link, ' ', $about, ' ', $delete)
      return $li
    }))
    $wrap.hidden = patterns.length === 0
  }

  $form.addEventListener('submit', async event => {
    event.preventDefault()
    const data = Object.fromEntries(new FormData($form))
    const { ok, errors, value } = validate(data)
    for (const $error of $form.querySelectorAll('[data-error-for]')) {
      const message = errors[$error.dataset.errorFor] ?? ''
      $error.textContent = message
      $form.elements[$error.dataset.errorFor].setAttribute('aria-invalid', String(Boolean(message)))
    }
    if (!ok) {
      $status.textContent = 'Please check the highlighted fields.'
      $form.querySelector('[aria-invalid="true"]')?.focus()
      return
    }
    try {
      const pattern = await save(value, store)
      $status.textContent = `Saved ${pattern.name}. You can find it under "Saved on this device".`
      $form.elements.name.value = ''
      await render()
      $list.querySelector('li:last-child a')?.focus()
    } catch (error) {
      $status.textContent = error.message
    }
  })
  await render()
}
