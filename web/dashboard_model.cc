#include "web/dashboard_model.h"

#include <cmath>
#include <sstream>

#include "web/change.h"
#include "web/ui_text.h"

namespace candour::web::dashboard {
namespace {

using stats::Level;
using stats::MeasureCell;

const UiText& Ui() { return UiText::BuiltIn(); }

// Word `n` (from 1) of the UI text `key`: "months" (twelve), "quarter_numerals" (four).
std::string NthWord(std::string_view key, int n, const std::string& lang) {
  std::istringstream words(Ui().Plain(lang, key));
  std::string w;
  for (int i = 1; i <= n && words >> w; ++i) {
  }
  return w;
}

// "Jan" ... "Dec" in `lang`.
std::string MonthName(int month, const std::string& lang) { return NthWord("months", month, lang); }

// "2026-01" -> {2026, 1}; {0, 0} unless YYYY-MM.
std::pair<int, int> YearMonth(std::string_view s) {
  if (s.size() != 7 || s[4] != '-') return {0, 0};
  int y = 0, m = 0;
  for (char c : s.substr(0, 4)) y = c >= '0' && c <= '9' ? y * 10 + (c - '0') : -100000;
  for (char c : s.substr(5)) m = c >= '0' && c <= '9' ? m * 10 + (c - '0') : -100;
  if (y <= 0 || m < 1 || m > 12) return {0, 0};
  return {y, m};
}

std::string MonthLabel(std::string_view period, const std::string& lang) {
  const auto [y, m] = YearMonth(period);
  if (y == 0) return std::string(period);
  return Ui().Plain(lang, "month_label",
                    {{"month", MonthName(m, lang)}, {"year", std::to_string(y)}});
}

std::string GroupLabel(const survey::Question& q, const std::string& group, const std::string& lang,
                       const std::string& def) {
  if (group == stats::kNotStated) return Ui().Plain(lang, "not_stated");
  const int o = q.OptionIndex(group);
  return o < 0 ? group : q.options[static_cast<size_t>(o)].label.In(lang, def);
}

// Whether no other dimension of the survey has a group labelled as `group` of `q` is.
bool UniqueGroupName(const survey::Survey& survey, const survey::Question& q,
                     const std::string& group, const std::string& lang, const std::string& def) {
  const std::string label = GroupLabel(q, group, lang, def);
  for (const survey::Question& other : survey.questions) {
    if (&other == &q || !other.dimension) continue;
    for (const survey::Option& o : other.options)
      if (o.label.In(lang, def) == label) return false;
  }
  return true;
}

std::string DimensionName(const survey::Question& q, const std::string& lang,
                          const std::string& def) {
  return q.short_text.Has(lang) || q.short_text.Has(def) ? q.short_text.In(lang, def)
                                                         : q.text.In(lang, def);
}

Chart Trend(const survey::Measure& m, const stats::Release& release, Level level,
            const std::string& label, const std::string& lang) {
  Chart chart{
      "m-" + m.id + "-" + stats::LevelName(level),
      stats::LevelName(level),
      true,
      Ui().Plain(lang, std::string("trend_") + stats::LevelName(level), {{"measure", label}}),
      {}};
  for (const std::string& p : release.Periods(level)) {
    if (const MeasureCell* c = release.Measure(m.id, "", p, stats::kAllGroups)) {
      chart.rows.push_back({p, stats::kAllGroups, PeriodLabel(p, level, lang),
                            PeriodLabel(p, level, lang, true), c, std::nullopt, std::nullopt});
    }
  }
  return chart;
}

// A stated group's weighted gap, as the release rounded it.
std::optional<stats::GapCell> WeightedGap(const MeasureCell& c) {
  if (!c.weighted || !c.weighted->has_gap) return std::nullopt;
  const stats::WeightedFigures& w = *c.weighted;
  return stats::GapCell{w.gap, w.gap_low, w.gap_high, w.gap_significant};
}

}  // namespace

std::string PeriodLabel(const std::string& period, Level level, const std::string& lang,
                        bool tick) {
  switch (level) {
    case Level::kMonth:
      return MonthLabel(period, lang);
    case Level::kQuarter: {
      // "2026-Q1" is January to March 2026: the fourth quarter of the financial year 2025/26.
      if (period.size() != 7 || period[4] != '-' || period[5] != 'Q') return period;
      const auto [y, m] = YearMonth(period.substr(0, 4) + "-01");
      const int q = period[6] - '0';
      if (y == 0 || q < 1 || q > 4) return period;
      const int fy = q == 1 ? y - 1 : y;
      const int fq = q == 1 ? 4 : q - 1;
      char year[16];
      std::snprintf(year, sizeof year, "%d/%02d", fy, (fy + 1) % 100);
      // ICU's quarter numbers: "Q2" in English, "2. çeyrek" in Turkish, "II kw." in Polish.
      return Ui().Plain(lang, "quarter_label",
                        {{"year", year}, {"n", NthWord("quarter_numerals", fq, lang)}});
    }
    default: {
      const size_t slash = period.find('/');
      if (slash == std::string::npos) return period;
      const std::string end = MonthLabel(std::string_view(period).substr(slash + 1), lang);
      return tick ? end : Ui().Plain(lang, "rolling_label", {{"end", end}});
    }
  }
}

Model Build(const survey::Survey& survey, const stats::Release& release, const std::string& lang,
            const std::string& only, bool charts) {
  const std::string& def = survey.default_language();
  Model model;
  const auto& months = release.Periods(Level::kMonth);
  if (!months.empty()) {
    model.first_month = MonthLabel(months.front(), lang);
    model.last_month = MonthLabel(months.back(), lang);
  }
  model.weighted = release.weighted();
  for (const stats::WeightingSpec& w : release.spec().population) {
    if (const survey::Question* q = survey.FindQuestion(w.dimension))
      model.margins += (model.margins.empty() ? "" : ", ") + DimensionName(*q, lang, def);
  }
  const auto& windows = release.Periods(Level::kRolling);
  if (!windows.empty()) {
    model.window = windows.back();
    model.window_label = PeriodLabel(model.window, Level::kRolling, lang);
  }
  for (const survey::Measure& m : survey.measures) {
    if (!only.empty() && m.id != only) continue;
    MeasureModel mm;
    mm.measure = &m;
    mm.label = m.label.In(lang, def);
    if (!model.window.empty()) {
      mm.headline = release.Measure(m.id, "", model.window, stats::kAllGroups);
      mm.change = model.weighted
                      ? WeightedChangeOf(release, m.id, "", model.window, stats::kAllGroups)
                      : ChangeOf(release, m.id, "", model.window, stats::kAllGroups);
    }
    if (charts) {
      for (Level l : {Level::kRolling, Level::kQuarter, Level::kMonth})
        mm.trends.push_back(Trend(m, release, l, mm.label, lang));
    }
    for (const survey::Question& q : survey.questions) {
      if (model.window.empty() || !q.dimension || q.type != survey::QuestionType::kSingle) continue;
      Chart chart{"m-" + m.id + "-" + q.id,
                  q.id,
                  false,
                  Ui().Plain(lang, "breakdown_caption",
                             {{"measure", mm.label},
                              {"dimension", DimensionName(q, lang, def)},
                              {"period", model.window_label}}),
                  {}};
      for (const std::string& g : release.Groups(q.id)) {
        const MeasureCell* c = release.Measure(m.id, q.id, model.window, g);
        if (!c) continue;
        const auto unweighted = stats::GapOf(release, m.id, q.id, model.window, g);
        const auto weighted = WeightedGap(*c);
        const auto& gap = model.weighted ? weighted : unweighted;
        if (gap) {
          mm.any_gap = true;
          if (gap->significant &&
              (!mm.largest_gap ||
               std::fabs(gap->difference) > std::fabs(mm.largest_gap->gap.difference)))
            mm.largest_gap = LargestGap{DimensionName(q, lang, def), GroupLabel(q, g, lang, def),
                                        *gap, UniqueGroupName(survey, q, g, lang, def)};
        }
        chart.rows.push_back(
            {model.window, g, GroupLabel(q, g, lang, def), "", c, unweighted, weighted});
      }
      if (charts && !chart.rows.empty()) mm.breakdowns.push_back(std::move(chart));
    }
    model.measures.push_back(std::move(mm));
  }
  return model;
}

std::string NoShareNote(const MeasureCell& c, const survey::Survey& survey,
                        const std::string& lang) {
  if (Withheld(c)) return Ui().Plain(lang, "withheld");
  if (c.base.count == 0) return Ui().Plain(lang, "no_answers");
  return Ui().Plain(lang, "small_base_short", {{"min_base", std::to_string(survey.min_base)}});
}

std::string NoWeightedNote(const MeasureCell& c, const survey::Survey& survey,
                           const std::string& lang) {
  if (WeightedWithheld(c)) return Ui().Plain(lang, "withheld");
  if (c.weighted && c.weighted->small_base)
    return Ui().Plain(lang, "small_neff_short", {{"min_base", std::to_string(survey.min_base)}});
  return NoShareNote(c, survey, lang);
}

std::string WithheldLine(const std::string& lang) { return Ui().Plain(lang, "withheld_line"); }

}  // namespace candour::web::dashboard
