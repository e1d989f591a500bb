#include "survey/demo_data.h"

#include <gtest/gtest.h>

#include <map>
#include <set>

#include "stats/period.h"
#include "survey/stored_response.h"
#include "survey/submission.h"
#include "survey/template.h"

namespace candour::survey {
namespace {

// The demo's groups follow the template's margins, tilted by at most 1.3 and at least 0.7,
// with "outside the area" and "prefer not to say" small: the demo's raking then converges.
TEST(DemoDataTest, GroupsAreDrawnFromThePopulationMarginsTilted) {
  const Survey demo = *ParseSurvey(TrustAndConfidenceTemplate());
  const auto today = std::chrono::sys_days{std::chrono::year{2026} / 11 / 25};
  const auto responses = DemoResponses(demo, today, 20000);
  for (const PopulationMargin& m : demo.population) {
    SCOPED_TRACE(m.dimension);
    const Question* q = demo.FindQuestion(m.dimension);
    ASSERT_NE(q, nullptr);
    std::map<std::string, double> count;
    double answered = 0;
    for (const std::string& p : responses) {
      auto decoded = DecodeStored(p);
      ASSERT_TRUE(decoded.has_value());
      auto it = decoded->answers.find(q->id);
      if (it == decoded->answers.end()) continue;
      const std::string* id = std::get_if<std::string>(&it->second);
      ASSERT_NE(id, nullptr);
      ++count[*id];
      ++answered;
    }
    double total = 0;
    for (double t : m.totals) total += t;
    for (size_t o = 0; o < q->options.size(); ++o) {
      const double share = count[q->options[o].id] / answered;
      if (m.totals[o] > 0) {
        const double ratio = share / (m.totals[o] / total);
        // Tilted within [0.7, 1.3], normalised, and sampled: a loose band around it.
        EXPECT_GT(ratio, 0.55) << q->options[o].id;
        EXPECT_LT(ratio, 1.5) << q->options[o].id;
      } else {
        EXPECT_LT(share, 0.05) << q->options[o].id;  // outside or prefer not to say
      }
    }
  }
}

// Today's month and the twelve whole months before it: November 2025's first week (its
// Thursday the 6th) onward, none of October's.
TEST(DemoDataTest, AYearOfValidSyntheticResponsesInPastWeeks) {
  const Survey demo = *ParseSurvey(TrustAndConfidenceTemplate());
  const auto today = std::chrono::sys_days{std::chrono::year{2026} / 11 / 25};
  const auto responses = DemoResponses(demo, today, 500);
  ASSERT_EQ(responses.size(), 500u);
  std::set<std::string> periods;
  size_t respect_answers = 0;
  for (const std::string& p : responses) {
    auto decoded = DecodeStored(p);
    ASSERT_TRUE(decoded.has_value()) << p;
    EXPECT_EQ(decoded->src, "demo-synthetic");
    EXPECT_LT(decoded->period, "2026-W48");  // before this week
    EXPECT_GE(decoded->period, "2025-W45");
    const auto path = stats::PathOf(demo.period, decoded->period);
    ASSERT_TRUE(path.has_value()) << decoded->period;
    EXPECT_GE(path->month, "2025-11") << decoded->period;
    periods.insert(decoded->period);
    // Every answer is one the definition accepts.
    for (const auto& [question, value] : decoded->answers) {
      const Question* q = demo.FindQuestion(question);
      ASSERT_NE(q, nullptr) << question;
      EXPECT_GE(q->OptionIndex(std::get<std::string>(value)), 0) << question;
      // Like a real respondent's: nothing stored for a question they are not for.
      EXPECT_TRUE(ConditionMet(*q, decoded->answers)) << question << " in " << p;
    }
    respect_answers += decoded->answers.contains("stop_respect");
  }
  EXPECT_GT(periods.size(), 40u);
  EXPECT_TRUE(periods.contains("2025-W45"));  // the first month is whole
  EXPECT_GT(respect_answers, 0u);             // from those stopped and searched
  EXPECT_EQ(DemoResponses(demo, today, 50), DemoResponses(demo, today, 50));  // deterministic
}

}  // namespace
}  // namespace candour::survey
