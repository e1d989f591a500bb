// Synthetic responses for the demo survey, so that a newcomer sees every figure working on
// first start. They are marked as demo data everywhere the demo survey is shown.
// Thread-safe: pure function.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "survey/survey.h"

namespace candour::survey {

// About `count` stored responses (EncodeStored form, source tag "demo-synthetic") spread over
// the 52 weeks before `today`'s, with trust varying by group so breakdowns show differences.
// Deterministic for a given seed.
std::vector<std::string> DemoResponses(const Survey& survey, std::chrono::sys_days today,
                                       size_t count, uint32_t seed = 2026);

}  // namespace candour::survey
