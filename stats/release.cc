#include "stats/release.h"

#include <algorithm>
#include <cassert>
#include <exception>
#include <set>
#include <thread>

#include "stats/estimate.h"
#include "stats/weighting.h"

namespace candour::stats {
namespace {

constexpr int kNone = -1;

std::string Key(std::initializer_list<std::string_view> parts) {
  std::string out;
  for (std::string_view p : parts) {
    if (!out.empty()) out.push_back('|');
    out.append(p);
  }
  return out;
}

// The calendar of one release: complete months, quarters and years, and where each stored
// period of the index falls.
struct Calendar {
  // `years` holds the periods made of quarters: the rolling 12 months ending at each quarter
  // whose three quarters before are complete too ("2025-10/2026-09"; the financial year is
  // the one ending in March, the calendar year the one ending in December).
  std::vector<std::string> months, quarters, years;
  std::vector<int> month_of_period, quarter_of_period;  // index period id -> position or kNone
  std::vector<int> quarter_of_month;                    // parent position or kNone
  std::vector<std::vector<size_t>> quarters_of_year;    // each of `years`: its quarters

  Calendar(const ReleaseSpec& spec, const ResponseIndex& index) {
    auto complete = [&](const std::string& label) {
      // Published the survey's grace time after the last day (the frozen-period rule, which
      // also refuses later responses for it).
      auto last = LastDayOf(spec.kind, label);
      return last && *last + std::chrono::days{spec.grace_days} < spec.today;
    };
    std::set<std::string> m, q;
    std::vector<std::optional<PeriodPath>> paths(index.period_count());
    for (size_t p = 0; p < index.period_count(); ++p) {
      paths[p] = PathOf(spec.kind, index.PeriodLabel(static_cast<uint16_t>(p)));
      if (!paths[p] || !complete(paths[p]->month)) continue;
      m.insert(paths[p]->month);
      if (complete(paths[p]->quarter)) q.insert(paths[p]->quarter);
    }
    months.assign(m.begin(), m.end());
    quarters.assign(q.begin(), q.end());
    auto pos = [](const std::vector<std::string>& v, const std::string& s) {
      auto it = std::lower_bound(v.begin(), v.end(), s);
      return it != v.end() && *it == s ? static_cast<int>(it - v.begin()) : kNone;
    };
    for (size_t p = 0; p < paths.size(); ++p) {
      month_of_period.push_back(paths[p] ? pos(months, paths[p]->month) : kNone);
      quarter_of_period.push_back(paths[p] ? pos(quarters, paths[p]->quarter) : kNone);
    }
    for (const std::string& month : months) {
      quarter_of_month.push_back(pos(quarters, PathOf(PeriodKind::kMonth, month)->quarter));
    }
    for (size_t qi = 0; qi < quarters.size(); ++qi) {
      const std::string from = AddQuarters(quarters[qi], -3);
      if (from < quarters.front()) continue;
      years.push_back(RollingLabel(quarters[qi]));
      quarters_of_year.emplace_back();
      for (size_t qj = 0; qj <= qi; ++qj) {
        if (quarters[qj] >= from) quarters_of_year.back().push_back(qj);
      }
    }
  }
};

}  // namespace

std::string WithheldReason(uint64_t threshold) {
  // One reason for every withheld figure: saying "small count" for some and "protects another"
  // for others would tell an attacker which cells hold small counts, exactly what is hidden.
  return "small numbers: fewer than " + std::to_string(threshold) +
         " responses, or a figure that would reveal them";
}

const char* LevelName(Level level) {
  switch (level) {
    case Level::kMonth:
      return "month";
    case Level::kQuarter:
      return "quarter";
    case Level::kRolling:
      return "rolling";
  }
  return "";
}

std::optional<Level> ParseLevel(std::string_view name) {
  for (Level l : {Level::kMonth, Level::kQuarter, Level::kRolling}) {
    if (name == LevelName(l)) return l;
  }
  return std::nullopt;
}

// The LP solves a first attempt at protection must have made for a second with the headline
// published to be tried (see ProtectWithHeadlineRetry). Measured on the Hackney-like survey: 172
// to 977 where the retry succeeded (no cross-tab, 600 responses), 4 on most questions where it
// never did (with the ward by ethnicity cross-tab, 150 responses).
constexpr size_t kHeadlineRetrySolves = 100;

// Builds one question's cells and relations, then suppresses and protects them.
class ReleaseBuilder {
 public:
  // Writes one question's figures into `out`; a profile reads the measures' bases from `read`.
  ReleaseBuilder(const ReleaseSpec& spec, const ResponseIndex& index, const Calendar& cal,
                 const ReleaseOptions& options, const Release* read, Release* out)
      : spec_(spec), index_(index), cal_(cal), options_(options), read_(read), out_(out) {}

