// The built-in trust-and-confidence survey definition (survey/templates/), embedded into the
// binary at build time: the demo survey and the starting point of real ones.
// Thread-safe: immutable.
#pragma once

#include <string_view>

namespace candour::survey {

// The definition as JSON.
std::string_view TrustAndConfidenceTemplate();

}  // namespace candour::survey
