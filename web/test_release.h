// For web/'s tests: a small survey and the release of its responses, so that views can be
// rendered from a real stats::Release without a store or a server.
// Thread-safe: not shared; each test builds its own.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "stats/release.h"
#include "survey/release_cache.h"
#include "survey/survey.h"
#include "survey/survey_index.h"

namespace candour::web::testing {

// A monthly survey in English and Turkish: "q" (yes/no, the measure "yes_share") and the
// dimension "area". Its title and the measure's label hold markup, quotes, commas and a
// leading "=", as an organiser may type them.
inline survey::Survey SmallSurvey() {
  auto s = survey::ParseSurvey(R"({"id":"r","languages":["en","tr"],
    "title":{"en":"Trust <script>\"x\"</script>","tr":"Güven"},"period":"month",
    "questions":[{"id":"q","type":"single","text":{"en":"?"},"options":[
      {"id":"yes","label":{"en":"Yes"}},{"id":"no","label":{"en":"No"}}]},
      {"id":"area","type":"single","dimension":true,"text":{"en":"Where?"},
       "short":{"en":"Area","tr":"Bölge"},"options":[
      {"id":"a","label":{"en":"Area A"}},{"id":"b","label":{"en":"Area \"B\", north"}}]}],
    "measures":[{"id":"yes_share","question":"q","positive":["yes"],
      "label":{"en":"=Say yes, <b>now</b>"}}]})");
  EXPECT_TRUE(s.has_value()) << s.error();
  return s ? *s : survey::Survey();
}

// 45 of 120 say yes in January 2026, 60 of 125 in February; everyone in area a says yes (so its
// "no" count of 0 would disclose them and is withheld). Today is 2026-11-25.
// `year_before`: also 40 of 100 say yes in April 2024 and January 2025 (20 and 20, everyone
// in area a), so that the rolling 12 months to March 2026 has a window a year before it.
inline stats::Release SmallRelease(const survey::Survey& survey, bool year_before = false) {
  const auto today = std::chrono::sys_days{std::chrono::year{2026} / 11 / 25};
  stats::ResponseIndex index(survey::IndexColumns(survey));
  auto add = [&](const char* month, const char* q, const char* area, int n) {
    const auto codes = survey::IndexCodes(survey, {{"q", q}, {"area", area}});
    for (int i = 0; i < n; ++i) index.Add(month, "", codes);
  };
  add("2026-01", "yes", "a", 45);
  add("2026-01", "no", "b", 75);
  add("2026-02", "yes", "a", 60);
  add("2026-02", "no", "b", 65);
  if (year_before) {
    add("2024-04", "yes", "a", 20);
    add("2024-04", "no", "b", 20);
    add("2025-01", "yes", "a", 20);
    add("2025-01", "no", "b", 40);
  }
  return stats::Release::Build(survey::ReleaseSpecOf(survey, today), index);
}

}  // namespace candour::web::testing
