#include "stats/weighting.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <unordered_map>

#include "stats/estimate.h"
#include "stats/period.h"

namespace candour::stats {
namespace {

constexpr int kNoColumn = -1;

// Every published period: months, then quarters, then rolling windows; and for each stored
// period of the index, the positions of those that hold it.
struct Windows {
  std::vector<std::string> labels;
  std::vector<bool> breakdown;                   // per position: groups are published there
  std::vector<std::vector<uint32_t>> of_stored;  // stored period id -> positions

  Windows(const Release& release, const ResponseIndex& index) {
    for (Level l : {Level::kMonth, Level::kQuarter, Level::kRolling}) {
      for (const std::string& p : release.Periods(l)) {
        labels.push_back(p);
        breakdown.push_back(Release::BreakdownLevel(l));
      }
    }
    of_stored.resize(index.period_count());
    for (size_t s = 0; s < index.period_count(); ++s) {
      const auto path = PathOf(release.spec().kind, index.PeriodLabel(static_cast<uint16_t>(s)));
      if (!path) continue;
      for (size_t w = 0; w < labels.size(); ++w) {
        const std::string& p = labels[w];
        const size_t slash = p.find('/');
        const bool in = slash == std::string::npos ? p == path->month || p == path->quarter
                                                   : path->month >= p.substr(0, slash) &&
                                                         path->month <= p.substr(slash + 1);
        if (in) of_stored[s].push_back(static_cast<uint32_t>(w));
      }
    }
  }
};

// A dimension's group of each row: its non-missing options in order, then "not stated" (the
// release's order, Release::Groups); a cross-tab "a*b" is ga * groups(b) + gb.
struct Dimension {
  std::string id;
  std::vector<std::string> groups;
  int column = kNoColumn;
  std::vector<int> group_of_code;  // code -> group (code 0, unanswered: not stated)
  int cross_a = -1, cross_b = -1;  // positions of a cross-tab's margins in the list
};

std::vector<Dimension> Dimensions(const Release& release, const ResponseIndex& index) {
  std::vector<Dimension> out;
  for (const DimensionSpec& d : release.spec().dimensions) {
    Dimension dim{d.id, release.Groups(d.id), kNoColumn, {}, -1, -1};
    if (!d.cross_a.empty()) {
      for (size_t i = 0; i < out.size(); ++i) {
        if (out[i].id == d.cross_a) dim.cross_a = static_cast<int>(i);
        if (out[i].id == d.cross_b) dim.cross_b = static_cast<int>(i);
      }
      if (dim.cross_a < 0 || dim.cross_b < 0) continue;
    } else {
      dim.column = index.ColumnOf(d.id);
      if (dim.column < 0) continue;
      const int not_stated = static_cast<int>(dim.groups.size()) - 1;
      dim.group_of_code.push_back(not_stated);
      int g = 0;
      for (size_t o = 0; o < d.options.size(); ++o)
        dim.group_of_code.push_back(d.missing[o] ? not_stated : g++);
    }
    out.push_back(std::move(dim));
  }
  return out;
}

int GroupOf(const std::vector<Dimension>& dims, const Dimension& d, const ResponseIndex& index,
            size_t row) {
  if (d.column == kNoColumn) {
    const Dimension& a = dims[static_cast<size_t>(d.cross_a)];
    const Dimension& b = dims[static_cast<size_t>(d.cross_b)];
    return GroupOf(dims, a, index, row) * static_cast<int>(b.groups.size()) +
           GroupOf(dims, b, index, row);
  }
  const uint8_t code = index.Codes(static_cast<size_t>(d.column))[row];
  return d.group_of_code[code < d.group_of_code.size() ? code : 0];
}

// A measure: per row, outside its base (0), negative (1) or positive (2).
struct MeasureColumn {
  std::string id;
  std::vector<uint8_t> state;
};

std::vector<MeasureColumn> Measures(const ReleaseSpec& spec, const ResponseIndex& index) {
  std::vector<MeasureColumn> out;
  for (const QuestionSpec& q : spec.questions) {
    const int c = index.ColumnOf(q.id);
    if (c < 0 || q.measures.empty()) continue;
    const int wc = q.when_question.empty() ? kNoColumn : index.ColumnOf(q.when_question);
    if (!q.when_question.empty() && wc < 0) continue;
    const auto& codes = index.Codes(static_cast<size_t>(c));
    for (const MeasureSpec& m : q.measures) {
      MeasureColumn col{m.id, std::vector<uint8_t>(index.size(), 0)};
      for (size_t row = 0; row < index.size(); ++row) {
        const uint8_t code = codes[row];
        if (code == 0 || code > q.options.size() || q.missing[code - 1u]) continue;
        if (wc != kNoColumn) {
          const uint8_t when = index.Codes(static_cast<size_t>(wc))[row];
          if (std::find(q.when_codes.begin(), q.when_codes.end(), when) == q.when_codes.end())
            continue;
        }
        col.state[row] = m.positive[code - 1u] ? 2 : 1;
      }
      out.push_back(std::move(col));
    }
  }
  return out;
}

// Respondents alike on every weighting dimension share a cell (and so a weight).
struct Cells {
  std::vector<uint32_t> of_row;
  std::vector<std::vector<int>> groups;  // [margin][cell]: the cell's group, or kNoGroup
  std::vector<Margin> margins;
  size_t count = 0;
};

Cells MakeCells(const ReleaseSpec& spec, const ResponseIndex& index) {
  Cells cells;
  std::vector<int> columns;
  std::vector<std::vector<int>> group_of_code;  // per margin: code -> raked group or kNoGroup
  for (const WeightingSpec& w : spec.population) {
    const int c = index.ColumnOf(w.dimension);
    if (c < 0) continue;
    Margin m;
    std::vector<int> map = {kNoGroup};
    for (double total : w.totals) {
      map.push_back(total > 0 ? static_cast<int>(m.totals.size()) : kNoGroup);
      if (total > 0) m.totals.push_back(total);
    }
    if (m.totals.empty()) continue;
    columns.push_back(c);
    group_of_code.push_back(std::move(map));
    cells.margins.push_back(std::move(m));
  }
  cells.groups.resize(columns.size());
  cells.of_row.resize(index.size());
  // A cell is named by its groups, margin by margin: each prefix interned in turn, so keys stay
  // small whatever the number of margins.
  std::vector<std::unordered_map<uint64_t, uint32_t>> prefixes(columns.size());
  std::vector<uint32_t> sizes(columns.size() + 1, 0);
  sizes[0] = 1;
  std::vector<std::vector<std::vector<int>>> level_groups(columns.size() + 1);
  level_groups[0] = {{}};
  for (size_t row = 0; row < index.size(); ++row) {
    uint32_t id = 0;
    for (size_t m = 0; m < columns.size(); ++m) {
      const uint8_t code = index.Codes(static_cast<size_t>(columns[m]))[row];
      const auto& map = group_of_code[m];
      const int g = code < map.size() ? map[code] : kNoGroup;
      const uint64_t key = static_cast<uint64_t>(id) * 257u + static_cast<uint64_t>(g + 1);
      auto [it, added] = prefixes[m].emplace(key, sizes[m + 1]);
      if (added) {
        ++sizes[m + 1];
        std::vector<int> gs = level_groups[m][id];
        gs.push_back(g);
        level_groups[m + 1].push_back(std::move(gs));
      }
      id = it->second;
    }
    cells.of_row[row] = id;
  }
  cells.count = level_groups[columns.size()].size();
  for (size_t m = 0; m < columns.size(); ++m) {
    for (const auto& gs : level_groups[columns.size()]) cells.groups[m].push_back(gs[m]);
  }
  return cells;
}

// One period's weights per cell, and how the raking went.
std::vector<double> RakeWindow(const Cells& cells, const std::vector<double>& counts,
                               const RakingOptions& options, WeightingReport* report) {
  std::vector<uint32_t> used;
  for (uint32_t c = 0; c < counts.size(); ++c)
    if (counts[c] > 0) used.push_back(c);
  std::vector<std::vector<int>> groups(cells.margins.size());
  std::vector<double> n;
  for (uint32_t c : used) {
    n.push_back(counts[c]);
    for (size_t m = 0; m < groups.size(); ++m) groups[m].push_back(cells.groups[m][c]);
  }
  const RakingResult r = RakeCells(groups, cells.margins, n, options);
  report->converged = r.converged;
  report->sweeps = r.sweeps;
  report->trim_rounds = r.trim_rounds;
  report->empty_groups = r.empty_groups;
  report->max_error = r.max_error;
  report->max_weight_ratio = r.max_weight_ratio;
  std::vector<double> weight(counts.size(), 0);
  for (size_t i = 0; i < used.size(); ++i) weight[used[i]] = r.weights[i];
  return weight;
}

}  // namespace

double RoundedShare(double share) { return std::round(share * 100) / 100 + 0.0; }

double RoundedEffectiveBase(double n_eff) { return std::floor(n_eff + 1e-9); }

void AddWeightedFigures(const ResponseIndex& index, Release* release,
                        const std::atomic<bool>* cancel) {
  const ReleaseSpec& spec = release->spec();
  if (spec.population.empty()) return;
  auto cancelled = [&] { return cancel && cancel->load(); };
  const Windows windows(*release, index);
  const std::vector<Dimension> dims = Dimensions(*release, index);
  const std::vector<MeasureColumn> measures = Measures(spec, index);
  const Cells cells = MakeCells(spec, index);
  const size_t nw = windows.labels.size();

  // Each period's respondents by cell, raked.
  std::vector<std::vector<double>> counts(nw, std::vector<double>(cells.count, 0));
  for (size_t row = 0; row < index.size(); ++row) {
    for (uint32_t w : windows.of_stored[index.PeriodId(row)]) counts[w][cells.of_row[row]] += 1;
  }
  std::vector<std::vector<double>> weights(nw);
  for (size_t w = 0; w < nw; ++w) {
    if (cancelled()) return;
    WeightingReport report;
    report.period = windows.labels[w];
    weights[w] = RakeWindow(cells, counts[w], spec.raking, &report);
    release->weighting_.push_back(std::move(report));
  }

  // Tallies: [window][measure][slot], slot 0 everyone, then each dimension's groups.
  std::vector<size_t> offset;
  size_t slots = 1;
  for (const Dimension& d : dims) {
    offset.push_back(slots);
    slots += d.groups.size();
  }
  std::vector<WeightedTally> tally(nw * measures.size() * slots);
  std::vector<int> group(dims.size());
  for (size_t row = 0; row < index.size(); ++row) {
    if ((row & 0xffff) == 0 && cancelled()) return;
    const auto& in = windows.of_stored[index.PeriodId(row)];
    if (in.empty()) continue;
    for (size_t d = 0; d < dims.size(); ++d) group[d] = GroupOf(dims, dims[d], index, row);
    const uint32_t cell = cells.of_row[row];
    for (size_t mi = 0; mi < measures.size(); ++mi) {
      const uint8_t state = measures[mi].state[row];
      if (state == 0) continue;
      for (uint32_t w : in) {
        const double weight = weights[w][cell];
        WeightedTally* t = &tally[(w * measures.size() + mi) * slots];
        t[0].Add(weight, state == 2);
        if (!windows.breakdown[w]) continue;
        for (size_t d = 0; d < dims.size(); ++d)
          t[offset[d] + static_cast<size_t>(group[d])].Add(weight, state == 2);
      }
    }
  }

  // Attach to the release's cells, by the release's rules.
  const double min_base = std::max<double>(1, static_cast<double>(spec.min_base));
  auto cell_of = [&](const std::string& m, const std::string& d, const std::string& p,
                     const std::string& g) -> MeasureCell* {
    auto it = release->measures_.find(m + "|" + d + "|" + p + "|" + g);
    return it == release->measures_.end() ? nullptr : &it->second;
  };
  auto figures = [&](const MeasureCell& c, const WeightedTally& t) {
    WeightedFigures f;
    const bool published = c.positive.published() && c.negative.published() && c.base.published() &&
                           c.base.count > 0 && !t.empty();
    if (!published) return f;
    f.exact_share = t.Share();
    f.exact_n_eff = t.EffectiveBase();
    if (f.exact_n_eff < min_base) {
      f.small_base = true;
      return f;
    }
    const Interval ci = t.Wilson();
    f.shown = true;
    f.share = RoundedShare(f.exact_share);
    f.low = RoundedShare(ci.low);
    f.high = RoundedShare(ci.high);
    f.n_eff = RoundedEffectiveBase(f.exact_n_eff);
    return f;
  };
  for (size_t w = 0; w < nw; ++w) {
    const std::string& period = windows.labels[w];
    for (size_t mi = 0; mi < measures.size(); ++mi) {
      const std::string& m = measures[mi].id;
      const WeightedTally* t = &tally[(w * measures.size() + mi) * slots];
      if (MeasureCell* c = cell_of(m, "", period, kAllGroups)) c->weighted = figures(*c, t[0]);
      if (!windows.breakdown[w]) continue;
      for (size_t d = 0; d < dims.size(); ++d) {
        const Dimension& dim = dims[d];
        const bool cross = dim.column == kNoColumn;
        // A table with a withheld group publishes no weighted group figure: the whole's and the
        // others' rounded shares would bound the withheld group's weighted positive, and so its
        // count, to within one respondent or two.
        bool complete = true;
        for (const std::string& name : dim.groups) {
          const MeasureCell* c = cell_of(m, dim.id, period, name);
          complete = complete && c && c->positive.published() && c->negative.published() &&
                     c->base.published();
        }
        // Everyone who stated a group: all but "not stated" (a cross-tab's groups all count).
        const WeightedTally stated =
            cross ? t[0] : t[0].Minus(t[offset[d] + dim.groups.size() - 1]);
        for (size_t g = 0; g < dim.groups.size(); ++g) {
          MeasureCell* c = cell_of(m, dim.id, period, dim.groups[g]);
          if (!c) continue;
          const WeightedTally& mine = t[offset[d] + g];
          c->weighted = figures(*c, mine);
          WeightedFigures& f = *c->weighted;
          // Withheld to protect another group: not shown, not small, its own counts published
          // (Release's WeightedFigures has no field of its own for it; web/ tells it so).
          if (!complete && f.shown) {
            f.shown = false;
            f.share = f.low = f.high = f.n_eff = 0;
          }
          if (!f.shown || dim.groups[g] == kNotStated) continue;
          if (!GapOf(*release, m, dim.id, period, dim.groups[g])) continue;
          const WeightedTally others = stated.Minus(mine);
          if (others.weight <= 0 || others.weight_sq <= 0) continue;
          const double others_n = others.EffectiveBase();
          if (others_n < min_base) continue;
          const double others_share = std::clamp(others.positive / others.weight, 0.0, 1.0);
          const Difference diff =
              NewcombeIntervalOfShares(f.exact_share, f.exact_n_eff, others_share, others_n);
          f.has_gap = true;
          f.gap = RoundedShare(diff.difference);
          f.gap_low = RoundedShare(diff.low);
          f.gap_high = RoundedShare(diff.high);
          // Judged on the bounds as published, so that no interval shown touching 0 (whole
          // percent) is called a clear gap.
          f.gap_significant = f.gap_low > 0 || f.gap_high < 0;
        }
      }
    }
  }
  // Cells of periods nobody answered in stay unweighted-only: give them empty figures, so that
  // every cell of a weighted release has `weighted` set.
  for (auto& [key, c] : release->measures_) {
    if (!c.weighted) c.weighted = WeightedFigures{};
  }
}

}  // namespace candour::stats
