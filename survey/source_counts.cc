#include "survey/source_counts.h"

#include <algorithm>
#include <map>

#include "stats/period.h"
#include "stats/protect.h"

namespace candour::survey {
namespace {

// The month a stored period label belongs to ("2026-W48" -> "2026-11"), or empty.
std::string MonthOf(std::string_view label) {
  const auto kind = label.find('W') != std::string_view::npos ? stats::PeriodKind::kWeek
                                                              : stats::PeriodKind::kMonth;
  const auto path = stats::PathOf(kind, label);
  return path ? path->month : std::string();
}

std::vector<SourceColumn> Columns(const Survey& survey, const stats::ResponseIndex& index,
                                  const std::vector<uint16_t>& present) {
  std::vector<SourceColumn> out;
  for (const Source& s : survey.sources) out.push_back({s.tag, s.label, true});
  std::vector<std::string> found;
  bool untagged = false;
  for (uint16_t id : present) {
    const std::string& tag = index.SourceLabel(id);
    if (tag.empty()) {
      untagged = true;
    } else if (!survey.FindSource(tag)) {
      found.push_back(tag);
    }
  }
  std::sort(found.begin(), found.end());
  for (const std::string& tag : found) {
    std::string label = tag;
    if (tag == kOtherSource && !survey.sources.empty()) {
      label = "Other: links with a tag that is not declared";
    } else if (!survey.sources.empty()) {
      label = tag + " (not declared)";
    }
    out.push_back({tag, std::move(label), false});
  }
  if (untagged) out.push_back({"", "No tag: the plain link, or a paper import without one", false});
  return out;
}

}  // namespace

SourceCounts CountSources(const Survey& survey, const stats::ResponseIndex& index,
                          std::chrono::sys_days today) {
  SourceCounts out;
  out.threshold = survey.threshold;
  out.total = index.size();

  // Count by (period id, source id), then gather into months and columns.
  std::map<std::pair<uint16_t, uint16_t>, uint64_t> by_period_source;
  for (size_t row = 0; row < index.size(); ++row)
    ++by_period_source[{index.PeriodId(row), index.SourceId(row)}];
  std::vector<uint16_t> present;
  for (const auto& [key, n] : by_period_source) present.push_back(key.second);
  std::sort(present.begin(), present.end());
  present.erase(std::unique(present.begin(), present.end()), present.end());
  out.sources = Columns(survey, index, present);
  std::map<std::string, size_t> column_of;
  for (size_t c = 0; c < out.sources.size(); ++c) column_of[out.sources[c].tag] = c;

  const size_t S = out.sources.size();
  std::map<std::string, std::vector<uint64_t>> by_month;  // month -> count per column
  for (const auto& [key, n] : by_period_source) {
    std::vector<uint64_t>& row = by_month[MonthOf(index.PeriodLabel(key.first))];
    row.resize(S);
    row[column_of.at(index.SourceLabel(key.second))] += n;
  }
  const size_t M = by_month.size();

  // The protection system: cells (month, column), then the month totals and the survey's
  // total, both known. No all-months total per source is shown: its small ones would need
  // protecting too, across months, and the month an event fell in is what an organiser reads.
  std::vector<stats::ProtectCell> cells(M * S + M + 1);
  std::vector<stats::Relation> relations;
  const uint32_t grand = static_cast<uint32_t>(M * S + M);
  auto cell = [S](size_t m, size_t s) { return static_cast<uint32_t>(m * S + s); };
  auto month_total = [M, S](size_t m) { return static_cast<uint32_t>(M * S + m); };
  stats::Relation months_rel{grand, {}};
  size_t m = 0;
  for (const auto& [month, row] : by_month) {
    stats::Relation rel{month_total(m), {}};
    for (size_t s = 0; s < S; ++s) {
      cells[cell(m, s)].value = row[s];
      cells[month_total(m)].value += row[s];
      rel.parts.push_back(cell(m, s));
    }
    cells[month_total(m)].fixed = true;
    months_rel.parts.push_back(month_total(m));
    relations.push_back(std::move(rel));
    ++m;
  }
  cells[grand].value = out.total;
  cells[grand].fixed = true;
  relations.push_back(std::move(months_rel));

  // The largest value each figure could show, the known total it is part of: a small count in
  // a month of fewer than `threshold` responses cannot be made to look like `threshold`.
  std::vector<uint64_t> bound(cells.size(), out.total);
  for (size_t i = 0; i < M; ++i)
    for (size_t s = 0; s < S; ++s) bound[cell(i, s)] = cells[month_total(i)].value;
  for (size_t i = 0; i < M * S; ++i) {
    if (cells[i].fixed) continue;
    if (cells[i].value > 0 && cells[i].value < survey.threshold) {
      cells[i].suppressed = true;
      cells[i].need = stats::Need::kZeroOrLarge;
    }
  }
  // Protect's own verdict asks every small count to reach the threshold, which a month's known
  // total can forbid; the check below asks what can be had (up to `bound`).
  if (M > 0) (void)stats::Protect(cells, relations, survey.threshold);
  const std::vector<stats::Range> ranges =
      M > 0 ? stats::SuppressedRanges(cells, relations) : std::vector<stats::Range>(cells.size());
  for (size_t i = 0; i < cells.size() && out.fully_protected; ++i) {
    if (cells[i].need != stats::Need::kZeroOrLarge) continue;
    const double reach = static_cast<double>(std::min<uint64_t>(survey.threshold, bound[i]));
    const bool zero = ranges[i].min < 0.5;
    const bool large = ranges[i].max < 0 || ranges[i].max > reach - 0.5;
    if (!zero || !large) out.fully_protected = false;
  }
  if (!out.fully_protected) {
    for (auto& c : cells)
      if (!c.fixed) c.suppressed = true;
  }

  auto shown = [&](uint32_t i) {
    const stats::ProtectCell& c = cells[i];
    if (!c.suppressed) return SourceCell{SourceCell::Shown::kCount, c.value};
    return SourceCell{
        c.value < survey.threshold ? SourceCell::Shown::kFewerThan : SourceCell::Shown::kWithheld,
        0};
  };
  m = 0;
  for (const auto& [month, row] : by_month) {
    SourceMonth sm{month, false, {}};
    const auto last = stats::LastDayOf(survey.period, month);
    sm.complete = last && *last < today;
    for (size_t s = 0; s < S; ++s) sm.cells.push_back(shown(cell(m, s)));
    out.months.push_back(std::move(sm));
    ++m;
  }
  return out;
}

}  // namespace candour::survey
