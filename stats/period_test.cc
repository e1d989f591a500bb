#include "stats/period.h"

#include <gtest/gtest.h>

namespace candour::stats {
namespace {

using namespace std::chrono;

TEST(PeriodTest, IsoWeeksIncludingYearBoundaries) {
  EXPECT_EQ(IsoWeek(2026y / November / 25), "2026-W48");
  EXPECT_EQ(IsoWeek(2026y / January / 1), "2026-W01");   // a Thursday
  EXPECT_EQ(IsoWeek(2027y / January / 1), "2026-W53");   // a Friday: 2026 has 53 weeks
  EXPECT_EQ(IsoWeek(2024y / December / 30), "2025-W01"); // Monday of 2025's first week
  EXPECT_EQ(IsoWeek(2021y / January / 3), "2020-W53");
  EXPECT_EQ(IsoWeek(2023y / January / 1), "2022-W52");   // a Sunday
}

TEST(PeriodTest, Months) {
  EXPECT_EQ(Month(2026y / November / 25), "2026-11");
  EXPECT_EQ(PeriodOf(PeriodKind::kMonth, 2026y / February / 1), "2026-02");
  EXPECT_EQ(PeriodOf(PeriodKind::kWeek, 2026y / February / 1), "2026-W05");
}

TEST(PeriodTest, ValidatesLabels) {
  EXPECT_TRUE(IsValidPeriod(PeriodKind::kWeek, "2026-W53"));
  EXPECT_FALSE(IsValidPeriod(PeriodKind::kWeek, "2025-W53"));  // 2025 has 52 weeks
  EXPECT_FALSE(IsValidPeriod(PeriodKind::kWeek, "2026-W00"));
  EXPECT_FALSE(IsValidPeriod(PeriodKind::kWeek, "2026-11"));
  EXPECT_TRUE(IsValidPeriod(PeriodKind::kMonth, "2026-12"));
  EXPECT_FALSE(IsValidPeriod(PeriodKind::kMonth, "2026-13"));
  EXPECT_FALSE(IsValidPeriod(PeriodKind::kMonth, "2026-1"));
  EXPECT_FALSE(IsValidPeriod(PeriodKind::kMonth, "20x6-01"));
}

TEST(PeriodTest, ParsesKinds) {
  EXPECT_EQ(ParsePeriodKind("week"), PeriodKind::kWeek);
  EXPECT_EQ(ParsePeriodKind("month"), PeriodKind::kMonth);
  EXPECT_EQ(ParsePeriodKind("day"), std::nullopt);
}

}  // namespace
}  // namespace candour::stats
