#include "stats/raking.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>

namespace candour::stats {
namespace {

// The 100-respondent sex by age example of notes/statistics.md.
struct SexByAge {
  std::vector<std::vector<int>> groups{{}, {}};  // sex (0 M, 1 F), age (0 Young, 1 Old)
  std::vector<bool> trust;
  SexByAge() {
    const struct {
      int sex, age, n, yes;
    } cells[] = {{0, 0, 20, 8}, {0, 1, 30, 18}, {1, 0, 15, 6}, {1, 1, 35, 25}};
    for (const auto& c : cells)
      for (int i = 0; i < c.n; ++i) {
        groups[0].push_back(c.sex);
        groups[1].push_back(c.age);
        trust.push_back(i < c.yes);
      }
  }
  std::vector<Margin> margins{{{480, 520}}, {{400, 600}}};
};

TEST(RakingTest, SexByAgeWorkedExample) {
  const SexByAge s;
  const RakingResult r = Rake(s.groups, s.margins, 100);
  ASSERT_TRUE(r.converged);
  EXPECT_EQ(r.trim_rounds, 0);
  EXPECT_EQ(r.empty_groups, 0);
  EXPECT_LE(r.max_error, 1e-9);
  EXPECT_NEAR(r.weights[0], 10.919700, 1e-6);   // M-Young
  EXPECT_NEAR(r.weights[20], 8.720200, 1e-6);   // M-Old
  EXPECT_NEAR(r.weights[50], 12.107066, 1e-6);  // F-Young
  EXPECT_NEAR(r.weights[65], 9.668400, 1e-6);   // F-Old
  WeightedTally t;
  for (size_t i = 0; i < 100; ++i) t.Add(r.weights[i], s.trust[i]);
  EXPECT_NEAR(t.weight, 1000, 1e-6);
  EXPECT_NEAR(t.Share(), 0.558674, 1e-6);
  EXPECT_NEAR(t.EffectiveBase(), 98.6534, 1e-4);
  const Interval ci = t.Wilson();
  EXPECT_NEAR(ci.low, 0.460320, 1e-6);
  EXPECT_NEAR(ci.high, 0.652629, 1e-6);
}

TEST(RakingTest, KishWorkedExample) {
  WeightedTally t;
  for (int i = 0; i < 60; ++i) t.Add(1, i < 20);
  for (int i = 0; i < 40; ++i) t.Add(2, i < 15);
  for (int i = 0; i < 20; ++i) t.Add(3, i < 10);
  EXPECT_DOUBLE_EQ(t.EffectiveBase(), 100);
  EXPECT_DOUBLE_EQ(t.Share(), 0.4);
  EXPECT_NEAR(t.Wilson().low, 0.309401, 1e-6);
  EXPECT_NEAR(t.Wilson().high, 0.497997, 1e-6);
}

// Seed [[8,4,6,7],[3,6,5,2],[9,11,3,1]]: one respondent per unit of seed, so a cell's fitted
// total is its count times the per-person weight.
TEST(RakingTest, ClassicThreeByFourTable) {
  const int seed[3][4] = {{8, 4, 6, 7}, {3, 6, 5, 2}, {9, 11, 3, 1}};
  const double expected[3][4] = {{5.579361, 2.162467, 3.891874, 8.366298},
                                 {3.433200, 5.322603, 5.321828, 3.922370},
                                 {8.987439, 8.514931, 2.786299, 1.711332}};
  std::vector<std::vector<int>> groups(2);
  for (int row = 0; row < 3; ++row)
    for (int col = 0; col < 4; ++col)
      for (int k = 0; k < seed[row][col]; ++k) {
        groups[0].push_back(row);
        groups[1].push_back(col);
      }
  const size_t n = groups[0].size();
  RakingOptions options;
  options.trim_factor = 0;
  const RakingResult r = Rake(groups, {{{20, 18, 22}}, {{18, 16, 12, 14}}}, n, options);
  ASSERT_TRUE(r.converged);
  double fitted[3][4] = {};
  for (size_t i = 0; i < n; ++i) fitted[groups[0][i]][groups[1][i]] += r.weights[i];
  for (int row = 0; row < 3; ++row)
    for (int col = 0; col < 4; ++col)
      EXPECT_NEAR(fitted[row][col], expected[row][col], 1e-6) << row << "," << col;
}

TEST(RakingTest, SweepLimitIsReportedNotSilent) {
  const SexByAge s;
  RakingOptions options;
  options.max_sweeps = 1;
  const RakingResult r = Rake(s.groups, s.margins, 100, options);
  EXPECT_FALSE(r.converged);
  EXPECT_EQ(r.sweeps, 1);
  EXPECT_GT(r.max_error, 1e-9);
  EXPECT_EQ(r.weights.size(), 100u);
}

// M-Young 1, M-Old 49, F-Young 25, F-Old 25, every margin 500: untrimmed, the lone young man
// weighs 62.5, over 5 times the mean of 10. Capped at 50, re-raking can meet both.
std::vector<std::vector<int>> RareCell() {
  std::vector<std::vector<int>> g(2);
  const int cells[4][3] = {{0, 0, 1}, {0, 1, 49}, {1, 0, 25}, {1, 1, 25}};
  for (const auto& c : cells)
    for (int k = 0; k < c[2]; ++k) {
      g[0].push_back(c[0]);
      g[1].push_back(c[1]);
    }
  return g;
}

TEST(RakingTest, TrimmingCapsAndReRakes) {
  const std::vector<Margin> margins{{{500, 500}}, {{500, 500}}};
  RakingOptions off;
  off.trim_factor = 0;
  const RakingResult untrimmed = Rake(RareCell(), margins, 100, off);
  ASSERT_TRUE(untrimmed.converged);
  EXPECT_NEAR(untrimmed.weights[0], 62.5, 1e-6);

  // With the defaults: about 720 sweeps in 39 trimming rounds, as the cap is approached.
  const RakingResult r = Rake(RareCell(), margins, 100);
  EXPECT_TRUE(r.converged) << r.sweeps << " sweeps, error " << r.max_error;
  EXPECT_GT(r.trim_rounds, 0);
  EXPECT_LE(r.max_weight_ratio, 5 * (1 + 1e-9));
  EXPECT_LE(r.max_error, 1e-9);
  EXPECT_NEAR(std::accumulate(r.weights.begin(), r.weights.end(), 0.0), 1000, 1e-6);
}

// One dimension leaves no freedom: the cap and the margin cannot both hold.
TEST(RakingTest, TrimmingThatCannotHoldIsReported) {
  std::vector<std::vector<int>> g(1);
  g[0].push_back(0);
  for (int i = 0; i < 99; ++i) g[0].push_back(1);
  RakingOptions options;
  options.max_sweeps = 50;
  const RakingResult r = Rake(g, {{{500, 500}}}, 100, options);
  EXPECT_FALSE(r.converged);
  EXPECT_GT(r.trim_rounds, 0);
}

// The not stated keep the weight their other margins give them: an age "prefer not to say"
// among the men weighs what the sex margin makes of men, on average.
TEST(RakingTest, NotStatedKeepTheirOtherMargins) {
  SexByAge s;
  for (int i = 0; i < 5; ++i) {  // five men who did not state an age
    s.groups[0].push_back(0);
    s.groups[1].push_back(kNoGroup);
  }
  const RakingResult r = Rake(s.groups, s.margins, 105);
  ASSERT_TRUE(r.converged);
  const double total = std::accumulate(r.weights.begin(), r.weights.end(), 0.0);
  EXPECT_NEAR(total, 1000, 1e-6);
  double men = 0, young = 0, stated_age = 0;
  for (size_t i = 0; i < 105; ++i) {
    if (s.groups[0][i] == 0) men += r.weights[i];
    if (s.groups[1][i] == 0) young += r.weights[i];
    if (s.groups[1][i] != kNoGroup) stated_age += r.weights[i];
  }
  EXPECT_NEAR(men, 480, 1e-6);
  EXPECT_NEAR(young / stated_age, 0.4, 1e-9);  // the stated follow the population's ages
  EXPECT_GT(r.weights[100], 0);
  // Between the young and old men's weights: the average of their age margin.
  EXPECT_GT(r.weights[100], std::min(r.weights[0], r.weights[20]));
  EXPECT_LT(r.weights[100], std::max(r.weights[0], r.weights[20]));
}

TEST(RakingTest, EmptyGroupIsCountedAndLeftOut) {
  std::vector<std::vector<int>> g{{0, 0, 1, 1}};
  const RakingResult r = Rake(g, {{{100, 300, 600}}}, 4);
  EXPECT_TRUE(r.converged);
  EXPECT_EQ(r.empty_groups, 1);
  EXPECT_NEAR(r.weights[0] + r.weights[1], 1000.0 * 100 / 400, 1e-6);
}

}  // namespace
}  // namespace candour::stats
