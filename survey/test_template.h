// For survey/'s tests: the built-in trust-and-confidence survey, parsed, as the tests that
// validate, import or index answers against a real survey need it.
// Thread-safe: each call parses its own copy.
#pragma once

#include <gtest/gtest.h>

#include "survey/survey.h"
#include "survey/template.h"

namespace candour::survey::testing {

// The template as a Survey; if it does not parse, the calling test fails and gets an empty one.
inline Survey TemplateSurvey() {
  auto s = ParseSurvey(TrustAndConfidenceTemplate());
  EXPECT_TRUE(s.has_value()) << s.error();
  return s ? std::move(*s) : Survey();
}

}  // namespace candour::survey::testing
