#include "stats/period.h"

#include <cstdio>

namespace candour::stats {

namespace chr = std::chrono;

namespace {

// Number of ISO weeks in `y`: 53 if it starts on a Thursday, or on a Wednesday in a leap year.
unsigned WeeksInIsoYear(int y) {
  const chr::weekday jan1{chr::sys_days{chr::year{y} / chr::January / 1}};
  const bool leap = chr::year{y}.is_leap();
  return (jan1 == chr::Thursday || (leap && jan1 == chr::Wednesday)) ? 53 : 52;
}

bool AllDigits(std::string_view s) {
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return !s.empty();
}

unsigned ToNumber(std::string_view s) {
  unsigned n = 0;
  for (char c : s) n = n * 10 + static_cast<unsigned>(c - '0');
  return n;
}

}  // namespace

std::string IsoWeek(chr::year_month_day date) {
  const chr::sys_days day{date};
  // The Thursday of this date's week decides the ISO year.
  const unsigned iso_weekday = chr::weekday{day}.iso_encoding();  // Monday = 1 ... Sunday = 7
  const chr::sys_days thursday = day + chr::days{4 - static_cast<int>(iso_weekday)};
  const chr::year_month_day thursday_ymd{thursday};
  const chr::sys_days jan1{thursday_ymd.year() / chr::January / 1};
  const int week = static_cast<int>((thursday - jan1).count() / 7) + 1;
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-W%02d", static_cast<int>(thursday_ymd.year()), week);
  return buf;
}

std::string Month(chr::year_month_day date) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02u", static_cast<int>(date.year()),
                static_cast<unsigned>(date.month()));
  return buf;
}

std::string PeriodOf(PeriodKind kind, chr::year_month_day date) {
  return kind == PeriodKind::kWeek ? IsoWeek(date) : Month(date);
}

std::optional<PeriodKind> ParsePeriodKind(std::string_view name) {
  if (name == "week") return PeriodKind::kWeek;
  if (name == "month") return PeriodKind::kMonth;
  return std::nullopt;
}

bool IsValidPeriod(PeriodKind kind, std::string_view label) {
  if (label.size() < 7 || !AllDigits(label.substr(0, 4)) || label[4] != '-') return false;
  const int year = static_cast<int>(ToNumber(label.substr(0, 4)));
  if (kind == PeriodKind::kMonth) {
    if (label.size() != 7 || !AllDigits(label.substr(5))) return false;
    const unsigned m = ToNumber(label.substr(5));
    return m >= 1 && m <= 12;
  }
  if (label.size() != 8 || label[5] != 'W' || !AllDigits(label.substr(6))) return false;
  const unsigned w = ToNumber(label.substr(6));
  return w >= 1 && w <= WeeksInIsoYear(year);
}

}  // namespace candour::stats

