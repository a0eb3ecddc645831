// The timings treatment_bench.py prints: the treatment log's facts and timeline for 60 entries.
/* global performance, console */
const model = await import('../../frontend/js/treatment-model.mjs')
const timeline = await import('../../frontend/js/treatment-timeline-model.mjs')
const meds = ['sertraline', 'venlafaxine', 'mirtazapine', 'lithium', 'bupropion', 'aripiprazole']
const list = model.medicinesById(meds.map(id => ({ id, name: id, brands: [], class: id.slice(0, 3),
  minimumDose: { amount: 50, unit: 'mg', source: { title: 't', url: 'https://example.org' } } })))
const day = i => new Date(Date.UTC(2016, 0, 1) + i * 86400000).toISOString().slice(0, 10)
const treatments = Array.from({ length: 60 }, (_, i) => ({
  id: 't' + i, name: i % 5 === 4 ? 'ECT' : meds[i % 6], medicine: i % 5 === 4 ? null : meds[i % 6],
  category: i % 5 === 4 ? 'stimulation' : 'medicine', role: i % 7 === 3 ? 'add-on' : null,
  addedTo: i % 7 === 3 ? 't' + (i - 1) : null, start: day(i * 60), end: i === 59 ? null : day(i * 60 + 84),
  ongoing: i === 59, highestDose: { amount: 100, unit: 'mg' }, highestFrom: day(i * 60 + 14)
}))
const today = '2026-12-02'
const time = (name, fn) => {
  const runs = []
  for (let r = 0; r < 200; r++) { const t = performance.now(); fn(); runs.push(performance.now() - t) }
  runs.sort((a, b) => a - b)
  console.log(`${name}: median ${runs[100].toFixed(3)} ms, 95th ${runs[190].toFixed(3)} ms`)
}
time('facts for 60 entries', () => treatments.map(t => model.treatmentFacts(t, today, list)))
time('history facts', () => model.historyFacts(treatments, { episodeStart: '2015-06-01' }, today, list))
time('add-on links', () => model.addOnsByTreatment(treatments))
const rows = timeline.timelineRows(treatments, today)
time('timeline rows', () => timeline.timelineRows(treatments, today))
const range = timeline.timelineRange(rows, today)
let size = 0
time('timeline SVG at 390 px', () => { size = timeline.timelineSvg({ rows, width: 390, fontPx: 16, ...range }).markup.length })
console.log(`timeline SVG: ${rows.length} bars, ${size} characters`)