  void Question(const QuestionSpec& q) {
    const int column = index_.ColumnOf(q.id);
    if (column < 0) return;
    cells_.clear();
    relations_.clear();
    keys_.clear();
    reason_.clear();
    link_.clear();
    headline_.clear();
    const size_t k = q.options.size();
    const auto& codes = index_.Codes(static_cast<size_t>(column));
    // Counts by month and option; by dimension, quarter, group and option.
    std::vector<std::vector<uint64_t>> by_month(cal_.months.size(), std::vector<uint64_t>(k));
    struct Dim {
      const DimensionSpec* spec;
      const std::vector<uint8_t>* codes;
      std::vector<int> group_of_code;  // code -> group position
      size_t groups;
      std::vector<std::vector<std::vector<uint64_t>>> by_quarter;  // [quarter][group][option]
      // A cross-tab: the positions in `dims` of its two margins (group = ga * groups_b + gb).
      int cross_a = kNone, cross_b = kNone;
    };
    std::vector<Dim> dims;
    auto group_of = [](const Dim& d, size_t row) {
      const uint8_t code = (*d.codes)[row];
      return static_cast<size_t>(d.group_of_code[code < d.group_of_code.size() ? code : 0]);
    };
    if (!q.measures.empty()) {
      for (const DimensionSpec& d : spec_.dimensions) {
        if (!d.cross_a.empty()) {
          int a = kNone, b = kNone;
          for (size_t i = 0; i < dims.size(); ++i) {
            if (dims[i].spec->id == d.cross_a) a = static_cast<int>(i);
            if (dims[i].spec->id == d.cross_b) b = static_cast<int>(i);
          }
          if (a == kNone || b == kNone) continue;  // the question is one of its margins
          Dim dim{&d, nullptr,
                  {}, dims[static_cast<size_t>(a)].groups * dims[static_cast<size_t>(b)].groups,
                  {}, a,
                  b};
          dim.by_quarter.assign(cal_.quarters.size(), std::vector<std::vector<uint64_t>>(
                                                          dim.groups, std::vector<uint64_t>(k)));
          dims.push_back(std::move(dim));
          continue;
        }
        const int dc = index_.ColumnOf(d.id);
        if (dc < 0 || d.id == q.id) continue;
        Dim dim{&d, &index_.Codes(static_cast<size_t>(dc)), {kNone}, 0, {}};
        size_t g = 0;
        for (size_t o = 0; o < d.options.size(); ++o)
          dim.group_of_code.push_back(d.missing[o] ? kNone : static_cast<int>(g++));
        dim.groups = g + 1;  // + not stated
        for (int& gi : dim.group_of_code) gi = gi == kNone ? static_cast<int>(g) : gi;
        dim.by_quarter.assign(cal_.quarters.size(), std::vector<std::vector<uint64_t>>(
                                                        dim.groups, std::vector<uint64_t>(k)));
        dims.push_back(std::move(dim));
      }
    }
    const std::vector<uint8_t>* condition = nullptr;
    if (!q.when_question.empty()) {
      const int c = index_.ColumnOf(q.when_question);
      if (c < 0) return;
      condition = &index_.Codes(static_cast<size_t>(c));
    }
    for (size_t row = 0; row < index_.size(); ++row) {
      const uint8_t code = codes[row];
      if (code == 0 || code > k) continue;
      if (condition && std::find(q.when_codes.begin(), q.when_codes.end(), (*condition)[row]) ==
                           q.when_codes.end())
        continue;
      const uint16_t period = index_.PeriodId(row);
      const int month = cal_.month_of_period[period];
      if (month == kNone) continue;
      ++by_month[static_cast<size_t>(month)][code - 1u];
      const int quarter = cal_.quarter_of_period[period];
      if (quarter == kNone) continue;
      for (Dim& d : dims) {
        size_t group;
        if (d.cross_a == kNone) {
          group = group_of(d, row);
        } else {
          const Dim& a = dims[static_cast<size_t>(d.cross_a)];
          const Dim& b = dims[static_cast<size_t>(d.cross_b)];
          group = group_of(a, row) * b.groups + group_of(b, row);
        }
        ++d.by_quarter[static_cast<size_t>(quarter)][group][code - 1u];
      }
    }

    // Trend cells: period x answer node.
    std::vector<std::string> periods = cal_.months;
    periods.insert(periods.end(), cal_.quarters.begin(), cal_.quarters.end());
    periods.insert(periods.end(), cal_.years.begin(), cal_.years.end());
    const size_t nm = cal_.months.size(), nq = cal_.quarters.size(), ny = cal_.years.size();
    // A demographic question publishes its windows only; its months and quarters are internal
    // cells (withheld from the start, never published) that tie the overlapping windows.
    const size_t first_published = q.profile_only ? nm + nq : 0;
    std::vector<std::vector<uint64_t>> option_counts(periods.size(), std::vector<uint64_t>(k));
    for (size_t m = 0; m < nm; ++m) {
      for (size_t o = 0; o < k; ++o) {
        option_counts[m][o] = by_month[m][o];
        if (cal_.quarter_of_month[m] != kNone)
          option_counts[nm + static_cast<size_t>(cal_.quarter_of_month[m])][o] += by_month[m][o];
      }
    }
    for (size_t y = 0; y < ny; ++y) {
      for (size_t qi : cal_.quarters_of_year[y]) {
        for (size_t o = 0; o < k; ++o) option_counts[nm + nq + y][o] += option_counts[nm + qi][o];
      }
    }
    // node ids per period: options, then base, total, then per measure positive, negative.
    const size_t nodes = k + 2 + 2 * q.measures.size();
    std::vector<std::vector<uint32_t>> trend(periods.size(), std::vector<uint32_t>(nodes));
    // A measure's question does not publish its "total" (every answer, "don't know" too) when
    // it differs from the base: it is the base plus the "don't know" count, so publishing both
    // would pin every small "don't know" and withhold a base (and its share) in its place.
    // Nobody reads it for a share; it stays an internal cell.
    const bool total_internal = !q.measures.empty() && !q.profile_only;
    auto internal_node = [&](size_t p, size_t node) {
      return p < first_published ||
             (total_internal && node == k + 1 && trend[p][k + 1] != trend[p][k]);
    };
    for (size_t p = 0; p < periods.size(); ++p) {
      AnswerCells(q, option_counts[p], &trend[p], p < first_published);
      for (size_t node = 0; node < nodes; ++node) {
        if (internal_node(p, node)) {
          cells_[trend[p][node]].suppressed = true;
        } else {
          Name(trend[p][node], Key({q.id, "", "", periods[p], NodeName(q, node)}));
        }
      }
    }
    // Period relations for every node: quarter = its months, window = its quarters.
    for (size_t node = 0; node < nodes; ++node) {
      std::vector<std::vector<uint32_t>> quarter_parts(nq), year_parts(ny);
      for (size_t m = 0; m < nm; ++m) {
        if (cal_.quarter_of_month[m] != kNone)
          quarter_parts[static_cast<size_t>(cal_.quarter_of_month[m])].push_back(trend[m][node]);
      }
      for (size_t qi = 0; qi < nq; ++qi)
        relations_.push_back({trend[nm + qi][node], quarter_parts[qi]});
      for (size_t y = 0; y < ny; ++y) {
        for (size_t qi : cal_.quarters_of_year[y]) year_parts[y].push_back(trend[nm + qi][node]);
      }
      for (size_t y = 0; y < ny; ++y)
        relations_.push_back({trend[nm + nq + y][node], year_parts[y]});
    }

    if (q.profile_only) LinkBreakdowns(q, trend);

    // Breakdown cells: dimension x (quarter, year) x group x (base, positive, negative).
    struct BreakdownCell {
      size_t dim, period, group, node;
      uint32_t cell;
    };
    std::vector<BreakdownCell> breakdown;
    // Per dimension: [period (quarters then years)][group][node] -> cell.
    std::vector<std::vector<std::vector<std::vector<uint32_t>>>> dim_ids(dims.size());
    for (size_t di = 0; di < dims.size(); ++di) {
      Dim& d = dims[di];
      auto& ids = dim_ids[di];
      ids.assign(nq + ny,
                 std::vector<std::vector<uint32_t>>(d.groups, std::vector<uint32_t>(nodes, 0)));
      for (size_t pi = 0; pi < nq + ny; ++pi) {
        for (size_t g = 0; g < d.groups; ++g) {
          std::vector<uint64_t> counts(k, 0);
          if (pi < nq) {
            counts = d.by_quarter[pi][g];
          } else {
            for (size_t qi : cal_.quarters_of_year[pi - nq]) {
              for (size_t o = 0; o < k; ++o) counts[o] += d.by_quarter[qi][g][o];
            }
          }
          MeasureNodes(q, counts, &ids[pi][g]);
          for (size_t node = k; node < nodes; ++node) {
            if (node == k + 1) continue;  // no "total" node for groups
            breakdown.push_back({di, pi, g, node, ids[pi][g][node]});
          }
        }
      }
      // With more than one measure, a group's answers are internal cells too (see MeasureNodes)
      // and take part in every sum.
      for (size_t node = q.measures.size() > 1 ? 0 : k; node < nodes; ++node) {
        if (node == k + 1) continue;
        for (size_t pi = 0; pi < nq + ny; ++pi) {
          if (d.cross_a == kNone) {  // groups add up to the trend cell
            std::vector<uint32_t> parts;
            for (size_t g = 0; g < d.groups; ++g) parts.push_back(ids[pi][g][node]);
            relations_.push_back({trend[nm + pi][node], parts});
            continue;
          }
          // A cross-tab adds up to each of its margins' groups.
          const size_t ga_n = dims[static_cast<size_t>(d.cross_a)].groups;
          const size_t gb_n = dims[static_cast<size_t>(d.cross_b)].groups;
          for (size_t ga = 0; ga < ga_n; ++ga) {
            std::vector<uint32_t> parts;
            for (size_t gb = 0; gb < gb_n; ++gb) parts.push_back(ids[pi][ga * gb_n + gb][node]);
            relations_.push_back({dim_ids[static_cast<size_t>(d.cross_a)][pi][ga][node], parts});
          }
          for (size_t gb = 0; gb < gb_n; ++gb) {
            std::vector<uint32_t> parts;
            for (size_t ga = 0; ga < ga_n; ++ga) parts.push_back(ids[pi][ga * gb_n + gb][node]);
            relations_.push_back({dim_ids[static_cast<size_t>(d.cross_b)][pi][gb][node], parts});
          }
        }
        for (size_t g = 0; g < d.groups; ++g) {  // quarters add up to years
          std::vector<std::vector<uint32_t>> year_parts(ny);
          for (size_t y = 0; y < ny; ++y) {
            for (size_t qi : cal_.quarters_of_year[y]) year_parts[y].push_back(ids[qi][g][node]);
          }
          for (size_t y = 0; y < ny; ++y)
            relations_.push_back({ids[nq + y][g][node], year_parts[y]});
        }
      }
    }

    for (const BreakdownCell& b : breakdown) {
      const std::string period =
          b.period < nq ? cal_.quarters[b.period] : cal_.years[b.period - nq];
      Name(b.cell, Key({q.id, dims[b.dim].spec->id, GroupName(*dims[b.dim].spec, b.group), period,
                        NodeName(q, b.node)}));
    }
    // The "all completed months" totals that releases before 2026-12 published stay true of
    // the data: they join the system as published constants.
    {
      for (const auto& [key, value] : spec_.previous) {
        const std::string prefix = q.id + "|||" + kAllPeriods + ":";
        if (!value || !key.starts_with(prefix) || key.rfind('|') < prefix.size()) continue;
        const std::string span = key.substr(prefix.size(), key.rfind('|') - prefix.size());
        const std::string node_name = key.substr(key.rfind('|') + 1);
        const size_t dots = span.find("..");
        if (dots == std::string::npos) continue;
        const std::string from = span.substr(0, dots), to = span.substr(dots + 2);
        size_t node = nodes;
        for (size_t n = 0; n < nodes; ++n) node = NodeName(q, n) == node_name ? n : node;
        if (node == nodes) continue;
        std::vector<uint32_t> parts;
        uint64_t sum = 0;
        for (size_t m = 0; m < nm; ++m) {
          if (cal_.months[m] < from || cal_.months[m] > to) continue;
          parts.push_back(trend[m][node]);
          sum += cells_[trend[m][node]].value;
        }
        if (sum != *value) continue;  // revised since (by at least the threshold): superseded
        const uint32_t old_total = Cell(*value);
        cells_[old_total].fixed = true;
        Name(old_total, key);
        relations_.push_back({old_total, parts});
      }
    }
    // A profile has no share for officials to read first: its windows stay free to be
    // complements (measured: pinning them failed for most profiles and only cost time).
    if (q.measures.empty()) headline_.clear();
    Suppress();

    // Publish.
    auto figure = [&](uint32_t cell) {
      return Figure{cells_[cell].value,
                    cells_[cell].suppressed ? reason_[cell] : Suppression::kNone};
    };
    for (size_t p = first_published; p < periods.size(); ++p) {
      for (size_t o = 0; o < k; ++o)
        out_->distribution_[Key({q.id, periods[p], q.options[o]})] = figure(trend[p][o]);
      out_->distribution_[Key({q.id, periods[p], "base"})] = figure(trend[p][k]);
      if (!internal_node(p, k + 1))
        out_->distribution_[Key({q.id, periods[p], "total"})] = figure(trend[p][k + 1]);
      for (size_t mi = 0; mi < q.measures.size(); ++mi) {
        const MeasureSpec& m = q.measures[mi];
        out_->distribution_[Key({q.id, periods[p], m.id + ":positive"})] =
            figure(trend[p][k + 2 + 2 * mi]);
        out_->distribution_[Key({q.id, periods[p], m.id + ":negative"})] =
            figure(trend[p][k + 3 + 2 * mi]);
        out_->measures_[Key({m.id, "", periods[p], kAllGroups})] =
            MakeMeasure(figure(trend[p][k + 2 + 2 * mi]), figure(trend[p][k + 3 + 2 * mi]),
                        figure(trend[p][k]));
      }
    }
    // Group rows, collected per (dimension, period, group).
    std::map<std::tuple<size_t, size_t, size_t>, std::map<size_t, uint32_t>> rows;
    for (const BreakdownCell& b : breakdown) rows[{b.dim, b.period, b.group}][b.node] = b.cell;
    for (const auto& [at, row] : rows) {
      const auto [di, pi, g] = at;
      const Dim& d = dims[di];
      const std::string period = pi < nq ? cal_.quarters[pi] : cal_.years[pi - nq];
      const std::string group = GroupName(*d.spec, g);
      for (size_t mi = 0; mi < q.measures.size(); ++mi) {
        out_->measures_[Key({q.measures[mi].id, d.spec->id, period, group})] = MakeMeasure(
            figure(row.at(k + 2 + 2 * mi)), figure(row.at(k + 3 + 2 * mi)), figure(row.at(k)));
      }
    }
    out_->systems_[q.id] = Release::System{cells_, relations_, keys_};
    for (size_t i = 0; i < cells_.size(); ++i) {
      if (keys_[i].empty()) continue;
      out_->published_[keys_[i]] =
          cells_[i].suppressed ? std::nullopt : std::optional<uint64_t>(cells_[i].value);
    }
  }

