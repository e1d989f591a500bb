#include "web/change.h"

#include <algorithm>
#include <charconv>
#include <cmath>

#include "stats/estimate.h"
#include "stats/weighting.h"

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

std::string YearEarlier(std::string_view period) {
  const size_t slash = period.find('/');
  if (slash == std::string_view::npos) {
    // A quarter "YYYY-Qn" is a month label's shape with 'Q' and a digit 1-4 after the dash.
    if (period.size() == 7 && period[5] == 'Q') {
      if (period[6] < '1' || period[6] > '4') return "";
      std::string as_month(period);
      as_month[5] = '0';
      std::string earlier = MonthYearEarlier(as_month);
      if (earlier.empty()) return "";
      earlier[5] = 'Q';
      return earlier;
    }
    if (period.size() == 7 && (period[5] < '0' || period[5] > '1')) return "";
    return MonthYearEarlier(period);
  }
  const std::string from = MonthYearEarlier(period.substr(0, slash));
  const std::string to = MonthYearEarlier(period.substr(slash + 1));
  if (from.empty() || to.empty()) return "";
  return from + "/" + to;
}

std::optional<YearChange> ChangeOf(const stats::Release& release, const std::string& measure,
                                   const std::string& dimension, const std::string& period,
                                   const std::string& group) {
  const std::string earlier = YearEarlier(period);
  if (earlier.empty()) return std::nullopt;
  const stats::MeasureCell* now = release.Measure(measure, dimension, period, group);
  const stats::MeasureCell* before = release.Measure(measure, dimension, earlier, group);
  const uint64_t min_base = std::max<uint64_t>(1, release.spec().min_base);
  auto usable = [&](const stats::MeasureCell* c) {
    return c && c->positive.published() && c->base.published() && c->base.count >= min_base &&
           c->positive.count <= c->base.count;
  };
  if (!usable(now) || !usable(before)) return std::nullopt;
  const stats::Difference d = stats::NewcombeInterval(now->positive.count, now->base.count,
                                                      before->positive.count, before->base.count);
  const stats::ZTest t = stats::TwoProportionZTest(before->positive.count, before->base.count,
                                                   now->positive.count, now->base.count);
  YearChange change;
  change.difference = d.difference;
  change.low = d.low;
  change.high = d.high;
  change.significant = t.p < 0.05;
  change.z = t.z;
  change.p = t.p;
  return change;
}

std::optional<YearChange> WeightedChangeOf(const stats::Release& release,
                                           const std::string& measure, const std::string& dimension,
                                           const std::string& period, const std::string& group) {
  const std::string earlier = YearEarlier(period);
  if (earlier.empty()) return std::nullopt;
  const stats::MeasureCell* now = release.Measure(measure, dimension, period, group);
  const stats::MeasureCell* before = release.Measure(measure, dimension, earlier, group);
  auto usable = [](const stats::MeasureCell* c) { return c && c->weighted && c->weighted->shown; };
  if (!usable(now) || !usable(before)) return std::nullopt;
  const stats::WeightedFigures &a = *now->weighted, &b = *before->weighted;
  const stats::Difference d =
      stats::NewcombeIntervalOfShares(a.exact_share, a.exact_n_eff, b.exact_share, b.exact_n_eff);
  const stats::ZTest t =
      stats::TwoProportionZTestOfShares(b.exact_share, b.exact_n_eff, a.exact_share, a.exact_n_eff);
  YearChange change;
  change.difference = stats::RoundedShare(d.difference);
  change.low = stats::RoundedShare(d.low);
  change.high = stats::RoundedShare(d.high);
  change.significant = t.p < 0.05;
  change.z = std::round(t.z * 100) / 100 + 0.0;
  change.p = std::round(t.p * 1000) / 1000;
  return change;
}

}  // namespace candour::web
