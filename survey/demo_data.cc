#include "survey/demo_data.h"

#include <algorithm>
#include <map>
#include <random>

#include "stats/period.h"
#include "survey/stored_response.h"
#include "survey/submission.h"

namespace candour::survey {

std::map<std::string, std::discrete_distribution<size_t>> MarginDraws(const Survey& survey) {
  std::map<std::string, std::discrete_distribution<size_t>> out;
  for (const PopulationMargin& m : survey.population) {
    const Question* q = survey.FindQuestion(m.dimension);
    if (!q || m.totals.size() != q->options.size()) continue;
    double sum = 0;
    for (double t : m.totals) sum += t;
    if (sum <= 0) continue;
    std::vector<double> p(q->options.size(), 0);
    const double n = static_cast<double>(q->options.size());
    for (size_t o = 0; o < q->options.size(); ++o) {
      const double tilt = 1.3 - 0.6 * static_cast<double>(o) / std::max(1.0, n - 1);
      p[o] = q->options[o].missing ? 0.03 : m.totals[o] > 0 ? m.totals[o] / sum * tilt : 0.02;
    }
    out.emplace(q->id, std::discrete_distribution<size_t>(p.begin(), p.end()));
  }
  return out;
}

std::vector<std::string> DemoResponses(const Survey& survey, std::chrono::sys_days today,
                                       size_t count, uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> unit(0, 1);
  std::uniform_int_distribution<int> weeks_back(1, kDemoWeeks);
  // Whole months only: the weeks from the first whose month is the one twelve months before
  // today's. A first month of one stray week holds a handful of answers whose protection
  // withheld the next month's figures (the demo's December trend of stop_respect, base 142)
  // and 300 more figures in all (bench/README.md).
  auto month_of = [&](std::chrono::sys_days day) {
    const auto path = stats::PathOf(
        survey.period, stats::PeriodOf(survey.period, std::chrono::year_month_day{day}));
    return path ? path->month : std::string();
  };
  const std::string first_month = stats::AddMonths(month_of(today), -12);
  const Question* ethnicity = survey.FindQuestion("ethnicity");
  // A dimension with population margins is drawn from them (MarginDraws). Drawn from the
  // skewed rule below instead, a demo weighted to the template's Hackney margins had one white
  // respondent in ten against 53% of residents: weights at the cap in every period and an
  // effective base a quarter of the answers.
  std::map<std::string, std::discrete_distribution<size_t>> by_margin = MarginDraws(survey);
  std::vector<std::string> out;
  out.reserve(count);
  for (size_t i = 0; i < count; ++i) {
    Submission s;
    s.src = "demo-synthetic";
    // Demographics first: the answers below lean on them.
    double lean = 0;  // positive: more trusting
    for (const Question& q : survey.questions) {
      if (!q.dimension || q.type != QuestionType::kSingle || unit(rng) < 0.08) continue;
      // Earlier options a little more common, as in real samples.
      const size_t n = q.options.size();
      auto margin = by_margin.find(q.id);
      const size_t pick =
          margin != by_margin.end()
              ? margin->second(rng)
              : std::min(static_cast<size_t>(unit(rng) * unit(rng) * 1.6 * n), n - 1);
      s.answers.emplace(q.id, q.options[pick].id);
      if (&q == ethnicity && q.options[pick].id == "black") lean -= 0.12;
      if (&q == ethnicity && q.options[pick].id == "white") lean += 0.1;
    }
    for (const Question& q : survey.questions) {
      if (q.dimension || q.type != QuestionType::kSingle || unit(rng) < 0.05) continue;
      std::vector<size_t> answerable, missing;
      for (size_t o = 0; o < q.options.size(); ++o)
        (q.options[o].missing ? missing : answerable).push_back(o);
      if (!missing.empty() && unit(rng) < 0.07) {
        s.answers.emplace(q.id, q.options[missing[0]].id);
        continue;
      }
      // Options run from most to least positive: centre the choice on a trust level.
      const double trust = std::clamp(0.45 + lean + (unit(rng) - 0.5) * 0.9, 0.0, 0.999);
      if (answerable.empty()) continue;
      const size_t slot = static_cast<size_t>((1 - trust) * static_cast<double>(answerable.size()));
      const size_t at = answerable[std::min(slot, answerable.size() - 1)];
      s.answers.emplace(q.id, q.options[at].id);
    }
    // Like a real respondent's: nothing stored for a question they are not for.
    DropUnmetConditions(survey, &s);
    auto day = today - std::chrono::days{7 * weeks_back(rng)};
    while (month_of(day) < first_month) day = today - std::chrono::days{7 * weeks_back(rng)};
    out.push_back(
        EncodeStored(survey, s, stats::PeriodOf(survey.period, std::chrono::year_month_day{day})));
  }
  return out;
}

}  // namespace candour::survey
