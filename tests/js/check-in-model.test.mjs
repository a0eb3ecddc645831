// Check-ins: the kept shape, local days across time zones and clock changes, grouping, ranges, the summary and CSV.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import {
  MOODS, bucket, checkInData, checkInsCsv, csv, csvField, csvFileName, dayText, deviceZone, groupDays, localDay,
  monthStart, rangeDays, resultsCsv, spanWords, summary, weekStart
} from '../../frontend/js/check-in-model.mjs'

const day = text => Date.parse(text + 'T00:00:00Z') / 86400000

test('five moods in words, lowest first', () => {
  assert.deepEqual(MOODS.map(m => m.value), [1, 2, 3, 4, 5])
  assert.ok(MOODS.every(m => m.label.length > 0))
})

test('a check-in needs a mood from 1 to 5; extras out of range are left out', () => {
  const now = Date.UTC(2026, 2, 29, 8, 30)
  assert.deepEqual(checkInData({ mood: 3 }, now), { at: '2026-03-29T08:30:00.000Z', mood: 3 })
  for (const mood of [0, 6, 2.5, 'x', undefined]) assert.equal(checkInData({ mood }, now), null)
  assert.deepEqual(checkInData({ mood: '4', sleepHours: '7.3', energy: '2', anxiety: 5, note: '  tired  ' }, now),
    { at: '2026-03-29T08:30:00.000Z', mood: 4, sleepHours: 7.5, energy: 2, anxiety: 5, note: 'tired' })
  assert.deepEqual(checkInData({ mood: 2, sleepHours: '', energy: 0, anxiety: 6, note: '   ' }, now),
    { at: '2026-03-29T08:30:00.000Z', mood: 2 })
  assert.equal(checkInData({ mood: 2, sleepHours: 25 }, now).sleepHours, undefined)
  assert.equal(checkInData({ mood: 2, sleepHours: 0 }, now).sleepHours, 0)
  assert.equal(checkInData({ mood: 2, note: 'x'.repeat(600) }, now).note.length, 500)
  assert.equal(checkInData({ mood: 2, at: '2026-01-01T00:00:00.000Z' }, now).at, '2026-01-01T00:00:00.000Z')
})

test('a moment falls on its local calendar day in each time zone', () => {
  const t = Date.parse('2026-03-29T23:30:00Z')
  assert.equal(dayText(localDay(t, 'UTC')), '2026-03-29')
  assert.equal(dayText(localDay(t, 'Europe/London')), '2026-03-30', 'BST: 00:30 the next day')
  assert.equal(dayText(localDay(t, 'America/New_York')), '2026-03-29')
  assert.equal(dayText(localDay(t, 'Asia/Kolkata')), '2026-03-30')
  assert.equal(dayText(localDay(t, 'Pacific/Kiritimati')), '2026-03-30')
  assert.equal(dayText(localDay(Date.parse('2026-03-30T09:00:00Z'), 'Pacific/Honolulu')), '2026-03-29')
})

test('across a clock change, each local day is one day: 23 and 25 hours long', () => {
  // Europe/London: clocks go forward on 29 March 2026 and back on 25 October 2026.
  const zone = 'Europe/London'
  const springs = ['2026-03-28T23:59:00Z', '2026-03-29T00:00:00Z', '2026-03-29T22:59:00Z', '2026-03-29T23:00:00Z']
  assert.deepEqual(springs.map(s => dayText(localDay(Date.parse(s), zone))), ['2026-03-28', '2026-03-29', '2026-03-29', '2026-03-30'])
  const autumn = ['2026-10-24T22:59:00Z', '2026-10-24T23:00:00Z', '2026-10-25T23:59:00Z', '2026-10-26T00:00:00Z']
  assert.deepEqual(autumn.map(s => dayText(localDay(Date.parse(s), zone))), ['2026-10-24', '2026-10-25', '2026-10-25', '2026-10-26'])
  // America/New_York: forward on 8 March 2026, back on 1 November 2026.
  const ny = 'America/New_York'
  assert.equal(dayText(localDay(Date.parse('2026-03-09T03:59:00Z'), ny)), '2026-03-08', '23:59 EDT')
  assert.equal(dayText(localDay(Date.parse('2026-11-02T04:59:00Z'), ny)), '2026-11-01', '23:59 EST')
  // A check-in at 21:00 every evening stays one per day through both changes.
  const evenings = []
  for (let d = 0; d < 250; d++) {
    const local = new Date(Date.UTC(2026, 2, 1 + d, 21))
    const offset = local >= Date.UTC(2026, 2, 29, 1) && local < Date.UTC(2026, 9, 25, 1) ? 1 : 0
    evenings.push({ at: new Date(local - offset * 3600000).toISOString(), value: 3 })
  }
  const days = bucket(evenings, 'day', zone)
  assert.equal(days.length, 250)
  assert.ok(days.every((g, i) => g.count === 1 && g.day === day('2026-03-01') + i))
})

