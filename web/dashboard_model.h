// The dashboard's model: what each of its pages shows, drawn from one release, so that the
// summary, the measure pages, their tables and charts and the CSV show the same figures.
// Internal to web/ (dashboard.cc renders it). Thread-safe: values.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "stats/release.h"
#include "survey/survey.h"

namespace candour::web::dashboard {

// One row of a chart's table (and of the CSV).
struct Row {
  std::string period, group;
  std::string label;  // the period or group as shown
  std::string tick;   // a period's short label on a time axis
  const stats::MeasureCell* cell = nullptr;
  std::optional<stats::GapCell> gap;  // a stated group's gap to everyone else
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
};

struct MeasureModel {
  const survey::Measure* measure = nullptr;
  std::string label;
  const stats::MeasureCell* headline = nullptr;  // the latest window, everyone
  std::optional<stats::GapCell> change;          // on the window a year earlier
  bool any_gap = false;                          // some gap could be computed
  std::optional<LargestGap> largest_gap;
  std::vector<Chart> trends, breakdowns;  // filled only when charts are asked for
};

struct Model {
  std::string window;        // the latest rolling 12 months, "2025-10/2026-09"; empty: none
  std::string window_label;  // "12 months to Sep 2026"
  std::string first_month, last_month;
  std::vector<MeasureModel> measures;
};

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

}  // namespace candour::web::dashboard
