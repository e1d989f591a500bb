#include "web/weighted_text.h"

#include <cstdio>

namespace candour::web {

std::string WeightedWithheld(const stats::MeasureCell& cell, const stats::ReleaseSpec& spec) {
  if (!cell.positive.published() || !cell.negative.published() || !cell.base.published() ||
      ProtectsAnother(cell))
    return stats::WithheldReason(spec.threshold);
  if (cell.weighted && cell.weighted->small_base) return "effective base under the minimum";
  return "no responses";
}

std::string WeightingNote(const stats::ReleaseSpec& spec) {
  char text[2048];
  std::snprintf(
      text, sizeof text,
      "Weighted figures: each period's respondents (each month, quarter and rolling 12 months "
      "on its own) are weighted to the population margins by raking (iterative proportional "
      "fitting) until every margin is within %g of the total, in at most %d sweeps. Respondents "
      "who did not state a group of a weighting dimension (prefer not to say, unanswered, or a "
      "group outside the population) are not weighted to a total there: they keep the weight "
      "their other margins give them, the average of those who share those margins, which "
      "assumes they resemble the population on that dimension. Weights are capped at %g times "
      "the mean weight (the excess shared among the others) and raked again; a period whose "
      "raking did not converge within the limit says so. Intervals use Kish's effective sample "
      "size n_eff = (sum of weights)^2 / (sum of squared weights), so they are wider than "
      "unweighted ones; gaps and changes use n_eff too. A weighted figure is withheld wherever "
      "its unweighted count or base is, where n_eff is under %llu, and for every group of a "
      "table (dimension and period) in which any group's unweighted figure is withheld; "
      "weighted shares, "
      "intervals and gaps are rounded to whole percent and n_eff down to a whole number, so "
      "they cannot be set against a published base to recover a withheld count.",
      spec.raking.tolerance, spec.raking.max_sweeps, spec.raking.trim_factor,
      static_cast<unsigned long long>(spec.min_base));
  return text;
}

}  // namespace candour::web