test('weeks start on Monday and months on the 1st; groups average their values', () => {
  assert.equal(dayText(weekStart(day('2026-03-29'))), '2026-03-23', 'a Sunday belongs to the week from Monday')
  assert.equal(dayText(weekStart(day('2026-03-30'))), '2026-03-30')
  assert.equal(dayText(weekStart(day('1970-01-01'))), '1969-12-29')
  assert.equal(dayText(monthStart(day('2024-02-29'))), '2024-02-01')
  const points = [{ day: day('2026-03-23'), value: 1 }, { day: day('2026-03-29'), value: 4 }, { day: day('2026-03-30'), value: 5 }, { day: day('2026-03-31'), value: NaN }]
  assert.deepEqual(groupDays(points, 'week'), [{ day: day('2026-03-23'), value: 2.5, count: 2 }, { day: day('2026-03-30'), value: 5, count: 1 }])
  assert.deepEqual(groupDays(points, 'month').map(g => [dayText(g.day), g.count]), [['2026-03-01', 3]])
  assert.deepEqual(groupDays([], 'day'), [])
})

test('the same moments group by the zone they are read in', () => {
  const points = [{ at: '2026-03-29T23:30:00Z', value: 2 }, { at: '2026-03-30T10:00:00Z', value: 4 }]
  assert.deepEqual(bucket(points, 'day', 'UTC').map(g => [dayText(g.day), g.value]), [['2026-03-29', 2], ['2026-03-30', 4]])
  assert.deepEqual(bucket(points, 'day', 'Europe/London').map(g => [dayText(g.day), g.value]), [['2026-03-30', 3]])
  assert.deepEqual(bucket([{ at: 'garbage', value: 3 }], 'day', 'UTC'), [])
})

test('with no zone given, the process time zone (TZ) decides', () => {
  const script = "import('./frontend/js/check-in-model.mjs').then(m => console.log(m.deviceZone() + ' ' + m.dayText(m.localDay(Date.parse('2026-03-29T23:30:00Z')))))"
  const run = tz => execFileSync(process.execPath, ['--input-type=module', '-e', script], { env: { ...process.env, TZ: tz }, encoding: 'utf8' }).trim()
  assert.equal(run('Europe/London'), 'Europe/London 2026-03-30')
  assert.equal(run('America/Los_Angeles'), 'America/Los_Angeles 2026-03-29')
  assert.equal(run('Asia/Tokyo'), 'Asia/Tokyo 2026-03-30')
  assert.equal(typeof deviceZone(), 'string')
})

test('ranges end today; grouping gets coarser as they grow', () => {
  const today = day('2026-03-29')
  assert.deepEqual(rangeDays('2w', today, null), { from: day('2026-03-16'), to: today, grain: 'day' })
  assert.deepEqual(rangeDays('3m', today, null), { from: day('2025-12-30'), to: today, grain: 'day' })
  assert.deepEqual(rangeDays('1y', today, null), { from: day('2025-03-30'), to: today, grain: 'week' })
  assert.deepEqual(rangeDays('all', today, day('2021-01-01')), { from: day('2021-01-01'), to: today, grain: 'month' })
  assert.deepEqual(rangeDays('all', today, day('2025-06-01')).grain, 'week')
  assert.deepEqual(rangeDays('all', today, null), { from: today, to: today, grain: 'day' })
  assert.throws(() => rangeDays('decade', today, null), RangeError)
})

test('spans in words', () => {
  assert.equal(spanWords(0), '0 days')
  assert.equal(spanWords(1), '1 day')
  assert.equal(spanWords(13), '13 days')
  assert.equal(spanWords(14), '2 weeks')
  assert.equal(spanWords(56), '8 weeks')
  assert.equal(spanWords(120), '4 months')
  assert.equal(spanWords(365 * 5), '5 years')
})

test('the summary: how the PHQ-9 moved, and the mood on average', () => {
  const phq = (at, score) => ({ at, score })
  assert.deepEqual(summary({ mood: [], phq9: [phq('2026-03-29T10:00:00Z', 12), phq('2026-02-01T10:00:00Z', 19)] }, 'UTC'),
    ['Your PHQ-9 went from 19 to 12 over 8 weeks.'])
  assert.deepEqual(summary({ mood: [], phq9: [phq('2026-03-03T10:00:00Z', 12)] }, 'UTC'), ['Your PHQ-9 was 12 on 3 March 2026.'])
  assert.deepEqual(summary({ mood: [], phq9: [phq('2026-03-01T10:00:00Z', 9), phq('2026-03-15T10:00:00Z', 9)] }, 'UTC'),
    ['Your PHQ-9 was 9 at the start and at the end of 2 weeks.'])
  assert.deepEqual(summary({ mood: [{ at: 'x', mood: 2 }, { at: 'x', mood: 3 }, { at: 'x', mood: 3 }], phq9: [] }, 'UTC'),
    ['Across 3 check-ins, your mood was 2.7 out of 5 on average.'])
  assert.deepEqual(summary({ mood: [{ at: 'x', mood: 4 }], phq9: [] }, 'UTC'), ['Across 1 check-in, your mood was 4.0 out of 5 on average.'])
  assert.deepEqual(summary({ mood: [], phq9: [] }, 'UTC'), ['Nothing was kept for this time. Check-ins you make will show here.'])
  // The span is counted in local days: 23:30 UTC is already the next day in Tokyo.
  assert.deepEqual(summary({ mood: [], phq9: [phq('2026-03-01T23:30:00Z', 15), phq('2026-03-14T10:00:00Z', 10)] }, 'Asia/Tokyo'),
    ['Your PHQ-9 went from 15 to 10 over 12 days.'])
  for (const s of summary({ mood: [{ at: 'x', mood: 1 }], phq9: [phq('2026-03-01T10:00:00Z', 0)] }, 'UTC')) {
    assert.doesNotMatch(s, /safe|streak|missed|well done|great/i)
  }
})

