#include "stats/period.h"

#include <gtest/gtest.h>

namespace candour::stats {
namespace {

using namespace std::chrono;

TEST(PeriodTest, IsoWeeksIncludingYearBoundaries) {
  EXPECT_EQ(IsoWeek(2026y / November / 25), "2026-W48");
  EXPECT_EQ(IsoWeek(2026y / January / 1), "2026-W01");    // a Thursday
  EXPECT_EQ(IsoWeek(2027y / January / 1), "2026-W53");    // a Friday: 2026 has 53 weeks
  EXPECT_EQ(IsoWeek(2024y / December / 30), "2025-W01");  // Monday of 2025's first week
  EXPECT_EQ(IsoWeek(2021y / January / 3), "2020-W53");
  EXPECT_EQ(IsoWeek(2023y / January / 1), "2022-W52");  // a Sunday
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

namespace candour::stats {
namespace {

using namespace std::chrono;

TEST(PeriodPathTest, WeeksBelongToTheMonthOfTheirThursday) {
  auto p = PathOf(PeriodKind::kWeek, "2026-W48");  // Mon 23 Nov - Sun 29 Nov, Thursday 26 Nov
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->month, "2026-11");
  EXPECT_EQ(p->quarter, "2026-Q4");
  EXPECT_EQ(p->year, "2026");
  EXPECT_EQ(PathOf(PeriodKind::kWeek, "2026-W53")->month, "2026-12");    // Thu 31 Dec 2026
  EXPECT_EQ(PathOf(PeriodKind::kWeek, "2025-W01")->year, "2025");        // Thu 2 Jan 2025
  EXPECT_EQ(PathOf(PeriodKind::kWeek, "2026-W27")->quarter, "2026-Q3");  // Thu 2 Jul 2026
  EXPECT_EQ(PathOf(PeriodKind::kMonth, "2026-04")->quarter, "2026-Q2");
  EXPECT_FALSE(PathOf(PeriodKind::kWeek, "2026-11").has_value());
}

TEST(PeriodPathTest, LastDays) {
  EXPECT_EQ(*LastDayOf(PeriodKind::kMonth, "2026-11"), sys_days{2026y / November / 30});
  EXPECT_EQ(*LastDayOf(PeriodKind::kMonth, "2026-Q1"), sys_days{2026y / March / 31});
  EXPECT_EQ(*LastDayOf(PeriodKind::kMonth, "2026"), sys_days{2026y / December / 31});
  // November 2026's last Thursday is the 26th: its week ends Sunday 29 November.
  EXPECT_EQ(*LastDayOf(PeriodKind::kWeek, "2026-11"), sys_days{2026y / November / 29});
  // December 2026's last Thursday is the 31st: its week (2026-W53) ends Sunday 3 January 2027.
  EXPECT_EQ(*LastDayOf(PeriodKind::kWeek, "2026"), sys_days{2027y / January / 3});
  EXPECT_FALSE(LastDayOf(PeriodKind::kWeek, "2026-Q5").has_value());
}

}  // namespace
}  // namespace candour::stats

namespace candour::stats {
namespace {

using namespace std::chrono;

TEST(PeriodArithmeticTest, MonthsAndQuartersAcrossAYearBoundary) {
  EXPECT_EQ(AddMonths("2026-11", 2), "2027-01");
  EXPECT_EQ(AddMonths("2026-01", -1), "2025-12");
  EXPECT_EQ(QuarterOf("2026-11"), "2026-Q4");
  EXPECT_EQ(QuarterOf("2026-03"), "2026-Q1");
  EXPECT_EQ(MonthsOf("2026-Q4"), (std::vector<std::string>{"2026-10", "2026-11", "2026-12"}));
  EXPECT_EQ(AddQuarters("2026-Q4", 1), "2027-Q1");
  EXPECT_EQ(AddQuarters("2026-Q1", -4), "2025-Q1");
}

TEST(PeriodArithmeticTest, FinancialQuartersStartInApril) {
  EXPECT_EQ(FinancialQuarter("2026-Q2"), "2026/27 Q1");  // April-June
  EXPECT_EQ(FinancialQuarter("2026-Q3"), "2026/27 Q2");
  EXPECT_EQ(FinancialQuarter("2026-Q4"), "2026/27 Q3");
  EXPECT_EQ(FinancialQuarter("2027-Q1"), "2026/27 Q4");  // January-March ends the year
  EXPECT_EQ(FinancialQuarter("2000-Q1"), "1999/00 Q4");
}

TEST(PeriodArithmeticTest, RollingTwelveMonthsAreFourQuarters) {
  // "12 months to Sep 2026" is October 2025 to September 2026.
  EXPECT_EQ(RollingLabel("2026-Q3"), "2025-10/2026-09");
  EXPECT_EQ(QuartersOfRolling("2026-Q3"),
            (std::vector<std::string>{"2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3"}));
  // The financial year is the window ending in March; the calendar year the one ending in
  // December.
  EXPECT_EQ(RollingLabel("2027-Q1"), "2026-04/2027-03");
  EXPECT_EQ(RollingLabel("2026-Q4"), "2026-01/2026-12");
}

TEST(PeriodArithmeticTest, APeriodIsFrozenAGraceTimeAfterItsMonthEnds) {
  const sys_days dec22{2026y / December / 22}, dec21{2026y / December / 21};
  // November ends on the 30th; with 21 days' grace it is published from 22 December.
  EXPECT_FALSE(PeriodFrozen(PeriodKind::kMonth, "2026-11", dec21, 21));
  EXPECT_TRUE(PeriodFrozen(PeriodKind::kMonth, "2026-11", dec22, 21));
  // A week belongs to the month of its Thursday: 2026-W49 (30 Nov - 6 Dec) to December.
  EXPECT_FALSE(PeriodFrozen(PeriodKind::kWeek, "2026-W49", dec22, 21));
  // 2026-W44 (26 Oct - 1 Nov) is October's last week, so October ends on 1 November.
  EXPECT_TRUE(PeriodFrozen(PeriodKind::kWeek, "2026-W44", sys_days{2026y / November / 23}, 21));
  EXPECT_FALSE(PeriodFrozen(PeriodKind::kWeek, "2026-W44", sys_days{2026y / November / 22}, 21));
  EXPECT_FALSE(PeriodFrozen(PeriodKind::kMonth, "2026-13", dec22, 21));
}

}  // namespace
}  // namespace candour::stats
