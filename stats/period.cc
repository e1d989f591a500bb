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
