// SourceCounts: how many responses each source of a survey (an event, a poster: the `?src=`
// tag of its link) brought in each month, for its organisers, so that they see what worked
// without a small event being singled out.
//
// What is shown, and why:
// - Months only: a stored response keeps only its week or month (weeks roll up to the month of
//   their Thursday, as everywhere else), so nothing here can tell when a response came.
// - Every count from 1 to threshold - 1 (the survey's suppression threshold, at least 10) is
//   shown as "fewer than N", never as the number.
// - The survey list shows exact totals (in all, and per week of the latest weeks), so each
//   month's total and the survey's total are taken as known. Subtracting the exact counts of
//   the other sources from a month's total would give a small one back, so further counts are
//   withheld with the dashboards' own protection (stats::Protect, an LP check): afterwards the
//   known totals and everything shown still allow every small count to be 0 and at least the
//   threshold (or, in a month with fewer responses than the threshold, any value up to that
//   month's total). A withheld count under the threshold is also shown as "fewer than N" (a
//   zero too: so "fewer than 10" never says "at least 1"); one of at least the threshold as
//   "withheld". When the LP cannot protect every small count, every count but the known totals
//   is withheld.
// - The current month is included, marked as not complete: an organiser wants to see how an
//   event went soon after it, not weeks later. Its live counts move as responses arrive, as
//   the survey list's totals already do for organisers; the rules above hold at every moment,
//   and these counts are never public (the admin token or a console session only).
// Thread-safe: pure function.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "stats/response_index.h"
#include "survey/survey.h"
#include "survey/survey_index.h"

namespace candour::survey {

// One figure as it may be shown. The true value of a withheld figure never leaves
// CountSources.
struct SourceCell {
  enum class Shown { kCount, kFewerThan, kWithheld };
  Shown shown = Shown::kCount;
  uint64_t count = 0;  // kCount only; 0 otherwise
};

struct SourceColumn {
  std::string tag;    // as stored: a declared tag, "other", an older tag, or "" (no tag)
  std::string label;  // the declared label, or a description of the column
  bool declared = false;
};

struct SourceMonth {
  std::string month;              // "2026-11"
  bool complete = false;          // false for the month under way
  std::vector<SourceCell> cells;  // one per column
};

struct SourceCounts {
  uint64_t threshold = 10;
  std::vector<SourceColumn> sources;  // declared sources in their order, then the others found
  std::vector<SourceMonth> months;    // oldest first: every month that has a response
  uint64_t total = 0;                 // every response (shown exactly on the survey list)
  bool fully_protected = true;        // false: the LP could not protect them, so all are withheld
};

// The counts of `index` (of `survey`'s responses) on `today` (which decides whether a month is
// complete).
SourceCounts CountSources(const Survey& survey, const stats::ResponseIndex& index,
                          std::chrono::sys_days today);
// The same for `survey`'s index in `indexes` (no responses if it has none yet). Holds the
// index's lock only while tallying, not while protecting.
SourceCounts CountSources(const Survey& survey, const SurveyIndexes& indexes,
                          std::chrono::sys_days today);

}  // namespace candour::survey
