#include "stats/estimate.h"

#include <gtest/gtest.h>

namespace candour::stats {
namespace {

TEST(EstimateTest, WilsonWorkedExamples) {
  const Interval a = WilsonInterval(45, 120);
  EXPECT_NEAR(a.low, 0.293524, 5e-7);
  EXPECT_NEAR(a.high, 0.464230, 5e-7);
  const Interval zero = WilsonInterval(0, 20);
  EXPECT_DOUBLE_EQ(zero.low, 0.0);
  EXPECT_NEAR(zero.high, 0.161125, 5e-7);
}

TEST(EstimateTest, WilsonEdges) {
  const Interval all = WilsonInterval(20, 20);  // mirror of 0 of 20
  EXPECT_NEAR(all.low, 1 - 0.161125, 5e-7);
  EXPECT_DOUBLE_EQ(all.high, 1.0);
  const Interval one = WilsonInterval(1, 1);
  EXPECT_GT(one.low, 0.0);
  EXPECT_LT(one.low, 0.5);
  const Interval half = WilsonInterval(500, 1000);  // symmetric around one half
  EXPECT_NEAR(half.low + half.high, 1.0, 1e-12);
}

TEST(EstimateTest, TwoProportionWorkedExample) {
  const ZTest t = TwoProportionZTest(45, 120, 60, 125);
  EXPECT_NEAR(t.z, 1.660196, 5e-7);
  EXPECT_NEAR(t.p, 0.096875, 5e-7);
  const ZTest back = TwoProportionZTest(60, 125, 45, 120);
  EXPECT_NEAR(back.z, -1.660196, 5e-7);
  EXPECT_NEAR(back.p, t.p, 1e-12);
}

// The worked numbers of ../shared/notes/statistics.md.
TEST(EstimateTest, NewcombeHybridScoreInterval) {
  const Difference a = NewcombeInterval(56, 70, 48, 80);
  EXPECT_NEAR(a.difference, 0.2000, 5e-5);
  EXPECT_NEAR(a.low, 0.0524, 5e-5);
  EXPECT_NEAR(a.high, 0.3339, 5e-5);
  EXPECT_TRUE(a.significant());
  const Difference b = NewcombeInterval(5, 56, 0, 29);  // a zero share on one side
  EXPECT_NEAR(b.difference, 0.0893, 5e-5);
  EXPECT_NEAR(b.low, -0.0381, 5e-5);
  EXPECT_NEAR(b.high, 0.1926, 5e-5);
  EXPECT_FALSE(b.significant());
  const Difference c = NewcombeInterval(9, 10, 3, 10);
  EXPECT_NEAR(c.difference, 0.6000, 5e-5);
  EXPECT_NEAR(c.low, 0.1705, 5e-5);
  EXPECT_NEAR(c.high, 0.8090, 5e-5);
  // Swapping the sides mirrors the interval.
  const Difference back = NewcombeInterval(48, 80, 56, 70);
  EXPECT_NEAR(back.low, -a.high, 1e-12);
  EXPECT_NEAR(back.high, -a.low, 1e-12);
}

TEST(EstimateTest, TwoProportionWithoutVariance) {
  const ZTest t = TwoProportionZTest(0, 30, 0, 40);
  EXPECT_EQ(t.z, 0.0);
  EXPECT_EQ(t.p, 1.0);
}

}  // namespace
}  // namespace candour::stats
