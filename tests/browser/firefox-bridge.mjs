// Drives Debian's Firefox ESR over WebDriver BiDi with puppeteer-core, for the
// cross-engine tests in tests/browser/engines.py. pytest starts one of these
// per browser and sends it one JSON command a line on stdin; each answer is
// one JSON line on stdout: {"id": n, "value": ...} or {"id": n, "error": "..."}.
// Commands: launch, goto, viewport, addInitScript, evaluate, problems, close.
import { createInterface } from 'node:readline'
import puppeteer from 'puppeteer-core'

let browser = null
let page = null
let origin = ''
const problems = []

/** Record what the driver itself reports: console errors, uncaught errors, foreign requests. */
function watch (tab) {
  tab.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console error: ${msg.text()}`)
  })
  tab.on('pageerror', (error) => problems.push(`uncaught: ${error.stack || error.message || error}`))
  tab.on('request', (request) => {
    const url = new URL(request.url())
    if (['http:', 'https:', 'ws:', 'wss:'].includes(url.protocol) && url.origin !== origin) {
      problems.push(`request left the origin: ${request.url()}`)
    }
  })
}

/**
 * Size the page. Firefox ESR 140 (on some of these machines) has no BiDi screen-orientation
 * override, which puppeteer sends beside the viewport; the viewport itself
 * is set all the same: wait until the page's own size says so.
 */
async function resize (width, height) {
  try {
    await page.setViewport({ width, height })
  } catch (error) {
    if (!String(error.message).includes('setScreenOrientationOverride')) throw error
    // The viewport command may still be on its way when the other one fails.
    let size = []
    for (let tries = 0; tries < 100; tries++) {
      size = await page.evaluate(() => [globalThis.innerWidth, globalThis.innerHeight])
      if (size[0] === width && size[1] === height) return
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
    throw new Error(`the viewport is ${size.join('x')}, not ${width}x${height}`)
  }
}

const commands = {
  async launch ({ executablePath, userDataDir, prefs, hooks, url }) {
    origin = new URL(url).origin
    browser = await puppeteer.launch({
      browser: 'firefox',
      executablePath,
      userDataDir,
      headless: true,
      extraPrefsFirefox: prefs
    })
    page = (await browser.pages())[0] ?? await browser.newPage()
    await resize(390, 844)
    watch(page)
    await page.evaluateOnNewDocument(new Function(`return (${hooks})`)())
    return browser.version()
  },
  async goto ({ url }) {
    origin = new URL(url).origin
    await page.goto(url, { waitUntil: 'load' })
    return page.url()
  },
  async viewport ({ width, height }) {
    await resize(width, height)
    return true
  },
  async addInitScript ({ source }) {
    const { identifier } = await page.evaluateOnNewDocument(new Function(`return (${source})`)())
    return identifier
  },

  async evaluate ({ source, args }) {
    // The function runs in the page; puppeteer passes it as a function, so the
    // page's CSP (no eval) does not apply to it.
    const fn = new Function(`return (${source})`)()
    return page.evaluate(fn, ...args)
  },
  async problems () {
    return problems.splice(0)
  },
  async close () {
    await browser?.close()
    browser = null
    return true
  }
}

const lines = createInterface({ input: process.stdin })
for await (const line of lines) {
  const { id, cmd, ...params } = JSON.parse(line)
  let answer
  try {
    answer = { id, value: (await commands[cmd](params)) ?? null }
  } catch (error) {
    answer = { id, error: String(error?.stack ?? error) }
  }
  process.stdout.write(JSON.stringify(answer) + '\n')
  if (cmd === 'close') break
}
await browser?.close()
