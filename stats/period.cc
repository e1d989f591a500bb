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