test('CSV fields: quoted when needed, formulas defused', () => {
  assert.equal(csvField('plain'), 'plain')
  assert.equal(csvField('a, b'), '"a, b"')
  assert.equal(csvField('say "hi"'), '"say ""hi"""')
  assert.equal(csvField('two\nlines'), '"two\nlines"')
  assert.equal(csvField('=HYPERLINK("http://x","y")'), '"\'=HYPERLINK(""http://x"",""y"")"')
  for (const start of ['+', '-', '@', '\t', '\r']) assert.equal(csvField(start + '1').startsWith(start === '\r' ? '"\'' : "'"), true, JSON.stringify(start))
  assert.equal(csvField(-3), '-3', 'numbers are numbers')
  assert.equal(csvField(undefined), '')
  assert.equal(csvField(null), '')
  assert.equal(csv([['a', 'b'], [1, 'x,y']]), 'a,b\r\n1,"x,y"\r\n')
})

test('the check-ins CSV: local date and time, numbers, words, the note and the UTC moment', () => {
  const text = checkInsCsv([
    { at: '2026-03-29T23:30:00.000Z', mood: 2, note: '=1+1' },
    { at: '2026-03-01T08:05:00.000Z', mood: 4, sleepHours: 7.5, energy: 3, anxiety: 1, note: 'slept, "finally"' }
  ], 'Europe/London')
  const lines = text.split('\r\n')
  assert.equal(lines[0], 'date,time,mood (1-5),mood,sleep (hours),energy (1-5),anxiety (1-5),note,recorded (UTC)')
  assert.equal(lines[1], '2026-03-01,08:05,4,Good,7.5,3,1,"slept, ""finally""",2026-03-01T08:05:00.000Z')
  assert.equal(lines[2], "2026-03-30,00:30,2,Low,,,,'=1+1,2026-03-29T23:30:00.000Z")
  assert.equal(lines.length, 4)
  assert.equal(lines[3], '')
})

test('the results CSV: one row per questionnaire, every item', () => {
  const text = resultsCsv([
    { type: 'gad7', at: '2026-03-02T10:00:00.000Z', answers: [1, 1, 1, 1, 1, 1, 1], score: 7 },
    { type: 'phq9', at: '2026-03-01T10:00:00.000Z', answers: [3, 3, 2, 2, 2, 1, 1, 0, 1], score: 15 }
  ], 'UTC')
  const lines = text.trim().split('\r\n')
  assert.equal(lines[0], 'date,time,questionnaire,score,item 1,item 2,item 3,item 4,item 5,item 6,item 7,item 8,item 9,recorded (UTC)')
  assert.equal(lines[1], '2026-03-01,10:00,PHQ-9,15,3,3,2,2,2,1,1,0,1,2026-03-01T10:00:00.000Z')
  assert.equal(lines[2], '2026-03-02,10:00,GAD-7,7,1,1,1,1,1,1,1,,,2026-03-02T10:00:00.000Z')
  assert.equal(csvFileName('check-ins', Date.parse('2026-03-29T23:30:00Z'), 'Europe/London'), 'wayfinder-check-ins-2026-03-30.csv')
})

test('the weekly offset shortcut agrees with a direct reading, every five hours for three years', () => {
  const made = new Map()
  const direct = (time, timeZone) => {
    if (!made.has(timeZone)) made.set(timeZone, new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }))
    const text = made.get(timeZone).format(new Date(time))
    return Date.parse(text + 'T00:00:00Z') / 86400000
  }
  const zones = ['Europe/London', 'America/New_York', 'Australia/Lord_Howe', 'Pacific/Chatham', 'America/Santiago', 'Asia/Kathmandu', 'UTC']
  const start = Date.UTC(2024, 0, 1)
  for (const zone of zones) {
    const wrong = []
    for (let t = start; t < start + 3 * 365 * 86400000; t += 5 * 3600000 + 61000) {
      if (localDay(t, zone) !== direct(t, zone)) wrong.push(new Date(t).toISOString())
    }
    assert.deepEqual(wrong.slice(0, 3), [], zone)
  }
})