  // "Who answered" bounds every measure's bases by its groups: those of a group who answered a
  // measure's question are among those who gave the group. Each measure's bases by this
  // question's groups (built before, by quarter and window) join this profile's system as
  // constants where published and as unknowns where withheld (a small one sensitive), with
  // their quarter-to-window sums and an internal cell for the rest of the group (who skipped
  // the question, said "don't know" or are outside its condition). So a profile window of 12
  // is withheld, with a complement, when a quarter's base of 10 is public and the next
  // quarter's 2 is not: the window minus the 10 would pin the 2.
  void LinkBreakdowns(const QuestionSpec& q, const std::vector<std::vector<uint32_t>>& trend) {
    const size_t k = q.options.size(), nm = cal_.months.size(), nq = cal_.quarters.size();
    const size_t ny = cal_.years.size();
    auto import = [&](const MeasureCell* c) {
      const uint32_t id = Link(c->base.count);
      if (c->base.published()) {
        cells_[id].fixed = true;
      } else {
        cells_[id].suppressed = true;
        if (c->base.count > 0 && c->base.count < spec_.threshold)
          cells_[id].need = Need::kZeroOrLarge;
      }
      return id;
    };
    for (const QuestionSpec& other : spec_.questions) {
      for (const MeasureSpec& m : other.measures) {
        // One series of bases (by quarter, then window) per group: the whole population, each
        // stated group of this question, and its "not stated".
        std::vector<std::string> groups = {kAllGroups};
        for (size_t o = 0; o < k; ++o) {
          if (!q.missing[o]) groups.push_back(q.options[o]);
        }
        groups.push_back(kNotStated);
        std::vector<std::vector<uint32_t>> series(groups.size());
        bool broken_down = true;
        for (size_t g = 0; g < groups.size() && broken_down; ++g) {
          for (size_t p = 0; p < nq + ny && broken_down; ++p) {
            const std::string& period = p < nq ? cal_.quarters[p] : cal_.years[p - nq];
            const MeasureCell* c = read_->Measure(m.id, g == 0 ? "" : q.id, period, groups[g]);
            broken_down = c != nullptr;
            if (c) series[g].push_back(import(c));
          }
        }
        if (!broken_down) continue;             // not broken down by this question
        for (size_t p = 0; p < nq + ny; ++p) {  // the groups add up to the population
          Relation groups_sum{series[0][p], {}};
          for (size_t g = 1; g < groups.size(); ++g) groups_sum.parts.push_back(series[g][p]);
          relations_.push_back(std::move(groups_sum));
        }
        for (const auto& bases : series) {  // a window is its quarters
          for (size_t y = 0; y < ny; ++y) {
            Relation window{bases[nq + y], {}};
            for (size_t qi : cal_.quarters_of_year[y]) window.parts.push_back(bases[qi]);
            relations_.push_back(std::move(window));
          }
        }
        size_t g = 1;
        for (size_t o = 0; o < k; ++o) {  // a group's base is at most its profile
          if (q.missing[o]) continue;
          for (size_t p = 0; p < nq + ny; ++p) {
            const uint32_t profile = trend[nm + p][o], base = series[g][p];
            if (cells_[profile].value < cells_[base].value) continue;  // cannot happen
            const uint32_t rest = Link(cells_[profile].value - cells_[base].value);
            cells_[rest].suppressed = true;
            relations_.push_back({profile, {base, rest}});
          }
          ++g;
        }
      }
    }
  }

