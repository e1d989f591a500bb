// The organiser's view of a survey's sources (events and posters): the console page with the
// responses each source brought per month, as survey::CountSources protects them ("fewer than
// 10", "withheld"), and each declared source's posters (one per language) and QR downloads;
// and the same counts as JSON for the admin API. English only (organisers' pages).
// Thread-safe: pure functions.
#pragma once

#include <functional>
#include <string>

#include "survey/source_counts.h"
#include "survey/survey.h"

namespace candour::web {

// The console page /admin/surveys/{id}/sources. `link(tag)` is the survey's public link for
// a source tag (what its QR code holds).
std::string RenderConsoleSources(const survey::Survey& survey, const survey::SourceCounts& counts,
                                 const std::function<std::string(const std::string&)>& link);

// {"survey", "threshold", "total", "fully_protected", "sources": [{"tag", "label",
// "declared"}], "months": [{"month", "complete", "counts": [{"source", and one of "count": N,
// "fewer_than": THRESHOLD or "withheld": true}]}], "note"}.
std::string SourceCountsJson(const survey::Survey& survey, const survey::SourceCounts& counts);

}  // namespace candour::web
