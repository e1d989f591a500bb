// A deterministic synthetic data set for the dashboard tests, as a `candour import` CSV.
// About 1,500 responses spread over the weeks 4 to 70 weeks before today (so that there is a
// rolling 12-month window: a year before it would take the release build past a minute) (completed months
// only), with some deliberately small groups (a few wards, the "other" ethnic group, some
// genders) so that the dashboard has figures it must suppress.

// mulberry32: a small seeded PRNG, so the data set is the same on every run of a given day.
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// ISO 8601 week of a UTC date: "2026-W14".
export function isoWeek(date) {
  const d = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
  const day = d.getUTCDay() || 7;
  d.setUTCDate(d.getUTCDate() + 4 - day); // the Thursday of this week decides the year
  const yearStart = new Date(Date.UTC(d.getUTCFullYear(), 0, 1));
  const week = Math.ceil(((d - yearStart) / 86400000 + 1) / 7);
  return `${d.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
}

function csvField(s) {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

// survey: the JSON of GET /api/surveys/demo. Returns { csv, rows, smallGroups }.
export function makeDataset(survey, { rows = 1500, seed = 20260401, today = new Date() } = {}) {
  const rand = prng(seed);
  const pick = (weights) => {
    // weights: [[value, weight], ...]
    const total = weights.reduce((s, [, w]) => s + w, 0);
    let r = rand() * total;
    for (const [v, w] of weights) {
      if ((r -= w) < 0) return v;
    }
    return weights[weights.length - 1][0];
  };
  const questions = survey.questions.filter((q) => q.type === 'single' || q.type === 'multiple');
  const byId = new Map(questions.map((q) => [q.id, q]));
  const has = (qid, opt) => byId.get(qid)?.options.some((o) => o.id === opt);
  const only = (qid, weights) => weights.filter(([v]) => v === '' || has(qid, v));

  // Fixed small groups: these many rows each, placed at spread-out row numbers.
  const smallGroups = {
    ward: { victoria: 4, woodberry_down: 7, outside: 3 },
    ethnicity: { other: 6 },
    gender: { non_binary: 8, other: 3 },
    sexual_orientation: { other: 5 },
  };
  const forced = new Map(); // row -> {question: option}
  let slot = 7;
  for (const [qid, groups] of Object.entries(smallGroups)) {
    for (const [opt, n] of Object.entries(groups)) {
      if (!has(qid, opt)) continue;
      for (let i = 0; i < n; ++i) {
        slot = (slot + 397) % rows; // 397 is prime to rows: spreads over weeks
        const row = forced.get(slot) ?? {};
        row[qid] = opt;
        forced.set(slot, row);
      }
    }
  }
  const excluded = (qid) => new Set(Object.keys(smallGroups[qid] ?? {}));

  const wardOptions = (byId.get('ward')?.options ?? []).map((o) => o.id)
    .filter((w) => !excluded('ward').has(w) && w !== 'prefer_not');
  const positiveByEthnicity = { white: 0.62, asian: 0.55, mixed: 0.48, black: 0.38, other: 0.5, prefer_not: 0.45, '': 0.5 };

  const answerMeasure = (q, p) => {
    const ids = q.options.map((o) => o.id);
    if (rand() < 0.03) return '';
    if (ids.includes('dont_know') && rand() < 0.05) return 'dont_know';
    const substantive = ids.filter((o) => o !== 'dont_know' && o !== 'prefer_not');
    // The first two options are the positive end of every scale of the template; a scale with
    // three substantive options (Q131) has two positive ones and one negative.
    const positive = substantive.slice(0, 2);
    const negative = substantive.slice(2);
    if (rand() < p) return positive[rand() < 0.35 ? 0 : 1];
    return negative[Math.floor(rand() * negative.length)];
  };

  const header = ['period', 'src', ...questions.map((q) => q.id)];
  const lines = [header.join(',')];
  for (let r = 0; r < rows; ++r) {
    const weeksAgo = 4 + Math.floor(rand() * 67); // 4 .. 70
    const date = new Date(today.getTime() - weeksAgo * 7 * 86400000);
    const a = { ...(forced.get(r) ?? {}) };
    if (!('ethnicity' in a)) {
      a.ethnicity = pick(only('ethnicity', [['white', 52], ['black', 20], ['asian', 15], ['mixed', 7], ['prefer_not', 4], ['', 2]]));
    }
    if (!('ward' in a) && byId.has('ward')) {
      a.ward = rand() < 0.04 ? (has('ward', 'prefer_not') ? 'prefer_not' : '') : rand() < 0.03 ? ''
        : wardOptions[Math.floor(rand() * wardOptions.length)];
    }
    if (!('age' in a)) {
      a.age = pick(only('age', [['16_24', 10], ['25_34', 22], ['35_44', 21], ['45_54', 18], ['55_64', 14], ['65_plus', 11], ['prefer_not', 3], ['', 1]]));
    }
    if (!('gender' in a)) a.gender = pick(only('gender', [['woman', 50], ['man', 45], ['prefer_not', 4], ['', 1]]));
    if (!('sexual_orientation' in a)) {
      a.sexual_orientation = pick(only('sexual_orientation', [['straight', 82], ['gay_lesbian', 5], ['bisexual', 4], ['prefer_not', 7], ['', 2]]));
    }
    if (!('disability' in a)) a.disability = pick(only('disability', [['no', 74], ['yes', 18], ['prefer_not', 6], ['', 2]]));
    const stoppedRate = a.ethnicity === 'black' ? 0.16 : 0.06;
    a.stopped = pick(only('stopped', [['yes', stoppedRate * 100], ['no', (0.92 - stoppedRate) * 100], ['prefer_not', 5], ['', 3]]));

    // A gentle trend: confidence rises a little over the months.
    const p = (positiveByEthnicity[a.ethnicity] ?? 0.5) + (70 - weeksAgo) * 0.002;
    for (const q of questions) {
      if (q.id in a) continue;
      if (q.dimension) {
        a[q.id] = q.options[Math.floor(rand() * q.options.length)].id; // a dimension not known here
      } else if (q.id === 'stop_respect') {
        a[q.id] = a.stopped === 'yes' ? answerMeasure(q, p - 0.15) : '';
      } else if (q.type === 'single') {
        a[q.id] = answerMeasure(q, p);
      } else {
        a[q.id] = ''; // multiple choice: none in the template; leave unanswered
      }
    }
    const fields = [isoWeek(date), 'paper-browser-test', ...questions.map((q) => a[q.id] ?? '')];
    lines.push(fields.map(csvField).join(','));
  }
  return { csv: lines.join('\n') + '\n', rows, smallGroups };
}
