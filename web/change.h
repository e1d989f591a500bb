// Change over a year: a rolling 12-month window's share against the window four quarters
// earlier (the 12 months before, which do not overlap it), with Newcombe's hybrid score
// interval, computed only from the two windows' published positive counts and bases. Used by
// the dashboard's summary and the results API alike, so both state the same change.
// Thread-safe: pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "stats/release.h"

namespace candour::web {

// The rolling window 12 months before `window` ("2025-10/2026-09" -> "2024-10/2025-09"); empty
// if `window` is not a rolling label.
std::string YearEarlier(std::string_view window);

// `window`'s share minus that of the window a year earlier, for `group` of `dimension` (or
// stats::kAllGroups with an empty dimension). nullopt unless both windows exist and both
// have their positive count and base published with a base of at least the release's
// min_base (at least 1): so it reveals nothing the published figures do not.
std::optional<stats::GapCell> ChangeOf(const stats::Release& release, const std::string& measure,
                                       const std::string& dimension, const std::string& window,
                                       const std::string& group);

}  // namespace candour::web
