// Results views: the published statistics of a survey as JSON and CSV views of one release
// (stats::Release), so that every view shows the same figure for the same cell.
// Only pre-declared views exist: a period level, and optionally one declared dimension (at
// quarter or year level). Anything else is refused with the list of what is allowed.
// Thread-safe: pure functions.
#pragma once

#include <boost/system/result.hpp>
#include <string>
#include <utility>
#include <vector>

#include "stats/release.h"
#include "survey/survey.h"

namespace candour::web {

struct ResultsView {
  stats::Level level = stats::Level::kMonth;
  std::string by;  // a dimension id, or empty
};

// Parses ?period=&by= against what the survey allows. On failure returns the message for a
// 400, naming what is allowed.
boost::system::result<ResultsView, std::string> ParseResultsView(
    const survey::Survey& survey, const std::vector<std::pair<std::string, std::string>>& query);

std::string ResultsJson(const survey::Survey& survey, const stats::Release& release,
                        const ResultsView& view);
std::string ResultsCsv(const survey::Survey& survey, const stats::Release& release,
                       const ResultsView& view);

}  // namespace candour::web
