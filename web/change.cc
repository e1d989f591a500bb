#include "web/change.h"

#include <algorithm>
#include <charconv>

#include "stats/estimate.h"

namespace candour::web {
namespace {

// "2026-09" -> "2025-09"; empty unless `month` is YYYY-MM.
std::string MonthYearEarlier(std::string_view month) {
  int year = 0;
  if (month.size() != 7 || month[4] != '-') return "";
  const auto [end, ec] = std::from_chars(month.data(), month.data() + 4, year);
  if (ec != std::errc() || end != month.data() + 4 || year < 1001) return "";
  return std::to_string(year - 1) + std::string(month.substr(4));
}

}  // namespace

std::string YearEarlier(std::string_view window) {
  const size_t slash = window.find('/');
  if (slash == std::string_view::npos) return "";
  const std::string from = MonthYearEarlier(window.substr(0, slash));
  const std::string to = MonthYearEarlier(window.substr(slash + 1));
  if (from.empty() || to.empty()) return "";
  return from + "/" + to;
}

std::optional<stats::GapCell> ChangeOf(const stats::Release& release, const std::string& measure,
                                       const std::string& dimension, const std::string& window,
                                       const std::string& group) {
  const std::string earlier = YearEarlier(window);
  if (earlier.empty()) return std::nullopt;
  const stats::MeasureCell* now = release.Measure(measure, dimension, window, group);
  const stats::MeasureCell* before = release.Measure(measure, dimension, earlier, group);
  const uint64_t min_base = std::max<uint64_t>(1, release.spec().min_base);
  auto usable = [&](const stats::MeasureCell* c) {
    return c && c->positive.published() && c->base.published() && c->base.count >= min_base &&
           c->positive.count <= c->base.count;
  };
  if (!usable(now) || !usable(before)) return std::nullopt;
  const stats::Difference d = stats::NewcombeInterval(now->positive.count, now->base.count,
                                                      before->positive.count, before->base.count);
  return stats::GapCell{d.difference, d.low, d.high, d.significant()};
}

}  // namespace candour::web
