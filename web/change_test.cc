#include "web/change.h"

#include <gtest/gtest.h>

#include "web/test_release.h"

namespace candour::web {
namespace {

TEST(ChangeTest, YearEarlierWindow) {
  EXPECT_EQ(YearEarlier("2025-10/2026-09"), "2024-10/2025-09");
  EXPECT_EQ(YearEarlier("2026-Q1"), "2025-Q1");
  EXPECT_EQ(YearEarlier("2000-Q4"), "1999-Q4");
  EXPECT_EQ(YearEarlier("2026-Q5"), "");
  EXPECT_EQ(YearEarlier("2026-01"), "2025-01");
  EXPECT_EQ(YearEarlier("2026-X1"), "");
  EXPECT_EQ(YearEarlier("all"), "");
  EXPECT_EQ(YearEarlier("20x5-10/2026-09"), "");
}

// 56 of 70 in the 12 months to March 2026 against 48 of 80 in the 12 months before: Newcombe's
// hybrid score interval gives +0.2000 in [0.0524, 0.3339] (../shared/notes/statistics.md,
// recomputed in Python from the two Wilson intervals [0.6918, 0.8770] and [0.4905, 0.7004]).
TEST(ChangeTest, FromTwoPublishedWindowsAYearApart) {
  const survey::Survey survey = testing::SmallSurvey();
  stats::ResponseIndex index(survey::IndexColumns(survey));
  auto add = [&](const char* month, const char* q, int n) {
    const auto codes = survey::IndexCodes(survey, {{"q", q}, {"area", "b"}});
    for (int i = 0; i < n; ++i) index.Add(month, "", codes);
  };
  // The calendar starts with the first quarter that has answers: 2024-Q2.
  add("2024-04", "yes", 24);
  add("2024-04", "no", 16);
  add("2025-02", "yes", 24);
  add("2025-02", "no", 16);
  add("2026-02", "yes", 56);
  add("2026-02", "no", 14);
  const auto release = stats::Release::Build(
      survey::ReleaseSpecOf(survey, std::chrono::sys_days{std::chrono::year{2026} / 11 / 25}),
      index);
  const auto c = ChangeOf(release, "yes_share", "", "2025-04/2026-03", stats::kAllGroups);
  ASSERT_TRUE(c.has_value());
  EXPECT_NEAR(c->difference, 0.2000, 5e-5);
  EXPECT_NEAR(c->low, 0.0524, 5e-5);
  EXPECT_NEAR(c->high, 0.3339, 5e-5);
  // The pooled z-test of 48/80 against 56/70 (computed in Python): z = 2.650172, p = 0.008045.
  EXPECT_NEAR(c->z, 2.650172, 5e-6);
  EXPECT_NEAR(c->p, 0.008045, 5e-6);
  EXPECT_TRUE(c->significant);
  // The quarter against the same quarter a year earlier: 24/40 in 2025-Q1, 56/70 in 2026-Q1:
  // z = 2.265686, p = 0.023471.
  const auto q = ChangeOf(release, "yes_share", "", "2026-Q1", stats::kAllGroups);
  ASSERT_TRUE(q.has_value());
  EXPECT_NEAR(q->difference, 0.2000, 5e-5);
  EXPECT_NEAR(q->z, 2.265686, 5e-6);
  EXPECT_NEAR(q->p, 0.023471, 5e-6);
  EXPECT_TRUE(q->significant);
  // Area b is everyone: its change is the same.
  const auto b = ChangeOf(release, "yes_share", "area", "2025-04/2026-03", "b");
  ASSERT_TRUE(b.has_value());
  EXPECT_NEAR(b->difference, 0.2000, 5e-5);
  // No window a year before the first; an unknown measure.
  EXPECT_FALSE(ChangeOf(release, "yes_share", "", "2024-04/2025-03", stats::kAllGroups));
  EXPECT_FALSE(ChangeOf(release, "nope", "", "2025-04/2026-03", stats::kAllGroups));
}

TEST(ChangeTest, NoneWhenAFigureIsWithheldOrTheBaseTooSmall) {
  const survey::Survey survey = testing::SmallSurvey();
  stats::ResponseIndex index(survey::IndexColumns(survey));
  auto add = [&](const char* month, const char* q, int n) {
    const auto codes = survey::IndexCodes(survey, {{"q", q}, {"area", "b"}});
    for (int i = 0; i < n; ++i) index.Add(month, "", codes);
  };
  add("2024-04", "yes", 10);  // a base of 20 a year before, under the minimum of 30
  add("2024-04", "no", 10);
  add("2026-02", "yes", 56);
  add("2026-02", "no", 14);
  const auto release = stats::Release::Build(
      survey::ReleaseSpecOf(survey, std::chrono::sys_days{std::chrono::year{2026} / 11 / 25}),
      index);
  EXPECT_FALSE(ChangeOf(release, "yes_share", "", "2025-04/2026-03", stats::kAllGroups));
}

}  // namespace
}  // namespace candour::web
