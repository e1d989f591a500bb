// Coarse reporting periods. A response keeps only the period it arrived in, never its time.
// Pure functions; thread-safe.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace candour::stats {

enum class PeriodKind { kWeek, kMonth };

// "2026-W48": the ISO 8601 week (Monday-based; week 1 holds the year's first Thursday).
std::string IsoWeek(std::chrono::year_month_day date);
// "2026-11".
std::string Month(std::chrono::year_month_day date);
// The period of `kind` that holds `date`.
std::string PeriodOf(PeriodKind kind, std::chrono::year_month_day date);

// Parses "week" or "month"; nullopt for anything else.
std::optional<PeriodKind> ParsePeriodKind(std::string_view name);
// True if `label` is a well-formed period of `kind` ("2026-W48" with week 01-53, "2026-11").
bool IsValidPeriod(PeriodKind kind, std::string_view label);

}  // namespace candour::stats

namespace candour::stats {

// The calendar of published periods. A stored week belongs to the month (and so quarter and
// year) that holds its Thursday, as ISO 8601 assigns weeks to years; months, quarters and
// years are therefore whole weeks.
struct PeriodPath {
  std::string month;    // "2026-11"
  std::string quarter;  // "2026-Q4"
  std::string year;     // "2026"
};
// The path of a stored period label of `kind`; nullopt if the label is malformed.
std::optional<PeriodPath> PathOf(PeriodKind kind, std::string_view label);

// Whether the month holding the stored period `label` is published on `today`: it ended (under
// the week rule) more than grace_days ago. A response for a published period must be refused,
// so that published figures never change. False for a malformed label.
bool PeriodFrozen(PeriodKind kind, std::string_view label, std::chrono::sys_days today,
                  int grace_days);

// Label arithmetic. REQUIRES well-formed labels ("2026-11", "2026-Q4").
std::string AddMonths(std::string_view month, int n);         // "2026-11" + 2 = "2027-01"
std::string QuarterOf(std::string_view month);                // "2026-11" -> "2026-Q4"
std::vector<std::string> MonthsOf(std::string_view quarter);  // "2026-Q4" -> 10, 11, 12
std::string AddQuarters(std::string_view quarter, int n);     // "2026-Q4" + 1 = "2027-Q1"
// The financial-year label of a calendar quarter: "2026-Q2" -> "2026/27 Q1", "2027-Q1" ->
// "2026/27 Q4".
std::string FinancialQuarter(std::string_view quarter);
// The rolling 12 months ending with `quarter`: "2026-Q3" -> "2025-10/2026-09".
std::string RollingLabel(std::string_view quarter);
// The four quarters of the rolling window ending with `quarter`, oldest first.
std::vector<std::string> QuartersOfRolling(std::string_view quarter);

// The last day that belongs to a month, quarter or year label ("2026-11", "2026-Q4", "2026"),
// under the week rule above when `kind` is kWeek (the Sunday of the last week whose Thursday
// falls inside). A period is complete once `today` is after that day.
std::optional<std::chrono::sys_days> LastDayOf(PeriodKind kind, std::string_view label);

}  // namespace candour::stats
