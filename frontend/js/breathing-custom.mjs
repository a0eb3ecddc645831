/**
 * Make, list and delete your own breathing patterns on /tools/breathing
 * ([data-module="breathing-custom"]). They are saved on this device only.
 */
import { validate, save, loadAll, remove, summary } from './breathing-custom-store.mjs'

/**
 * Start the pattern maker in $root.
 * @param {HTMLElement} $root
 * @param {{storage?: Storage}} [options] storage, for tests
 */
export function init ($root, options = {}) {
  const storage = options.storage
  const $form = $root.querySelector('[data-custom-form]')
  const $status = $root.querySelector('[data-custom-status]')
  const $list = $root.querySelector('[data-custom-saved]')
  const $wrap = $root.querySelector('[data-custom-saved-wrap]')
  $form.hidden = false

  const render = () => {
    const patterns = storage ? loadAll(storage) : loadAll()
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
      $delete.addEventListener('click', () => {
        if (storage ? remove(pattern.id, storage) : remove(pattern.id)) {
          $status.textContent = `Deleted ${pattern.name}.`
          render()
          $form.querySelector('input[name="name"]').focus()
        }
      })
      $li.append($link, ' ', $about, ' ', $delete)
      return $li
    }))
    $wrap.hidden = patterns.length === 0
  }

  $form.addEventListener('submit', event => {
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
      const pattern = storage ? save(value, storage) : save(value)
      $status.textContent = `Saved ${pattern.name}. You can find it under "Saved on this device".`
      $form.elements.name.value = ''
      render()
      $list.querySelector('li:last-child a')?.focus()
    } catch (error) {
      $status.textContent = error.message
    }
  })
  render()
}
