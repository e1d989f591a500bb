// Our locale tables (web/locale_format.h, web/i18n/ui.json) against ICU's output, computed here
// at test time with libicu-dev (Debian 12: ICU 72), for every month, quarter and shipped
// language, so that a table typed by hand cannot drift from what ICU writes. The service itself
// does not link ICU. English follows en for month abbreviations ("Sep") and en_GB for dates
// ("31 March 2027"), as a UK service writes them.
#include <gtest/gtest.h>
#include <unicode/dtptngen.h>
#include <unicode/gregocal.h>
#include <unicode/numberformatter.h>
#include <unicode/smpdtfmt.h>

#include <cstdio>
#include <memory>

#include "web/locale_format.h"

namespace candour::web {
namespace {

using stats::Level;

constexpr const char* kLanguages[] = {"en", "tr", "pl"};

std::string Utf8(const icu::UnicodeString& s) {
  std::string out;
  s.toUTF8String(out);
  return out;
}

// ICU's best pattern for `skeleton` in `locale`, applied to the 15th of `month` of `year`.
std::string IcuDate(const char* locale, const char* skeleton, int year, int month, int day = 15) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Locale loc(locale);
  std::unique_ptr<icu::DateTimePatternGenerator> generator(
      icu::DateTimePatternGenerator::createInstance(loc, status));
  const icu::UnicodeString pattern = generator->getBestPattern(skeleton, status);
  icu::SimpleDateFormat format(pattern, loc, status);
  icu::GregorianCalendar calendar(*icu::TimeZone::getGMT(), status);
  calendar.clear();
  calendar.set(year, month - 1, day);
  icu::UnicodeString out;
  icu::FieldPosition position;
  format.format(calendar, out, position);
  EXPECT_TRUE(U_SUCCESS(status)) << u_errorName(status);
  return Utf8(out);
}

// printf into a string ("2026-%02d"): GCC 12 warns (-Wrestrict, wrongly) on "literal" + string.
template <typename... Args>
std::string Printf(const char* format, Args... args) {
  char buf[64];
  std::snprintf(buf, sizeof buf, format, args...);
  return buf;
}

TEST(LocaleIcuTest, MonthsAsIcuWritesThemInEveryLanguage) {
  for (const char* lang : kLanguages) {
    for (int m = 1; m <= 12; ++m) {
      const std::string iso = Printf("2026-%02d", m);
      EXPECT_EQ(FormatPeriod(iso, Level::kMonth, lang), IcuDate(lang, "yMMM", 2026, m))
          << lang << " " << iso;
      // A rolling window names its last month the same way.
      const std::string window = Printf("2025-%02d/2026-%02d", m, m);
      EXPECT_EQ(FormatPeriod(window, Level::kRolling, lang, true), IcuDate(lang, "yMMM", 2026, m))
          << lang << " " << window;
    }
  }
}

TEST(LocaleIcuTest, DatesAsIcuWritesThemInEveryLanguage) {
  for (const char* lang : kLanguages) {
    const char* locale = std::string_view(lang) == "en" ? "en_GB" : lang;
    for (int m = 1; m <= 12; ++m) {
      const auto date = std::chrono::year{2027} / std::chrono::month(unsigned(m)) / 28;
      EXPECT_EQ(FormatDate(date, lang), IcuDate(locale, "yMMMMd", 2027, m, 28)) << lang << " " << m;
    }
  }
}

// A financial quarter is ICU's quarter (its abbreviated form, in its place beside the year) with
// the financial year "2026/27" in place of the year: financial Q2 of 2026/27 is written as ICU
// writes the second quarter of a year.
TEST(LocaleIcuTest, QuartersInIcusFormWithTheFinancialYear) {
  for (const char* lang : kLanguages) {
    for (int q = 1; q <= 4; ++q) {
      // Calendar quarter q + 1 of 2026 (q = 4: 2027-Q1) is financial quarter q of 2026/27.
      const std::string iso = q == 4 ? "2027-Q1" : Printf("2026-Q%d", q + 1);
      // ICU for the q-th quarter of 2099, with 2099 replaced by the financial year.
      // Turkish writes the quarter in full ("2. çeyrek"), as reports do; Polish abbreviated.
      std::string icu =
          IcuDate(lang, std::string_view(lang) == "tr" ? "yQQQQ" : "yQQQ", 2099, 3 * q - 1);
      icu.replace(icu.find("2099"), 4, "2026/27");
      if (std::string_view(lang) == "en") {
        // English puts the financial year first ("2026/27 Q2", as the issue and UK reports
        // write it) where ICU writes "Q2 2099".
        EXPECT_EQ(icu, Printf("Q%d 2026/27", q));
        EXPECT_EQ(FormatPeriod(iso, Level::kQuarter, lang), Printf("2026/27 Q%d", q));
      } else {
        EXPECT_EQ(FormatPeriod(iso, Level::kQuarter, lang), icu) << lang << " " << iso;
      }
    }
  }
}

TEST(LocaleIcuTest, PercentagesAndDecimalsAsIcuWritesThem) {
  for (const char* lang : kLanguages) {
    UErrorCode status = U_ZERO_ERROR;
    const auto locale = icu::number::NumberFormatter::withLocale(icu::Locale(lang));
    for (double share : {0.0, 0.05, 0.32, 0.375, 0.999, 1.0}) {
      for (int digits : {0, 1}) {
        const auto percent = locale.unit(icu::NoUnit::percent())
                                 .scale(icu::number::Scale::powerOfTen(2))
                                 .precision(icu::number::Precision::fixedFraction(digits))
                                 .formatDouble(share, status);
        EXPECT_EQ(FormatPercent(share, lang, digits), Utf8(percent.toString(status)))
            << lang << " " << share;
      }
    }
    // A sign on every figure but zero (a rounded zero is neither a rise nor a fall).
    for (double value : {-23.456, -2.3, -0.04, 0.0, 0.04, 15.0, 9.95}) {
      const auto signed_value = locale.precision(icu::number::Precision::fixedFraction(1))
                                    .sign(UNUM_SIGN_EXCEPT_ZERO)
                                    .formatDouble(value, status);
      EXPECT_EQ(FormatDecimal(value, lang, 1, true), Utf8(signed_value.toString(status)))
          << lang << " " << value;
    }
    EXPECT_TRUE(U_SUCCESS(status)) << u_errorName(status);
  }
}

TEST(LocaleIcuTest, CountsGroupedAsIcuGroupsThem) {
  for (const char* lang : kLanguages) {
    UErrorCode status = U_ZERO_ERROR;
    const auto locale = icu::number::NumberFormatter::withLocale(icu::Locale(lang));
    for (int64_t count : {int64_t{0}, int64_t{7}, int64_t{999}, int64_t{1000}, int64_t{7120},
                          int64_t{12345}, int64_t{999999}, int64_t{1000000}, int64_t{1234567}}) {
      EXPECT_EQ(FormatCount(count, lang), Utf8(locale.formatInt(count, status).toString(status)))
          << lang << " " << count;
    }
    EXPECT_TRUE(U_SUCCESS(status)) << u_errorName(status);
  }
}

}  // namespace
}  // namespace candour::web
