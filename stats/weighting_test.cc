#include "stats/weighting.h"

#include <gtest/gtest.h>

#include <cmath>

#include "stats/estimate.h"
#include "stats/raking.h"

namespace candour::stats {
namespace {

using namespace std::chrono;

QuestionSpec Question(std::string id, std::vector<std::string> options, std::vector<bool> missing,
                      std::vector<MeasureSpec> measures = {}) {
  QuestionSpec q;
  q.id = std::move(id);
  q.options = std::move(options);
  q.missing = std::move(missing);
  q.measures = std::move(measures);
  q.profile_only = q.measures.empty();
  return q;
}

// The notes' sex by age example as a survey: "trust" (yes/no, measure "trusting"), "sex"
// (m, f, prefer not) and "age" (young, old), weighted to sex 480/520 and age 400/600.
ReleaseSpec Spec() {
  ReleaseSpec spec;
  spec.kind = PeriodKind::kMonth;
  spec.today = sys_days{2026y / November / 25};
  spec.questions.push_back(
      Question("trust", {"yes", "no"}, {false, false}, {{"trusting", {true, false}}}));
  spec.questions.push_back(Question("sex", {"m", "f", "pn"}, {false, false, true}));
  spec.questions.push_back(Question("age", {"young", "old"}, {false, false}));
  spec.dimensions.push_back({"sex", {"m", "f", "pn"}, {false, false, true}, "", ""});
  spec.dimensions.push_back({"age", {"young", "old"}, {false, false}, "", ""});
  spec.population.push_back({"sex", {480, 520, 0}});
  spec.population.push_back({"age", {400, 600}});
  return spec;
}

ResponseIndex Index() {
  return ResponseIndex({{"trust", ColumnSpec::Kind::kCode, 2},
                        {"sex", ColumnSpec::Kind::kCode, 3},
                        {"age", ColumnSpec::Kind::kCode, 2}});
}

void Add(ResponseIndex& index, const std::string& month, uint64_t sex, uint64_t age, int n,
         int yes) {
  for (int i = 0; i < n; ++i) {
    const uint64_t codes[] = {i < yes ? 1u : 2u, sex, age};
    index.Add(month, "", codes);
  }
}

// M-Young 20 (8 trust), M-Old 30 (18), F-Young 15 (6), F-Old 35 (25), all in January 2026.
ResponseIndex Example() {
  ResponseIndex index = Index();
  Add(index, "2026-01", 1, 1, 20, 8);
  Add(index, "2026-01", 1, 2, 30, 18);
  Add(index, "2026-01", 2, 1, 15, 6);
  Add(index, "2026-01", 2, 2, 35, 25);
  return index;
}

TEST(WeightingTest, RakingCellsGivesThePerRespondentWeights) {
  const RakingResult r =
      RakeCells({{0, 0, 1, 1}, {0, 1, 0, 1}}, {{{480, 520}}, {{400, 600}}}, {20, 30, 15, 35});
  ASSERT_TRUE(r.converged);
  EXPECT_NEAR(r.weights[0], 10.919700, 1e-6);
  EXPECT_NEAR(r.weights[1], 8.720200, 1e-6);
  EXPECT_NEAR(r.weights[2], 12.107066, 1e-6);
  EXPECT_NEAR(r.weights[3], 9.668400, 1e-6);
}

TEST(WeightingTest, ReleaseCarriesTheWorkedExampleRounded) {
  const Release r = Release::Build(Spec(), Example());
  ASSERT_TRUE(r.weighted());
  for (const char* period : {"2026-01", "2026-Q1"}) {
    SCOPED_TRACE(period);
    const MeasureCell* all = r.Measure("trusting", "", period, kAllGroups);
    ASSERT_NE(all, nullptr);
    // The unweighted figures are as they were: 57 of 100.
    ASSERT_TRUE(all->share_shown);
    EXPECT_DOUBLE_EQ(all->share, 0.57);
    ASSERT_TRUE(all->weighted && all->weighted->shown);
    const WeightedFigures& w = *all->weighted;
    EXPECT_NEAR(w.exact_share, 0.558674, 1e-6);
    EXPECT_NEAR(w.exact_n_eff, 98.6534, 1e-4);
    // Shown rounded: 56% in [46%, 65%], n_eff 98.
    EXPECT_DOUBLE_EQ(w.share, 0.56);
    EXPECT_DOUBLE_EQ(w.low, 0.46);
    EXPECT_DOUBLE_EQ(w.high, 0.65);
    EXPECT_DOUBLE_EQ(w.n_eff, 98);
  }
  ASSERT_EQ(r.weighting().size(), 2u);  // January and 2026-Q1 (no rolling window yet)
  EXPECT_TRUE(r.weighting()[0].converged);
  EXPECT_EQ(r.weighting()[0].trim_rounds, 0);

  // Men: (8 x 10.9197 + 18 x 8.7202) / 480 = 0.509002, against women's 0.604524.
  const MeasureCell* men = r.Measure("trusting", "sex", "2026-Q1", "m");
  ASSERT_NE(men, nullptr);
  ASSERT_TRUE(men->weighted && men->weighted->shown);
  EXPECT_NEAR(men->weighted->exact_share, 0.509002, 1e-6);
  EXPECT_DOUBLE_EQ(men->weighted->share, 0.51);
  // Within one sex and age the weights are equal: men's n_eff is (480)^2 / (20 x 10.9197^2 +
  // 30 x 8.7202^2).
  EXPECT_NEAR(men->weighted->exact_n_eff,
              480.0 * 480.0 / (20 * 10.919700 * 10.919700 + 30 * 8.720200 * 8.720200), 1e-3);
  ASSERT_TRUE(men->weighted->has_gap);
  WeightedTally women;
  women.AddMany(12.107066, 6, true);
  women.AddMany(12.107066, 9, false);
  women.AddMany(9.668400, 25, true);
  women.AddMany(9.668400, 10, false);
  const Difference d = NewcombeIntervalOfShares(
      men->weighted->exact_share, men->weighted->exact_n_eff, women.Share(), women.EffectiveBase());
  EXPECT_DOUBLE_EQ(men->weighted->gap, RoundedShare(d.difference));
  EXPECT_DOUBLE_EQ(men->weighted->gap, -0.10);
  EXPECT_DOUBLE_EQ(men->weighted->gap_low, RoundedShare(d.low));
  EXPECT_DOUBLE_EQ(men->weighted->gap_high, RoundedShare(d.high));
  // Significant as published: an interval of whole percents that excludes 0.
  EXPECT_EQ(men->weighted->gap_significant, RoundedShare(d.low) > 0 || RoundedShare(d.high) < 0);
  // Not stated: nobody, so nothing weighted is shown for it.
  const MeasureCell* ns = r.Measure("trusting", "sex", "2026-Q1", kNotStated);
  ASSERT_NE(ns, nullptr);
  ASSERT_TRUE(ns->weighted);
  EXPECT_FALSE(ns->weighted->shown);
}

TEST(WeightingTest, WithheldWhereTheUnweightedIsOrNeffIsUnderTheMinimum) {
  // The unweighted base of 100 clears a minimum of 99; its n_eff of 98.65 does not.
  ReleaseSpec spec = Spec();
  spec.min_base = 99;
  const Release r = Release::Build(spec, Example());
  const MeasureCell* all = r.Measure("trusting", "", "2026-01", kAllGroups);
  ASSERT_NE(all, nullptr);
  EXPECT_TRUE(all->share_shown);
  ASSERT_TRUE(all->weighted);
  EXPECT_FALSE(all->weighted->shown);
  EXPECT_TRUE(all->weighted->small_base);

  // Five who would not state their sex: a small count, withheld, and so is its weighted share.
  ResponseIndex index = Example();
  Add(index, "2026-01", 3, 1, 5, 3);
  const Release r2 = Release::Build(Spec(), index);
  const MeasureCell* ns = r2.Measure("trusting", "sex", "2026-Q1", kNotStated);
  ASSERT_NE(ns, nullptr);
  EXPECT_FALSE(ns->base.published());
  ASSERT_TRUE(ns->weighted);
  EXPECT_FALSE(ns->weighted->shown);
  EXPECT_FALSE(ns->weighted->small_base);
  // Everyone is raked, those who did not state a sex too (keeping the weight their age gives
  // them, as raking_test checks), and the raking says it converged.
  EXPECT_TRUE(r2.weighting().front().converged);
}

TEST(WeightingTest, UnweightedReleaseHasNoWeightedFigures) {
  ReleaseSpec spec = Spec();
  spec.population.clear();
  const Release r = Release::Build(spec, Example());
  EXPECT_FALSE(r.weighted());
  EXPECT_FALSE(r.Measure("trusting", "", "2026-01", kAllGroups)->weighted.has_value());
  EXPECT_TRUE(r.weighting().empty());
}

TEST(WeightingTest, RoundingForDisplay) {
  EXPECT_DOUBLE_EQ(RoundedShare(0.558674), 0.56);
  EXPECT_DOUBLE_EQ(RoundedShare(0.0049), 0.0);
  EXPECT_FALSE(std::signbit(RoundedShare(-0.004)));
  EXPECT_DOUBLE_EQ(RoundedEffectiveBase(98.6534), 98);
  EXPECT_DOUBLE_EQ(RoundedEffectiveBase(29.9999999999), 30);
}

}  // namespace
}  // namespace candour::stats
