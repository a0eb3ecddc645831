// Gentle totals for the tools summary: minutes this week and what helped, in words.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { summarise, minutesInWords, times, WEEK_MS } from '../../frontend/js/tools-summary-model.mjs'

test('totals: minutes in the past 7 days and tools that helped, nothing else', () => {
  const now = Date.UTC(2026, 10, 26, 12)
  const day = 24 * 60 * 60 * 1000
  const sessions = [
    { tool: 'breathing/box', title: 'Box breathing', startedAt: now - 1 * day, activeMs: 180000, feeling: 'better' },
    { tool: 'breathing/box', title: 'Box breathing', startedAt: now - 2 * day, activeMs: 64000, feeling: 'better' },
    { tool: 'mindfulness/body-scan', title: 'Body scan', startedAt: now - 3 * day, activeMs: 270000, feeling: 'same' },
    { tool: 'mindfulness/grounding', title: 'Grounding', startedAt: now - 10 * day, activeMs: 200000, feeling: 'better' },
    { tool: 'breathing/4-7-8', title: '4-7-8 breathing', startedAt: now - 1000, activeMs: 57000, feeling: 'worse' },
    { tool: 'broken', title: 'Odd', startedAt: now - 1000, activeMs: Number.NaN }
  ]
  const totals = summarise(sessions, now)
  assert.equal(totals.weekMs, 180000 + 64000 + 270000 + 57000)
  assert.equal(totals.weekSessions, 5)
  assert.deepEqual(totals.helpful, [
    { tool: 'breathing/box', title: 'Box breathing', times: 2 },
    { tool: 'mindfulness/grounding', title: 'Grounding', times: 1 }
  ])
  assert.equal(totals.total, 6)
  assert.deepEqual(Object.keys(totals).sort(), ['helpful', 'total', 'weekMs', 'weekSessions'], 'no streaks')
  assert.equal(summarise([{ tool: 'a', title: 'A', startedAt: now - WEEK_MS, activeMs: 60000 }], now).weekMs, 0)
  assert.deepEqual(summarise([], now), { weekMs: 0, weekSessions: 0, helpful: [], total: 0 })
})

test('time and counts in words', () => {
  assert.equal(minutesInWords(20000), 'under a minute')
  assert.equal(minutesInWords(60000), '1 minute')
  assert.equal(minutesInWords(571000), '10 minutes')
  assert.equal(minutesInWords(3600000), '1 hour')
  assert.equal(minutesInWords(3900000), '1 hour 5 minutes')
  assert.equal(minutesInWords(2 * 3600000 + 60000), '2 hours 1 minute')
  assert.deepEqual([times(1), times(2), times(5)], ['once', 'twice', '5 times'])
})
