// Weighted figures of a release: each published period's respondents (every month, quarter and
// rolling 12 months on its own) raked to the survey's population margins (stats/raking.h), and
// every measure cell's weighted share, its Wilson interval on the Kish effective sample size,
// n_eff and (for a stated group) its weighted gap to everyone else who stated a group.
//
// Who is raked: everyone with a response in the period, whatever they answered. A respondent
// who did not state a group of a weighting dimension ("prefer not to say", unanswered, or a
// group the margins leave out such as "outside the area") is never weighted to a total there:
// they keep the weight their other margins give them (raking.h says how).
//
// Disclosure control stays on the unweighted counts (stats/release.h): a weighted figure is
// shown only where the cell's unweighted positive, negative and base are published, and n_eff is
// at least min_base; a weighted gap only where the unweighted gap is shown; and a group's
// weighted figures only where every group of its table (dimension and period) has its
// unweighted figures published (else the others' and the whole's would bound it). What is shown is
// rounded (WeightedFigures) so that it cannot be set against a published base to recover a
// withheld count.
// Thread-safe: pure functions.
#pragma once

#include <atomic>

#include "stats/release.h"
#include "stats/response_index.h"

namespace candour::stats {

// A share, interval bound or gap as shown: to whole percent (0.01). -0 shows as 0.
double RoundedShare(double share);
// An effective sample size as shown: down to a whole number.
double RoundedEffectiveBase(double n_eff);

// Sets MeasureCell::weighted on every measure cell of `release` and fills its weighting
// reports, from `index` (the one the release was built from). Does nothing unless the release's
// spec declares population margins. Stops early when `cancel` (may be null) becomes true.
// REQUIRES: `release` was built from `index` and is not cancelled.
void AddWeightedFigures(const ResponseIndex& index, Release* release,
                        const std::atomic<bool>* cancel);

}  // namespace candour::stats
