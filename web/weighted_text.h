// The API's and CSV's words for weighted figures (stats/weighting.h): why one is not shown,
// and the method note on how the weights are made. English, as the rest of the API's notes;
// the dashboard says the same in each language (web/i18n/ui.json).
// Thread-safe: pure functions.
#pragma once

#include <string>

#include "stats/release.h"

namespace candour::web {

// Why a cell's weighted share is not shown: the one withheld reason when an unweighted count
// or base is withheld (stats::WithheldReason), "effective base under the minimum", or "no
// responses". REQUIRES: cell.weighted is set and not shown.
std::string WeightedWithheld(const stats::MeasureCell& cell, const stats::ReleaseSpec& spec);

// Whether a cell's weighted figures are withheld although its own unweighted figures are
// published and its n_eff is large enough: another group of its table is withheld
// (stats/weighting.h).
inline bool ProtectsAnother(const stats::MeasureCell& c) {
  return c.weighted && !c.weighted->shown && !c.weighted->small_base && c.positive.published() &&
         c.negative.published() && c.base.published() && c.weighted->exact_n_eff > 0;
}

// How the weights are made: raking, what the not stated get, trimming cap, convergence, n_eff,
// rounding and the disclosure rule, with the release's settings.
std::string WeightingNote(const stats::ReleaseSpec& spec);

}  // namespace candour::web
