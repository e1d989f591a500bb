// The dashboard's model: what each of its pages shows, drawn from one release, so that the
// summary, the measure pages, their tables and charts and the CSV show the same figures.
// Internal to web/ (dashboard.cc renders it). Thread-safe: values.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "stats/release.h"
#include "survey/survey.h"
#include "web/weighted_text.h"

namespace candour::web::dashboard {

// One row of a chart's table (and of the CSV).
struct Row {
  std::string period, group;
  std::string label;  // the period or group as shown
  std::string tick;   // a period's short label on a time axis
  const stats::MeasureCell* cell = nullptr;
  std::optional<stats::GapCell> gap;           // a stated group's gap to everyone else
  std::optional<stats::GapCell> weighted_gap;  // the same of the weighted figures (rounded)
};

struct Chart {
  std::string id;    // HTML id, unique on the page
  std::string kind;  // "month", "quarter", "rolling", or the dimension's question id
  bool trend = false;
  std::string title;
  std::vector<Row> rows;
};

// A measure's largest significant gap between a group and everyone else.
struct LargestGap {
  std::string dimension, group;  // as shown
  stats::GapCell gap;
  // No other dimension has a group of this name: where room is short (the summary), the group
  // names the gap alone ("25 to 34", not "25 to 34 (Age)").
  bool unique_name = false;
};

struct MeasureModel {
  const survey::Measure* measure = nullptr;
  std::string label;
  const stats::MeasureCell* headline = nullptr;  // the latest window, everyone
  // On the window a year earlier; in a weighted release (Model::weighted), the weighted
  // figures' change (n_eff), as is largest_gap: weighted figures come first.
  std::optional<stats::GapCell> change;
  bool any_gap = false;  // some gap could be computed
  std::optional<LargestGap> largest_gap;
  std::vector<Chart> trends, breakdowns;  // filled only when charts are asked for
};

struct Model {
  std::string window;        // the latest rolling 12 months, "2025-10/2026-09"; empty: none
  std::string window_label;  // "12 months to Sep 2026"
  std::string first_month, last_month;
  std::vector<MeasureModel> measures;
  // The survey declares population margins: weighted figures first, unweighted beside them.
  bool weighted = false;
  std::string margins;  // the weighting dimensions as shown, "Ward, Age, Gender"
};

// A weighted cell's figures shown as a share (stats::WeightedFigures::shown).
inline bool WeightedShown(const stats::MeasureCell& c) { return c.weighted && c.weighted->shown; }

// What stands in for a share that is not shown, in `lang`: "withheld", "no answers" or "fewer
// than {min_base} answers"; for a weighted share also "effective base under {min_base}".
std::string NoShareNote(const stats::MeasureCell& c, const survey::Survey& survey,
                        const std::string& lang);
std::string NoWeightedNote(const stats::MeasureCell& c, const survey::Survey& survey,
                           const std::string& lang);
// The one explanation of every withheld figure, in `lang`.
std::string WithheldLine(const std::string& lang);

// The model of every measure (or of `only`, when not empty), with their charts if `charts`.
Model Build(const survey::Survey& survey, const stats::Release& release, const std::string& lang,
            const std::string& only, bool charts);

// A period in `lang`: "Jan 2026" (month), "2025/26 Q4" (financial quarter), "12 months to
// Mar 2026" (rolling); `tick` gives the short form for a time axis ("Mar 2026").
std::string PeriodLabel(const std::string& period, stats::Level level, const std::string& lang,
                        bool tick = false);

// A measure cell with a withheld figure.
inline bool Withheld(const stats::MeasureCell& c) {
  return !c.positive.published() || !c.negative.published() || !c.base.published();
}

// A cell whose weighted figures are withheld: with its unweighted ones, or to protect another
// group's (ProtectsAnother).
inline bool WeightedWithheld(const stats::MeasureCell& c) {
  return Withheld(c) || ProtectsAnother(c);
}

}  // namespace candour::web::dashboard
