// Raking (iterative proportional fitting) of per-respondent weights to population margins,
// with trimming at a cap, and the weighted share with its Kish effective sample size and a
// Wilson interval on it. Pure functions; thread-safe.
//
// Each respondent has, for each weighting dimension, a group index or kNoGroup ("not
// stated", "prefer not to say"). Those groups are never raked to a total. At each margin step
// the respondents who stated a group in that dimension carry weight S and the others U, with
// S + U = T (the population total): the stated groups are scaled to T_g * S / T, i.e. to the
// population's distribution over the weight those respondents hold, and the not-stated keep
// their weight, which is exactly the weighted average of that step's group factors (it is 1).
// A not-stated respondent's weight is therefore the one their other margins give them, and
// the method assumes the not-stated are distributed like the population on that dimension.
//
// A group with a population total but no respondent in the sample cannot be reached: it is
// left out and the others are scaled to the whole stated weight (counted in empty_groups).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "stats/estimate.h"

namespace candour::stats {

inline constexpr int kNoGroup = -1;

struct RakingOptions {
  // Every margin within tolerance * total. Default: 1e-9.
  double tolerance = 1e-9;
  // Upper bound on margin sweeps, counted over all raking rounds (a binding cap converges
  // slowly: hundreds of sweeps). Default: 1000.
  int max_sweeps = 1000;
  // Weights are capped at trim_factor times the mean weight, the excess shared equally among
  // the uncapped, then raked again. 0 turns trimming off. Default: 5.
  double trim_factor = 5;
};

struct Margin {
  // Population total per group index of one dimension; all margins share one sum.
  std::vector<double> totals;
};

struct RakingResult {
  std::vector<double> weights;  // one per respondent; sums to the population total
  bool converged = false;       // every margin within tolerance and no weight above the cap
  int sweeps = 0;               // margin sweeps used
  int trim_rounds = 0;          // how many times weights were capped
  int empty_groups = 0;         // groups with a population total and no respondent
  double max_error = 0;         // largest margin miss, as a share of the total
  double max_weight_ratio = 0;  // largest weight over the mean weight
};

// Rakes `respondents` weights to `margins`. groups[d][i] is respondent i's group in dimension
// d (an index into margins[d].totals, or kNoGroup). Never silent: if the sweep limit is
// reached first, the last weights are returned with converged == false.
// REQUIRES: groups.size() == margins.size(); every groups[d] has `respondents` entries, each
// kNoGroup or a valid index; every total > 0; all margins share one sum.
RakingResult Rake(const std::vector<std::vector<int>>& groups, const std::vector<Margin>& margins,
                  size_t respondents, const RakingOptions& options = {});

// The same over cells of alike respondents (the same group in every dimension): cell c stands
// for counts[c] respondents, groups[d][c] is their group and weights[c] each one's weight, so
// that the result is the one Rake gives those respondents one by one, in time proportional to
// the cells. REQUIRES: as Rake's with `respondents` = counts.size(); every count >= 0.
RakingResult RakeCells(const std::vector<std::vector<int>>& groups,
                       const std::vector<Margin>& margins, const std::vector<double>& counts,
                       const RakingOptions& options = {});

// Sums for a weighted share: add each respondent of the base with their weight.
struct WeightedTally {
  double weight = 0;     // Σw over the base
  double weight_sq = 0;  // Σw²
  double positive = 0;   // Σw over the positive
  void Add(double w, bool is_positive) {
    weight += w;
    weight_sq += w * w;
    if (is_positive) positive += w;
  }
  // Adds `n` respondents of weight w each.
  void AddMany(double w, double n, bool is_positive) {
    weight += w * n;
    weight_sq += w * w * n;
    if (is_positive) positive += w * n;
  }
  // What is left of this tally when `part` (a subset of its respondents) is taken out.
  WeightedTally Minus(const WeightedTally& part) const {
    return {weight - part.weight, weight_sq - part.weight_sq, positive - part.positive};
  }
  bool empty() const { return weight <= 0; }
  // REQUIRES for the three below: !empty().
  double Share() const { return positive >= weight ? 1.0 : positive / weight; }
  // Kish: (Σw)² / Σw².
  double EffectiveBase() const { return weight * weight / weight_sq; }
  // Wilson interval on the weighted share with n = n_eff.
  Interval Wilson(double z = kZ95) const {
    return WilsonIntervalOfShare(Share(), EffectiveBase(), z);
  }
};

}  // namespace candour::stats
