// Results: the published statistics of a survey, as JSON and CSV views of one cached release
// (stats::Release), so that every view shows the same figure for the same cell.
// Only pre-declared views exist: a period level, and optionally one declared dimension (at
// quarter or year level). Anything else is refused with the list of what is allowed.
// Thread-safe.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "server/survey.h"
#include "server/survey_index.h"
#include "stats/release.h"

namespace candour::server {

// The release specification of a survey as of `today`.
stats::ReleaseSpec ReleaseSpecOf(const Survey& survey, std::chrono::sys_days today);

struct ResultsView {
  stats::Level level = stats::Level::kMonth;
  std::string by;  // a dimension id, or empty
};

// Parses ?period=&by= against what the survey allows. On failure returns the message for a
// 400, naming what is allowed.
boost::system::result<ResultsView, std::string> ParseResultsView(
    const Survey& survey, const std::vector<std::pair<std::string, std::string>>& query);

std::string ResultsJson(const Survey& survey, const stats::Release& release, const ResultsView& view);
std::string ResultsCsv(const Survey& survey, const stats::Release& release, const ResultsView& view);

class ResultsCache {
 public:
  explicit ResultsCache(stats::ReleaseOptions options = {}) : options_(options) {}

  // The release of `survey` for `today`, built on first use each day (completed periods only
  // change when a day passes: new submissions always fall in the current period).
  std::shared_ptr<const stats::Release> Get(const Survey& survey, const SurveyIndexes& indexes,
                                            std::chrono::sys_days today);

 private:
  const stats::ReleaseOptions options_;
  std::mutex mu_;  // also serialises builds: one at a time
  std::map<std::string, std::shared_ptr<const stats::Release>> releases_;  // key: id|version|day
};

}  // namespace candour::server
