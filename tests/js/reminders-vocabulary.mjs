// The one definition of reminder kinds and days (server/push/vocabulary.json),
// which the server also renders into the page's #reminder-vocabulary block,
// handed to reminders-model.mjs the way the page does. Import it first.
import { readFileSync } from 'node:fs'
import { useVocabulary } from '../../frontend/js/reminders-model.mjs'

/** The vocabulary as the page receives it. */
export const VOCABULARY = JSON.parse(readFileSync(new URL('../../server/push/vocabulary.json', import.meta.url), 'utf8'))
useVocabulary(VOCABULARY)
