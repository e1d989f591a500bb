#include "survey/source_counts.h"

#include <algorithm>
#include <map>
#include <set>

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

// Responses by (stored period label, stored source tag).
using Tally = std::map<std::pair<std::string, std::string>, uint64_t>;

Tally TallyOf(const stats::ResponseIndex& index) {
  std::map<std::pair<uint16_t, uint16_t>, uint64_t> by_id;
  for (size_t row = 0; row < index.size(); ++row)
    ++by_id[{index.PeriodId(row), index.SourceId(row)}];
  Tally out;
  for (const auto& [key, n] : by_id)
    out[{index.PeriodLabel(key.first), index.SourceLabel(key.second)}] += n;
  return out;
}

std::vector<SourceColumn> Columns(const Survey& survey, const Tally& tally) {
  std::vector<SourceColumn> out;
  for (const Source& s : survey.sources) out.push_back({s.tag, s.label, true});
  std::set<std::string> found;
  bool untagged = false;
  for (const auto& [key, n] : tally) {
    const std::string& tag = key.second;
    if (tag.empty()) {
      untagged = true;
    } else if (!survey.FindSource(tag)) {
      found.insert(tag);
    }
  }
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

SourceCounts Count(const Survey& survey, const Tally& tally, std::chrono::sys_days today) {
  SourceCounts out;
  out.threshold = survey.threshold;
  for (const auto& [key, n] : tally) out.total += n;
  out.sources = Columns(survey, tally);
  std::map<std::string, size_t> column_of;
  for (size_t c = 0; c < out.sources.size(); ++c) column_of[out.sources[c].tag] = c;

  const size_t S = out.sources.size();
  std::map<std::string, std::vector<uint64_t>> by_month;  // month -> count per column
  for (const auto& [key, n] : tally) {
    std::vector<uint64_t>& row = by_month[MonthOf(key.first)];
    row.resize(S);
    row[column_of.at(key.second)] += n;
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

}  // namespace

SourceCounts CountSources(const Survey& survey, const stats::ResponseIndex& index,
                          std::chrono::sys_days today) {
  return Count(survey, TallyOf(index), today);
}

SourceCounts CountSources(const Survey& survey, const SurveyIndexes& indexes,
                          std::chrono::sys_days today) {
  Tally tally;
  // No index yet: no responses.
  (void)indexes.Read(survey.id, [&](const stats::ResponseIndex& index) { tally = TallyOf(index); });
  return Count(survey, tally, today);
}

}  // namespace candour::survey
