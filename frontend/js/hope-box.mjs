/**
 * My hope box ([data-module="hope-box"]): the plan's reasons for living,
 * photos (made at most 1,600 px on the device and kept as image bytes), letters
 * to oneself and kind words from others, all in the personal store.
 */
import { LockedError } from './personal-store.mjs'
import { entries, fitWithin, hopeOrder, isHopeItem, normalisePlan } from './plan-model.mjs'
import { addHope, base64ToBlob, blobToBase64, listHope, loadPlan, removeHope } from './plan-store.mjs'

/** JPEG quality for resized photos. */
const PHOTO_QUALITY = 0.85

/**
 * A photo file made at most 1,600 px on its longest side, as JPEG.
 * @param {Blob} file
 * @returns {Promise<{blob: Blob, width: number, height: number}>}
 */
export async function resizePhoto (file) {
  const bitmap = await createImageBitmap(file)
  const { width, height } = fitWithin(bitmap.width, bitmap.height)
  const $canvas = document.createElement('canvas')
  $canvas.width = width
  $canvas.height = height
  const context = $canvas.getContext('2d')
  context.fillStyle = '#ffffff' // a transparent picture gets a white ground, as JPEG has no transparency
  context.fillRect(0, 0, width, height)
  context.drawImage(bitmap, 0, 0, width, height)
  bitmap.close()
  const blob = await new Promise((resolve, reject) =>
    $canvas.toBlob(b => (b ? resolve(b) : reject(new Error('could not encode the photo'))), 'image/jpeg', PHOTO_QUALITY))
  return { blob, width, height }
}

/**
 * Start the hope box.
 * @param {HTMLElement} $root
 */
export function init ($root) {
  const { steps } = JSON.parse($root.querySelector('[data-plan-steps]').textContent)
  const $status = $root.querySelector('[data-hope-status]')
  const urls = []
  $root.hidden = false

  const say = text => { $status.textContent = text }

  const draw = async () => {
    let plan, items
    try {
      plan = normalisePlan(steps, await loadPlan())
      items = hopeOrder((await listHope()).filter(r => isHopeItem(r.data)))
    } catch (error) {
      if (!(error instanceof LockedError)) throw error
      $root.querySelector('[data-hope-locked]').hidden = false
      $root.querySelector('[data-hope-open]').hidden = true
      return
    }
    const reasons = entries(plan.steps.reasons?.text)
    $root.querySelector('[data-hope-reasons]').replaceChildren(...reasons.map(r => item('li', r)))
    $root.querySelector('[data-hope-no-reasons]').hidden = reasons.length > 0
    urls.splice(0).forEach(u => URL.revokeObjectURL(u))
    for (const kind of ['photo', 'letter', 'message']) {
      const $list = $root.querySelector(`[data-hope-list="${kind}"]`)
      $list.replaceChildren(...items.filter(r => r.data.kind === kind).map(r => hopeItem(r, urls, async () => {
        await removeHope(r.id)
        say('Removed from your hope box.')
        await draw()
        $root.querySelector(`#hope-${kind === 'photo' ? 'photos' : kind + 's'}-heading`).focus()
      })))
    }
    $root.dataset.hopeReady = ''
  }

  $root.querySelector('[data-hope-photo]').addEventListener('change', async (event) => {
    const file = event.target.files?.[0]
    if (!file) return
    say('Adding your photo…')
    try {
      const { blob, width, height } = await resizePhoto(file)
      const $caption = $root.querySelector('[data-hope-caption]')
      await addHope({ kind: 'photo', text: $caption.value.trim(), photo: { type: blob.type, width, height, data: await blobToBase64(blob) } })
      $caption.value = ''
      event.target.value = ''
      say('Photo added to your hope box.')
      await draw()
    } catch (error) {
      console.warn('Wayfinder: could not add the photo', error)
      say('That photo could not be added. Try another one.')
    }
  })
  for (const $form of $root.querySelectorAll('[data-hope-form]')) {
    $form.addEventListener('submit', async (event) => {
      event.preventDefault()
      const text = $form.elements.text.value.trim()
      if (!text) return say('Write something first.')
      const from = $form.elements.from?.value.trim() ?? ''
      await addHope({ kind: $form.dataset.hopeForm, text, ...(from ? { from } : {}) })
      $form.reset()
      say($form.dataset.hopeForm === 'letter' ? 'Letter kept in your hope box.' : 'Message kept in your hope box.')
      await draw()
    })
  }
  draw()
}

function item (tag, text, className) {
  const $el = document.createElement(tag)
  if (className) $el.className = className
  $el.textContent = text
  return $el
}

/** One hope box item, with its Remove button. */
function hopeItem (record, urls, remove) {
  const { kind, text, from, photo } = record.data
  const $li = item('li', '', `hope-item hope-item--${kind}`)
  if (kind === 'photo') {
    const url = URL.createObjectURL(base64ToBlob(photo.data, photo.type))
    urls.push(url)
    const $figure = document.createElement('figure')
    const $img = document.createElement('img')
    $img.src = url
    $img.width = photo.width
    $img.height = photo.height
    $img.alt = text || 'A photo you added'
    $figure.append($img)
    if (text) $figure.append(item('figcaption', text))
    $li.append($figure)
  } else {
    const $quote = document.createElement('blockquote')
    for (const para of text.split(/\n+/)) $quote.append(item('p', para))
    $li.append($quote)
    if (from) $li.append(item('p', `From ${from}`, 'hint'))
  }
  const $remove = item('button', 'Remove', 'button button--quiet')
  $remove.type = 'button'
  // No template literal inside another: the asset minifier (rjsmin) does not read them.
  const what = kind === 'photo' ? 'photo' + (text ? ': ' + text : '') : kind + ': ' + text.slice(0, 40)
  $remove.setAttribute('aria-label', 'Remove ' + what)
  $remove.addEventListener('click', remove)
  $li.append(item('p', ''))
  $li.lastChild.append($remove)
  return $li
}
