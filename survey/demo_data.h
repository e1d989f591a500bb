// Synthetic responses for the demo survey, so that a newcomer sees every figure working on
// first start. They are marked as demo data everywhere the demo survey is shown.
// Thread-safe: pure function.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "survey/survey.h"

namespace candour::survey {

// How far back the demo's responses go: about a year, in whole months (57 weeks reach the
// twelve whole months before today's; DemoResponses keeps only the weeks that fall in them,
// so no first month holds a stray week). The summary's change on the year before then
// says "not available": the release publishes a rolling window only from the first quarter with
// data, so the window before the latest needs about two years of responses, and with two years
// the demo's first release takes about 15 s to build instead of under half a second (every
// extra month and window enlarges the protection's linear programs; bench/README.md).
inline constexpr int kDemoWeeks = 57;

// About `count` stored responses (EncodeStored form, source tag "demo-synthetic") spread over
// the kDemoWeeks weeks before `today`'s that fall in today's month or the twelve before it
// (whole months, under the week rule of stats/period.h), with trust varying by group so breakdowns
// show differences. Deterministic for a given seed.
// For each dimension with population margins, a draw of its option index like a real
// self-selected sample's: the margins' shares tilted (earlier groups up to 1.3 times their
// share, later ones down to 0.7) so that weighting has something to correct; a group outside
// the population 2% and "prefer not to say" 3% (relative weights).
std::map<std::string, std::discrete_distribution<size_t>> MarginDraws(const Survey& survey);

std::vector<std::string> DemoResponses(const Survey& survey, std::chrono::sys_days today,
                                       size_t count, uint32_t seed = 2026);

}  // namespace candour::survey
