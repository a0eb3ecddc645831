async ({ n }) => {
  const { personalStore } = await import('/static/gen/personal-store.mjs')
  const store = personalStore()
  const day = 86400000
  const iso = t => new Date(t).toISOString().slice(0, 10)
  const now = Date.now()
  const meds = ['sertraline', 'citalopram', 'escitalopram', 'fluoxetine', 'venlafaxine',
    'duloxetine', 'mirtazapine', 'bupropion', 'vortioxetine', 'amitriptyline', 'paroxetine',
    'trazodone', 'desvenlafaxine', 'clomipramine', 'fluvoxamine', 'vilazodone',
    'levomilnacipran', 'escitalopram', 'sertraline', 'citalopram']
  const reasons = ['did-not-help', 'side-effects', 'other', 'cost-or-access', 'clinician-advice']
  const effects = ['none', 'a-little', 'a-lot', 'felt-well']
  for (let i = 0; i < n; i++) {
    const ongoing = i >= n - 2
    const start = now - (n - i) * 70 * day
    const end = ongoing ? null : start + 60 * day
    await store.save('treatment', {
      category: 'medicine', name: meds[i] + (i === 3 ? ' Quorvane' : ''), medicine: meds[i],
      role: ongoing && i === n - 1 ? 'add-on' : 'single', addedTo: ongoing && i === n - 1 ? 'med-' + (n - 2) : null,
      dose: { amount: 50 + i, unit: 'mg' }, highestDose: { amount: 100 + i, unit: 'mg' },
      highestFrom: iso(start + 14 * day), start: iso(start), end: end && iso(end), ongoing,
      regularity: 'every-day', effect: effects[i % 4], sideEffects: i % 3 === 0 ? ['nausea', 'insomnia'] : [],
      sideEffectsOther: i % 3 === 0 ? 'Zelbrix dreams' : '', stopReason: ongoing ? null : reasons[i % 5],
      stopReasonOther: reasons[i % 5] === 'other' ? 'Moved to Maplewick' : '', kind: null, sessions: null, notes: ''
    }, { id: 'med-' + i })
  }
  const others = [
    { category: 'therapy', name: 'CBT', kind: 'cbt', sessions: 16, effect: 'a-little', stopReason: 'felt-better' },
    { category: 'therapy', name: 'Behavioural activation', kind: 'behavioural', sessions: 12, effect: 'a-lot', stopReason: 'other', stopReasonOther: 'Course ended' },
    { category: 'stimulation', name: 'ECT', kind: 'ect', sessions: 12, effect: 'a-lot', stopReason: 'clinician-advice' }
  ]
  for (const [i, o] of others.entries()) {
    const start = now - (300 - i * 80) * day
    await store.save('treatment', { ...o, start: iso(start), end: iso(start + 60 * day), ongoing: false, sideEffects: [] }, { id: 'other-' + i })
  }
  await store.save('treatment-profile', { episodeStart: iso(now - 800 * day) }, { id: 'treatment-profile' })
  for (let i = 0; i < 26; i++) {
    const t = now - (360 - i * 14) * day
    await store.save('phq9', { at: new Date(t).toISOString(), answers: [], score: 22 - Math.round(i / 3) })
  }
  for (let i = 0; i < 20; i++) {
    const t = now - (100 - i * 5) * day
    await store.save('check-in', { at: new Date(t).toISOString(), mood: 1 + (i % 4) })
  }
}
