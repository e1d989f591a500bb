#include "web/locale_format.h"

#include <cmath>
#include <cstdio>
#include <sstream>

#include "web/dashboard_model.h"
#include "web/ui_text.h"

namespace candour::web {
namespace {

struct Conventions {
  char decimal;
  bool percent_first;      // "%32"
  std::string_view group;  // between groups of three digits
  int min_grouping;        // digits before the first group a count needs to be grouped
};

// Checked against ICU 72 (NumberFormat::createPercentInstance / createInstance) in
// locale_format_test.cc.
Conventions Of(std::string_view lang) {
  if (lang == "tr") return {',', true, ".", 1};
  if (lang == "pl") return {',', false, "\u00a0", 2};
  return {'.', false, ",", 1};
}

}  // namespace

std::string FormatDecimal(double value, std::string_view lang, int digits, bool sign) {
  if (digits < 0) digits = 0;
  if (digits > 6) digits = 6;
  const double scale = std::pow(10.0, digits);
  double rounded = std::round(value * scale) / scale;
  if (rounded == 0) rounded = 0;  // no "-0"
  char buf[64];
  // A signed zero is written "0.0": no sign, since it is neither a rise nor a fall.
  std::snprintf(buf, sizeof buf, sign && rounded != 0 ? "%+.*f" : "%.*f", digits, rounded);
  std::string out = buf;
  const char dec = Of(lang).decimal;
  for (char& c : out)
    if (c == '.') c = dec;
  return out;
}

std::string FormatCount(int64_t count, std::string_view lang) {
  const Conventions c = Of(lang);
  const std::string digits = std::to_string(count < 0 ? -count : count);
  std::string out = count < 0 ? "-" : "";
  const size_t n = digits.size();
  const bool grouped = n > 3 && int(n - 3) >= c.min_grouping;
  for (size_t i = 0; i < n; ++i) {
    if (grouped && i > 0 && (n - i) % 3 == 0) out += c.group;
    out += digits[i];
  }
  return out;
}

std::string FormatPercent(double share, std::string_view lang, int digits) {
  const std::string n = FormatDecimal(share * 100, lang, digits < 0 ? 0 : digits > 3 ? 3 : digits);
  return Of(lang).percent_first ? "%" + n : n + "%";
}

std::string FormatPeriod(const std::string& period, stats::Level level, std::string_view lang,
                         bool tick) {
  return dashboard::PeriodLabel(period, level, std::string(lang), tick);
}

std::string FormatDate(std::chrono::year_month_day date, std::string_view lang) {
  std::istringstream words(UiText::BuiltIn().Plain(lang, "months_long"));
  std::string month;
  for (unsigned i = 1; i <= unsigned(date.month()) && words >> month; ++i) {
  }
  return UiText::BuiltIn().Plain(lang, "date_label",
                                 {{"day", std::to_string(unsigned(date.day()))},
                                  {"month", month},
                                  {"year", std::to_string(int(date.year()))}});
}

}  // namespace candour::web
