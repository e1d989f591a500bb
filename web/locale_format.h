// Numbers and periods in a language's conventions, the one place the dashboard, posters and
// CSV headers ask for them: "%32" in Turkish, "32%" in English and Polish; a decimal comma in
// Turkish and Polish ("-2,3"), a point in English. Own tables, not ICU at run time: the unit
// tests pin every shipped language's strings to ICU 72's output (en, tr, pl), and a language
// not in the table falls back to English's conventions.
// Thread-safe: pure functions.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "stats/release.h"

namespace candour::web {

// `share` (0..1) as a percentage rounded to `digits` decimals: FormatPercent(0.32, "tr", 0)
// is "%32". REQUIRES: 0 <= digits <= 3.
std::string FormatPercent(double share, std::string_view lang, int digits = 0);

// `value` with exactly `digits` decimals in the language's way: FormatDecimal(-2.3, "pl", 1)
// is "-2,3"; `sign` adds "+" to positive values and zero ("+0,0"). REQUIRES: 0 <= digits <= 6.
std::string FormatDecimal(double value, std::string_view lang, int digits, bool sign = false);

// A count with the language's digit grouping: 7,120 (English), 7.120 (Turkish), 7120 and
// 12 345 (Polish: four digits are not grouped; the separator is a no-break space).
std::string FormatCount(int64_t count, std::string_view lang);

// A period as a reader sees it: "Dec 2025", "2026/27 Q2" (financial year April to March,
// April to June is Q1), "12 months to Sep 2026"; `tick` gives a time axis's short form.
// Unparseable periods come back as they are.
std::string FormatPeriod(const std::string& period, stats::Level level, std::string_view lang,
                         bool tick = false);

// A date as a poster says it: "31 March 2027", "31 Mart 2027", "31 marca 2027" (the
// UI texts "date_label" and "months_long").
std::string FormatDate(std::chrono::year_month_day date, std::string_view lang);

}  // namespace candour::web