  static std::string GroupName(const DimensionSpec& d, size_t g) {
    size_t seen = 0;
    for (size_t o = 0; o < d.options.size(); ++o) {
      if (d.missing[o]) continue;
      if (seen++ == g) return d.options[o];
    }
    return kNotStated;
  }

 private:
  uint32_t Cell(uint64_t value) {
    cells_.push_back({.value = value});
    reason_.push_back(Suppression::kNone);
    keys_.emplace_back();
    link_.push_back(false);
    return static_cast<uint32_t>(cells_.size() - 1);
  }

  // A cell that ties this question to another's figures: never published here, and sensitive
  // only when said so (Suppress leaves it as it is).
  uint32_t Link(uint64_t value) {
    const uint32_t id = Cell(value);
    link_[id] = true;
    return id;
  }

  // Names a cell once (a cell shared by two nodes keeps its first name), and prices it as a
  // complement: the whole population's figures (the trend officials read) cost four times a
  // group's, and more for a quarter, year or the whole span than for a month.
  void Name(uint32_t cell, std::string key) {
    if (!keys_[cell].empty()) return;
    const size_t first = key.find('|');
    const bool population = key.compare(first, 2, "||") == 0;
    const size_t period_at = key.find('|', key.find('|', first + 1) + 1) + 1;
    const size_t period_len = key.find('|', period_at) - period_at;
    const bool month = period_len == 7 && key[period_at + 5] != 'Q';
    cells_[cell].cost = population ? (month ? 4 : 8) : (month ? 1 : 2);
    if (population && !cal_.years.empty() &&
        key.compare(period_at, period_len, cal_.years.back()) == 0) {
      headline_.push_back(cell);
    }
    keys_[cell] = std::move(key);
  }