namespace candour::stats {
namespace {

// The Thursday of ISO week `week` of ISO year `year`.
chr::sys_days ThursdayOf(int year, unsigned week) {
  // 4 January is always in week 1.
  const chr::sys_days jan4{chr::year{year} / chr::January / 4};
  const unsigned wd = chr::weekday{jan4}.iso_encoding();
  const chr::sys_days monday1 = jan4 - chr::days{wd - 1};
  return monday1 + chr::days{7 * (static_cast<int>(week) - 1) + 3};
}

std::string QuarterLabel(chr::year_month_day d) {
  return std::to_string(static_cast<int>(d.year())) + "-Q" +
         std::to_string((static_cast<unsigned>(d.month()) - 1) / 3 + 1);
}

// The last day of a calendar month.
chr::sys_days MonthEnd(int y, unsigned m) {
  return chr::sys_days{chr::year{y} / chr::month{m} / chr::last};
}

}  // namespace

std::optional<PeriodPath> PathOf(PeriodKind kind, std::string_view label) {
  if (!IsValidPeriod(kind, label)) return std::nullopt;
  const int year = static_cast<int>(ToNumber(label.substr(0, 4)));
  chr::year_month_day day;
  if (kind == PeriodKind::kWeek) {
    day = chr::year_month_day{ThursdayOf(year, ToNumber(label.substr(6)))};
  } else {
    day = chr::year{year} / chr::month{ToNumber(label.substr(5))} / 1;
  }
  return PeriodPath{Month(day), QuarterLabel(day), std::to_string(static_cast<int>(day.year()))};
}

std::optional<chr::sys_days> LastDayOf(PeriodKind kind, std::string_view label) {
  if (label.size() < 4 || !AllDigits(label.substr(0, 4))) return std::nullopt;
  const int y = static_cast<int>(ToNumber(label.substr(0, 4)));
  unsigned last_month;
  if (label.size() == 4) {
    last_month = 12;
  } else if (label.size() == 7 && label[4] == '-' && label[5] == 'Q' && label[6] >= '1' &&
             label[6] <= '4') {
    last_month = static_cast<unsigned>(label[6] - '0') * 3;
  } else if (IsValidPeriod(PeriodKind::kMonth, label)) {
    last_month = ToNumber(label.substr(5));
  } else {
    return std::nullopt;
  }
  const chr::sys_days end = MonthEnd(y, last_month);
  if (kind == PeriodKind::kMonth) return end;
  // The week holding the month's last Thursday ends on the Sunday after it.
  const unsigned wd = chr::weekday{end}.iso_encoding();
  const chr::sys_days last_thursday = end - chr::days{(wd + 7 - 4) % 7};
  return last_thursday + chr::days{3};
}

}  // namespace candour::stats

namespace candour::stats {

namespace {

std::string MonthLabel(int index) {  // months since year 0
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d", index / 12, index % 12 + 1);
  return buf;
}

std::string QuarterLabelOf(int index) {  // quarters since year 0
  return std::to_string(index / 4) + "-Q" + std::to_string(index % 4 + 1);
}

int MonthIndex(std::string_view month) {
  return static_cast<int>(ToNumber(month.substr(0, 4))) * 12 +
         static_cast<int>(ToNumber(month.substr(5, 2))) - 1;
}

int QuarterIndex(std::string_view quarter) {
  return static_cast<int>(ToNumber(quarter.substr(0, 4))) * 4 + (quarter[6] - '1');
}

}  // namespace

std::string AddMonths(std::string_view month, int n) { return MonthLabel(MonthIndex(month) + n); }

std::string QuarterOf(std::string_view month) { return QuarterLabelOf(MonthIndex(month) / 3); }

std::vector<std::string> MonthsOf(std::string_view quarter) {
  const int first = QuarterIndex(quarter) * 3;
  return {MonthLabel(first), MonthLabel(first + 1), MonthLabel(first + 2)};
}

std::string AddQuarters(std::string_view quarter, int n) {
  return QuarterLabelOf(QuarterIndex(quarter) + n);
}

std::string FinancialQuarter(std::string_view quarter) {
  const int q = QuarterIndex(quarter) - 1;  // financial quarters start a quarter later
  const int year = q / 4;
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d/%02d Q%d", year, (year + 1) % 100, q % 4 + 1);
  return buf;
}

std::string RollingLabel(std::string_view quarter) {
  const int last = QuarterIndex(quarter) * 3 + 2;
  return MonthLabel(last - 11) + "/" + MonthLabel(last);
}

std::vector<std::string> QuartersOfRolling(std::string_view quarter) {
  const int q = QuarterIndex(quarter);
  return {QuarterLabelOf(q - 3), QuarterLabelOf(q - 2), QuarterLabelOf(q - 1), QuarterLabelOf(q)};
}

}  // namespace candour::stats

namespace candour::stats {

bool PeriodFrozen(PeriodKind kind, std::string_view label, chr::sys_days today, int grace_days) {
  const auto path = PathOf(kind, label);
  if (!path) return false;
  const auto last = LastDayOf(kind, path->month);
  return last && *last + chr::days{grace_days} < today;
}

}  // namespace candour::stats
