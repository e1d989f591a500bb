#include "web/locale_format.h"

#include <gtest/gtest.h>

namespace candour::web {
namespace {

using stats::Level;

// Expected strings are ICU 72's (libicu-dev 72.1, Debian 12): createPercentInstance and
// createInstance with the fraction digits fixed, for each language the service ships.
TEST(LocaleFormatTest, PercentagesAsIcuWritesThemInEveryShippedLanguage) {
  EXPECT_EQ(FormatPercent(0.32, "en"), "32%");
  EXPECT_EQ(FormatPercent(0.32, "tr"), "%32");
  EXPECT_EQ(FormatPercent(0.32, "pl"), "32%");
  EXPECT_EQ(FormatPercent(0.375, "en", 1), "37.5%");
  EXPECT_EQ(FormatPercent(0.375, "tr", 1), "%37,5");
  EXPECT_EQ(FormatPercent(0.375, "pl", 1), "37,5%");
  EXPECT_EQ(FormatPercent(1, "tr"), "%100");
  EXPECT_EQ(FormatPercent(0, "en"), "0%");
  EXPECT_EQ(FormatPercent(0.32, "xx"), "32%");  // unknown: English conventions
}

TEST(LocaleFormatTest, DecimalsWithTheLanguagesSeparatorAndAnOptionalSign) {
  EXPECT_EQ(FormatDecimal(-2.3, "en", 1), "-2.3");
  EXPECT_EQ(FormatDecimal(-2.3, "tr", 1), "-2,3");
  EXPECT_EQ(FormatDecimal(-2.3, "pl", 1), "-2,3");
  EXPECT_EQ(FormatDecimal(15, "en", 1, true), "+15.0");
  EXPECT_EQ(FormatDecimal(15, "tr", 1, true), "+15,0");
  EXPECT_EQ(FormatDecimal(-0.04, "en", 1, true), "0.0");  // never "-0.0", nor "+0.0"
  EXPECT_EQ(FormatDecimal(0.04, "pl", 1, true), "0,0");
  EXPECT_EQ(FormatDecimal(2.25, "en", 0), "2");
}

TEST(LocaleFormatTest, PeriodsInEachLanguage) {
  EXPECT_EQ(FormatPeriod("2025-12", Level::kMonth, "en"), "Dec 2025");
  EXPECT_EQ(FormatPeriod("2026-08", Level::kMonth, "tr"), "Ağu 2026");
  EXPECT_EQ(FormatPeriod("2025-10", Level::kMonth, "pl"), "paź 2025");
  // Calendar 2026-Q3 (July to September) is the second quarter of financial year 2026/27.
  EXPECT_EQ(FormatPeriod("2026-Q3", Level::kQuarter, "en"), "2026/27 Q2");
  EXPECT_EQ(FormatPeriod("2026-Q2", Level::kQuarter, "en"), "2026/27 Q1");
  EXPECT_EQ(FormatPeriod("2026-Q3", Level::kQuarter, "tr"), "2026/27 2. çeyrek");
  EXPECT_EQ(FormatPeriod("2026-Q3", Level::kQuarter, "pl"), "II kw. 2026/27");
  EXPECT_EQ(FormatPeriod("2025-10/2026-09", Level::kRolling, "en"), "12 months to Sep 2026");
  EXPECT_EQ(FormatPeriod("nonsense", Level::kMonth, "en"), "nonsense");
}

}  // namespace
}  // namespace candour::web