  static std::string NodeName(const QuestionSpec& q, size_t node) {
    const size_t k = q.options.size();
    if (node < k) return q.options[node];
    if (node == k) return "base";
    if (node == k + 1) return "total";
    const MeasureSpec& m = q.measures[(node - k - 2) / 2];
    return m.id + ((node - k - 2) % 2 == 0 ? ":positive" : ":negative");
  }

  // Cells of one period's answer nodes: options, base, total, per measure positive/negative;
  // with the answer relations between them.
  // Internal cells (never published) take no part in the group-disclosure rule: a zero among
  // them says nothing until it can be worked out, and then the small-count rule guards it.
  void AnswerCells(const QuestionSpec& q, const std::vector<uint64_t>& counts,
                   std::vector<uint32_t>* ids, bool internal = false) {
    const size_t k = q.options.size();
    std::vector<uint32_t> all_parts, base_parts;
    for (size_t o = 0; o < k; ++o) {
      (*ids)[o] = Cell(counts[o]);
      all_parts.push_back((*ids)[o]);
      if (!q.missing[o]) base_parts.push_back((*ids)[o]);
    }
    // A node over the same options as another is the same cell, never a second figure that
    // could be suppressed differently.
    (*ids)[k] = base_parts.size() == 1 ? base_parts[0]
                                       : Cell(Sum(counts, [&](size_t o) { return !q.missing[o]; }));
    if (base_parts.size() > 1) relations_.push_back({(*ids)[k], base_parts});
    if (all_parts.size() == base_parts.size()) {
      (*ids)[k + 1] = (*ids)[k];
    } else {
      (*ids)[k + 1] = Cell(Sum(counts, [](size_t) { return true; }));
      relations_.push_back({(*ids)[k + 1], all_parts});
    }
    if (all_parts.size() > 1 && !internal) Answer({(*ids)[k + 1], all_parts});
    for (size_t mi = 0; mi < q.measures.size(); ++mi) {
      const MeasureSpec& m = q.measures[mi];
      std::vector<uint32_t> pos_parts, neg_parts;
      for (size_t o = 0; o < k; ++o) {
        if (q.missing[o]) continue;
        (m.positive[o] ? pos_parts : neg_parts).push_back((*ids)[o]);
      }
      auto node = [&](const std::vector<uint32_t>& parts, bool positive) {
        if (parts.size() == 1) return parts[0];
        const uint32_t id =
            Cell(Sum(counts, [&](size_t o) { return !q.missing[o] && m.positive[o] == positive; }));
        relations_.push_back({id, parts});
        return id;
      };
      (*ids)[k + 2 + 2 * mi] = node(pos_parts, true);
      (*ids)[k + 3 + 2 * mi] = node(neg_parts, false);
      relations_.push_back({(*ids)[k], {(*ids)[k + 2 + 2 * mi], (*ids)[k + 3 + 2 * mi]}});
      if (!internal) Answer(relations_.back());
    }
  }

