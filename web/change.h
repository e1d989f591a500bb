// Change over a year: a rolling 12-month window's share against the window four quarters
// earlier (the 12 months before, which do not overlap it), or a quarter's against the same
// quarter a year earlier. Tested with the pooled two-proportion z-test (significant when
// p < 0.05, as officials' reports flag a change) and shown with Newcombe's hybrid score
// interval for the difference, computed only from the two periods' published positive counts
// and bases. Used by the dashboard and the results API alike, so both state the same change.
// Thread-safe: pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "stats/release.h"

namespace candour::web {

// The same period a year earlier: the rolling window 12 months before ("2025-10/2026-09" ->
// "2024-10/2025-09"), the same quarter ("2026-Q2" -> "2025-Q2") or month ("2026-09" ->
// "2025-09"); empty for any other label.
std::string YearEarlier(std::string_view period);

// A change: the difference and its Newcombe interval (GapCell's fields), with `significant`
// the z-test's verdict (p < 0.05) rather than the interval's (the two agree except at the
// margin, where the test is what is reported).
struct YearChange : stats::GapCell {
  double z = 0;  // positive when the later share is higher
  double p = 1;  // two-sided
};

// `period`'s share minus that of the same period a year earlier, for `group` of `dimension`
// (or stats::kAllGroups with an empty dimension). nullopt unless both periods exist and both
// have their positive count and base published with a base of at least the release's
// min_base (at least 1): so it reveals nothing the published figures do not.
std::optional<YearChange> ChangeOf(const stats::Release& release, const std::string& measure,
                                   const std::string& dimension, const std::string& period,
                                   const std::string& group);

// The same for the weighted figures (stats/weighting.h): the two periods' weighted shares on
// their effective sample sizes n_eff, each shown (MeasureCell::weighted). Rounded as the
// weighted figures are shown: the difference and interval to whole percent, z to 0.01 and p to
// 0.001; `significant` from the unrounded test. nullopt unless both are shown.
std::optional<YearChange> WeightedChangeOf(const stats::Release& release,
                                           const std::string& measure, const std::string& dimension,
                                           const std::string& period, const std::string& group);

}  // namespace candour::web
