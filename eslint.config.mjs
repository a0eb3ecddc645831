// ESLint for every ES module: the page's (browser), the worker's (service
// worker) and the node tests. Run: npx eslint frontend/js service_worker tests/js tests/browser
import js from '@eslint/js'
import globals from 'globals'

export default [
  // Vendored as published (see the header of each file).
  { ignores: ['frontend/js/idb.mjs'] },
  js.configs.recommended,
  // A hook that ignores its argument names it with a leading underscore.
  { rules: { 'no-unused-vars': ['error', { argsIgnorePattern: '^_' }] } },
  { files: ['frontend/js/**/*.mjs'], languageOptions: { globals: globals.browser } },
  // The first-paint script: a classic script the server puts inline in <head>.
  { files: ['frontend/js/first-paint.js'], languageOptions: { sourceType: 'script', globals: globals.browser } },
  { files: ['service_worker/**/*.mjs'], languageOptions: { globals: globals.serviceworker } },
  { files: ['tests/js/**/*.mjs', 'tests/browser/**/*.mjs'], languageOptions: { globals: globals.node } }
]