  // A group's cells: base and per measure positive/negative (no option cells).
  // With more than one measure on the question, a group's answers are internal cells (never
  // published) under its measures' figures: two measures over different answers are linked
  // (one's positive "disagree" is part of the other's negative "neither or disagree"), and an
  // attacker who holds both uses that.
  void MeasureNodes(const QuestionSpec& q, const std::vector<uint64_t>& counts,
                    std::vector<uint32_t>* ids) {
    const size_t k = q.options.size();
    (*ids)[k] = Cell(Sum(counts, [&](size_t o) { return !q.missing[o]; }));
    const bool answers = q.measures.size() > 1;
    Relation base{(*ids)[k], {}};
    for (size_t o = 0; o < k && answers; ++o) {
      (*ids)[o] = Cell(counts[o]);
      cells_[(*ids)[o]].suppressed = true;
      if (!q.missing[o]) base.parts.push_back((*ids)[o]);
    }
    if (answers) relations_.push_back(std::move(base));
    for (size_t mi = 0; mi < q.measures.size(); ++mi) {
      const MeasureSpec& m = q.measures[mi];
      (*ids)[k + 2 + 2 * mi] =
          Cell(Sum(counts, [&](size_t o) { return !q.missing[o] && m.positive[o]; }));
      (*ids)[k + 3 + 2 * mi] =
          Cell(Sum(counts, [&](size_t o) { return !q.missing[o] && !m.positive[o]; }));
      relations_.push_back({(*ids)[k], {(*ids)[k + 2 + 2 * mi], (*ids)[k + 3 + 2 * mi]}});
      Answer(relations_.back());
      for (const bool positive : {true, false}) {
        if (!answers) break;
        Relation r{(*ids)[k + (positive ? 2 : 3) + 2 * mi], {}};
        for (size_t o = 0; o < k; ++o) {
          if (!q.missing[o] && m.positive[o] == positive) r.parts.push_back((*ids)[o]);
        }
        relations_.push_back(std::move(r));
      }
    }
  }

  template <class Pred>
  static uint64_t Sum(const std::vector<uint64_t>& counts, Pred pred) {
    uint64_t s = 0;
    for (size_t o = 0; o < counts.size(); ++o) s += pred(o) ? counts[o] : 0;
    return s;
  }

  // Remembers a row of a published table (all options; a measure's positive and negative) for
  // the group-disclosure rule.
  void Answer(const Relation& r) { answer_relations_.push_back(r); }

