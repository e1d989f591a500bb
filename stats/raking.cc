#include "stats/raking.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <numeric>

namespace candour::stats {
namespace {

struct Step {
  std::vector<double> current;  // weight per group
  double stated = 0;            // weight of respondents who stated a group
};

// Weights are per respondent; row i stands for n[i] alike respondents.
Step Totals(const std::vector<int>& group_of, const std::vector<double>& w,
            const std::vector<double>& n, size_t groups) {
  Step s;
  s.current.assign(groups, 0);
  for (size_t i = 0; i < w.size(); ++i) {
    if (group_of[i] == kNoGroup) continue;
    s.current[static_cast<size_t>(group_of[i])] += w[i] * n[i];
    s.stated += w[i] * n[i];
  }
  return s;
}

// The targets of one margin: the population's distribution over the weight of those who
// stated a group, leaving out groups nobody in the sample is in.
std::vector<double> Targets(const Step& s, const Margin& m) {
  double reachable = 0;
  for (size_t g = 0; g < m.totals.size(); ++g)
    if (s.current[g] > 0) reachable += m.totals[g];
  std::vector<double> t(m.totals.size(), 0);
  if (reachable <= 0) return t;
  for (size_t g = 0; g < m.totals.size(); ++g)
    if (s.current[g] > 0) t[g] = m.totals[g] * s.stated / reachable;
  return t;
}

// Largest miss over every margin, in weight units.
double MaxError(const std::vector<std::vector<int>>& groups, const std::vector<Margin>& margins,
                const std::vector<double>& w, const std::vector<double>& n) {
  double worst = 0;
  for (size_t d = 0; d < margins.size(); ++d) {
    const Step s = Totals(groups[d], w, n, margins[d].totals.size());
    const std::vector<double> t = Targets(s, margins[d]);
    for (size_t g = 0; g < t.size(); ++g) worst = std::max(worst, std::fabs(t[g] - s.current[g]));
  }
  return worst;
}

void Sweep(const std::vector<std::vector<int>>& groups, const std::vector<Margin>& margins,
           const std::vector<double>& n, std::vector<double>& w) {
  for (size_t d = 0; d < margins.size(); ++d) {
    const Step s = Totals(groups[d], w, n, margins[d].totals.size());
    const std::vector<double> t = Targets(s, margins[d]);
    std::vector<double> factor(t.size(), 1);
    for (size_t g = 0; g < t.size(); ++g)
      if (s.current[g] > 0) factor[g] = t[g] / s.current[g];
    for (size_t i = 0; i < w.size(); ++i)
      if (groups[d][i] != kNoGroup) w[i] *= factor[static_cast<size_t>(groups[d][i])];
  }
}

// Caps every weight above `cap` and shares the excess equally among the others, repeating
// while that pushes one of them over. Keeps Σw. Returns whether anything was capped.
bool Trim(std::vector<double>& w, const std::vector<double>& n, double cap) {
  bool any = false;
  for (size_t round = 0; round < w.size(); ++round) {
    double excess = 0, below = 0;
    for (size_t i = 0; i < w.size(); ++i) {
      if (w[i] > cap) {
        excess += (w[i] - cap) * n[i];
        w[i] = cap;
      } else if (w[i] < cap) {
        below += n[i];
      }
    }
    if (excess <= 0) break;
    any = true;
    if (below <= 0) break;  // every weight at the cap: nothing left to give to
    const double share = excess / below;
    for (double& x : w)
      if (x < cap) x += share;
  }
  return any;
}

}  // namespace

RakingResult Rake(const std::vector<std::vector<int>>& groups, const std::vector<Margin>& margins,
                  size_t respondents, const RakingOptions& options) {
  return RakeCells(groups, margins, std::vector<double>(respondents, 1.0), options);
}

RakingResult RakeCells(const std::vector<std::vector<int>>& groups,
                       const std::vector<Margin>& margins, const std::vector<double>& counts,
                       const RakingOptions& options) {
  assert(groups.size() == margins.size());
  RakingResult r;
  const size_t respondents = counts.size();
  const double people = std::accumulate(counts.begin(), counts.end(), 0.0);
  if (respondents == 0 || margins.empty() || people <= 0) {
    r.weights.assign(respondents, 1);
    r.converged = true;
    r.max_weight_ratio = respondents ? 1 : 0;
    return r;
  }
  const double total = std::accumulate(margins[0].totals.begin(), margins[0].totals.end(), 0.0);
  const double mean = total / people;
  const double tolerance = options.tolerance * total;
  const double cap = options.trim_factor * mean;
  // Starting from the mean rather than 1 keeps Σw at the total at every margin step, which is
  // what lets the not-stated keep their weight (see the header).
  std::vector<double>& w = r.weights;
  w.assign(respondents, mean);
  for (size_t d = 0; d < margins.size(); ++d) {
    assert(groups[d].size() == respondents);
    const Step s = Totals(groups[d], w, counts, margins[d].totals.size());
    for (size_t g = 0; g < margins[d].totals.size(); ++g)
      if (s.current[g] <= 0) ++r.empty_groups;
  }
  // How far above the cap the largest weight was after the last round's raking: when a round
  // takes less than a hundredth off it, cap and margins cannot both hold (the raking pushes
  // back what the trimming took), so the remaining sweeps would be spent for nothing: stop,
  // reported as not converged.
  double previous_excess = INFINITY;
  for (;;) {
    r.max_error = MaxError(groups, margins, w, counts);
    while (r.max_error > tolerance && r.sweeps < options.max_sweeps) {
      Sweep(groups, margins, counts, w);
      ++r.sweeps;
      r.max_error = MaxError(groups, margins, w, counts);
    }
    const bool within = r.max_error <= tolerance;
    const bool over_cap = options.trim_factor > 0 &&
                          *std::max_element(w.begin(), w.end()) > cap * (1 + options.tolerance);
    if (within && !over_cap) {
      r.converged = true;
      break;
    }
    if (!within || r.sweeps >= options.max_sweeps) break;
    const double excess = *std::max_element(w.begin(), w.end()) / cap - 1;
    if (excess > previous_excess * (1 - 1e-2)) break;
    previous_excess = excess;
    Trim(w, counts, cap);
    ++r.trim_rounds;
  }
  r.max_error /= total;
  r.max_weight_ratio = *std::max_element(w.begin(), w.end()) / mean;
  return r;
}

}  // namespace candour::stats