  void Suppress() {
    reason_.resize(cells_.size(), Suppression::kNone);
    for (size_t i = 0; i < cells_.size(); ++i) {
      if (link_[i]) continue;
      if (cells_[i].value > 0 && cells_[i].value < spec_.threshold) {
        cells_[i].suppressed = true;
        cells_[i].need = Need::kZeroOrLarge;
        reason_[i] = Suppression::kSmallCount;
      }
    }
    // Zeros are shown unless they disclose a group: when every part of an answer relation but
    // one is zero, the parts would say that all of that group answered alike.
    for (const Relation& r : answer_relations_) {
      if (r.parts.size() < 2 || cells_[r.total].value == 0) continue;
      const size_t nonzero = static_cast<size_t>(std::count_if(
          r.parts.begin(), r.parts.end(), [&](uint32_t p) { return cells_[p].value > 0; }));
      if (nonzero != 1) continue;
      // The zeros are what would disclose: they must be able to be large. The one nonzero
      // part is withheld with them (it equals the published total) but is not sensitive.
      for (uint32_t p : r.parts) {
        if (cells_[p].suppressed) continue;
        cells_[p].suppressed = true;
        if (cells_[p].value == 0) cells_[p].need = Need::kLarge;
        reason_[p] = Suppression::kDisclosesGroup;
      }
    }
    answer_relations_.clear();
    // What was published before stays published (and is never a complement); what was
    // withheld stays withheld.
    for (size_t i = 0; i < cells_.size(); ++i) {
      auto it = spec_.previous.find(keys_[i]);
      if (it == spec_.previous.end() || cells_[i].fixed) continue;
      if (!it->second) {
        if (!cells_[i].suppressed) reason_[i] = Suppression::kProtectsOther;
        cells_[i].suppressed = true;
      } else if (*it->second == cells_[i].value) {
        cells_[i].suppressed = false;
        cells_[i].need = Need::kNone;
        cells_[i].fixed = true;
        reason_[i] = Suppression::kNone;
      }
    }
    std::vector<bool> before(cells_.size());
    for (size_t i = 0; i < cells_.size(); ++i) before[i] = cells_[i].suppressed;
    if (options_.secondary_suppression) {
      ProtectStats stats = ProtectWithHeadlineRetry();
      if (!stats.protected_all) {
        // Nothing local could protect some cell (earlier figures are fixed): withhold every
        // figure of this question that is not already public, and check again.
        for (ProtectCell& c : cells_) c.suppressed = c.suppressed || !c.fixed;
        stats = Protect(cells_, relations_, spec_.threshold, options_.cancel);
        if (!stats.protected_all) out_->fully_protected_ = false;
      }
    }
    for (size_t i = 0; i < cells_.size(); ++i) {
      if (keys_[i].empty()) continue;  // internal: never published, so never counted
      if (cells_[i].suppressed && !before[i]) {
        reason_[i] = Suppression::kProtectsOther;
        ++out_->secondary_cells_;
      }
      if (cells_[i].suppressed) ++out_->suppressed_cells_;
    }
  }

  // The whole population's figures for the latest rolling 12 months are what officials read
  // first, and in a survey with many small groups the cheapest complement for a small group's
  // cell is often one of them (a certificate closes through the totals when no group holds
  // enough to move against it). So where protection withholds one of them, it runs again with
  // them published: constants that are never complements, which leaves the LP to find the
  // groups' cells that protect instead. The second attempt starts from the first one's other
  // complements (its final pass may publish them again), which took a third of the LP work of
  // a fresh start; it is kept only if it protects every cell within the LP work of the first
  // (a count of solves, not a clock, so that every machine builds the same release). It is
  // made only where the LP decided much of the first (kHeadlineRetrySolves): where certificates
  // did, in a survey with a cross-tab, it failed on every question measured and only cost
  // time (bench/README.md, session 26). Either way every decision is an audit's.
  ProtectStats ProtectWithHeadlineRetry() {
    if (!options_.headline_retry)
      return Protect(cells_, relations_, spec_.threshold, options_.cancel);
    const std::vector<ProtectCell> start = cells_;
    const ProtectStats first = Protect(cells_, relations_, spec_.threshold, options_.cancel);
    if (first.lp_solves < kHeadlineRetrySolves || (options_.cancel && options_.cancel->load()))
      return first;
    std::vector<uint32_t> pinned;
    bool withheld = false;
    for (const uint32_t i : headline_) {
      if (start[i].suppressed || start[i].fixed) continue;
      pinned.push_back(i);
      withheld = withheld || cells_[i].suppressed;
    }
    if (!withheld) return first;
    std::vector<ProtectCell> first_cells = std::move(cells_);
    cells_ = start;
    for (const uint32_t i : pinned) cells_[i].fixed = true;
    std::vector<uint32_t> complements;
    for (uint32_t i = 0; i < cells_.size(); ++i) {
      if (first_cells[i].suppressed && !cells_[i].suppressed && !cells_[i].fixed)
        complements.push_back(i);
    }
    const ProtectStats again = Protect(cells_, relations_, spec_.threshold, options_.cancel,
                                       kLpPartLimit, first.lp_work, complements);
    for (const uint32_t i : pinned) cells_[i].fixed = false;
    if (again.protected_all) return again;
    cells_ = std::move(first_cells);
    return first;
  }

  MeasureCell MakeMeasure(Figure positive, Figure negative, Figure base) const {
    MeasureCell m{positive, negative, base, false, 0, 0, 0, std::nullopt};
    if (positive.published() && negative.published() && base.published() && base.count > 0 &&
        base.count >= spec_.min_base) {
      m.share_shown = true;
      m.share = static_cast<double>(positive.count) / static_cast<double>(base.count);
      const Interval ci = WilsonInterval(positive.count, base.count);
      m.low = ci.low;
      m.high = ci.high;
    }
    return m;
  }

  const ReleaseSpec& spec_;
  const ResponseIndex& index_;
  const Calendar& cal_;
  const ReleaseOptions& options_;
  const Release* read_;
  Release* out_;
  std::vector<ProtectCell> cells_;
  std::vector<Suppression> reason_;
  std::vector<Relation> relations_, answer_relations_;
  std::vector<std::string> keys_;   // per cell: its figure key, empty for internal cells
  std::vector<bool> link_;          // per cell: a Link
  std::vector<uint32_t> headline_;  // the whole population's cells of the latest window
};

Release BuildRelease(const ReleaseSpec& spec, const ResponseIndex& index,
                     const ReleaseOptions& options) {
  Release release;
  release.spec_ = spec;
  const Calendar cal(spec, index);
  release.periods_[Level::kMonth] = cal.months;
  release.periods_[Level::kQuarter] = cal.quarters;
  release.periods_[Level::kRolling] = cal.years;
  // Each question is its own system (stats/protect.h), built from the index alone, so the
  // measures' questions are built side by side, then the profiles (each reads the measures'
  // published bases), each question into a release of its own merged in question order: the
  // result is the same on any number of threads.
  const size_t threads =
      options.threads > 0 ? options.threads : std::max(1u, std::thread::hardware_concurrency());
  for (const bool profiles : {false, true}) {
    std::vector<const QuestionSpec*> batch;
    for (const QuestionSpec& q : spec.questions) {
      if (q.profile_only == profiles) batch.push_back(&q);
    }
    std::vector<Release> parts(batch.size());
    std::atomic<size_t> next{0};
    std::vector<std::exception_ptr> failed(batch.size());
    auto work = [&] {
      for (size_t i = next++; i < batch.size(); i = next++) {
        if (options.cancel && options.cancel->load()) return;
        try {
          ReleaseBuilder builder(spec, index, cal, options, &release, &parts[i]);
          builder.Question(*batch[i]);
        } catch (...) {
          failed[i] = std::current_exception();
        }
      }
    };
    {
      std::vector<std::jthread> pool;
      for (size_t t = 1; t < std::min(threads, batch.size()); ++t) pool.emplace_back(work);
      work();
    }
    for (const std::exception_ptr& e : failed) {
      if (e) std::rethrow_exception(e);
    }
    // A build stopped inside Protect is half done: say so, so that nothing of it is served.
    if (options.cancel && options.cancel->load()) {
      release.cancelled_ = true;
      return release;
    }
    for (Release& part : parts) {
      release.distribution_.merge(part.distribution_);
      release.measures_.merge(part.measures_);
      release.systems_.merge(part.systems_);
      release.published_.merge(part.published_);
      release.fully_protected_ = release.fully_protected_ && part.fully_protected_;
      release.suppressed_cells_ += part.suppressed_cells_;
      release.secondary_cells_ += part.secondary_cells_;
    }
  }
  // Weighted figures beside the unweighted, after protection, which they do not change.
  AddWeightedFigures(index, &release, options.cancel);
  if (options.cancel && options.cancel->load()) release.cancelled_ = true;
  return release;
}

Release Release::Build(const ReleaseSpec& spec, const ResponseIndex& index) {
  return BuildRelease(spec, index, ReleaseOptions{});
}

const std::vector<std::string>& Release::Periods(Level level) const {
  static const std::vector<std::string> kEmpty;
  auto it = periods_.find(level);
  return it == periods_.end() ? kEmpty : it->second;
}

const Figure* Release::Distribution(const std::string& question, const std::string& period,
                                    const std::string& node) const {
  auto it = distribution_.find(Key({question, period, node}));
  return it == distribution_.end() ? nullptr : &it->second;
}

const MeasureCell* Release::Measure(const std::string& measure, const std::string& dimension,
                                    const std::string& period, const std::string& group) const {
  auto it = measures_.find(Key({measure, group == kAllGroups ? "" : dimension, period, group}));
  return it == measures_.end() ? nullptr : &it->second;
}

std::optional<GapCell> GapOf(const Release& release, const std::string& measure,
                             const std::string& dimension, const std::string& period,
                             const std::string& group) {
  if (group == kAllGroups || group == kNotStated) return std::nullopt;
  const MeasureCell* g = release.Measure(measure, dimension, period, group);
  const MeasureCell* all = release.Measure(measure, "", period, kAllGroups);
  auto usable = [](const MeasureCell* c) {
    return c && c->positive.published() && c->base.published();
  };
  if (!usable(g) || !usable(all)) return std::nullopt;
  uint64_t positive = all->positive.count, base = all->base.count;
  if (dimension.find('*') == std::string::npos) {  // a cross-tab's groups are all stated
    const MeasureCell* ns = release.Measure(measure, dimension, period, kNotStated);
    if (!usable(ns)) return std::nullopt;
    positive -= ns->positive.count;
    base -= ns->base.count;
  }
  if (base < g->base.count || positive < g->positive.count) return std::nullopt;
  const uint64_t other_positive = positive - g->positive.count, other_base = base - g->base.count;
  const uint64_t min_base = std::max<uint64_t>(1, release.spec().min_base);
  if (g->base.count < min_base || other_base < min_base || other_positive > other_base)
    return std::nullopt;
  const Difference d =
      NewcombeInterval(g->positive.count, g->base.count, other_positive, other_base);
  return GapCell{d.difference, d.low, d.high, d.significant()};
}

std::vector<std::string> Release::Groups(const std::string& dimension) const {
  std::vector<std::string> out;
  for (const DimensionSpec& d : spec_.dimensions) {
    if (d.id != dimension) continue;
    for (size_t o = 0; o < d.options.size(); ++o) {
      if (!d.missing[o]) out.push_back(d.options[o]);
    }
    if (d.cross_a.empty()) out.push_back(kNotStated);
  }
  return out;
}

}  // namespace candour::stats
