// ResultsCache: each survey's release (stats::Release) for the day, built once off the I/O
// threads and shared by every view, so that every view shows the same figure for the same cell;
// and the release specification of a survey.
// Thread-safe.
#pragma once

#include <boost/system/result.hpp>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "stats/release.h"
#include "store/store.h"
#include "survey/incidents.h"
#include "survey/survey.h"
#include "survey/survey_index.h"

namespace candour::survey {

// The release specification of a survey as of `today`.
stats::ReleaseSpec ReleaseSpecOf(const Survey& survey, std::chrono::sys_days today);

// A dimension's groups as the release names them: its answerable options, then not_stated.
std::vector<std::string> GroupsOf(const stats::DimensionSpec& d);

// Builds releases on a thread of its own, so that neither the I/O threads nor submissions (which
// extend the index) wait for the counting and the linear programs: the index is copied under
// its lock and the release built from the copy.
//
// A release is published only with its history: it is built from what earlier releases
// published and what it publishes is saved before anyone sees it, so that comparing two days'
// releases reveals nothing that one day's does not. When the history cannot be read (or is
// damaged) or the new one cannot be saved, the release is refused rather than published
// unprotected: Get reports the error, nothing is cached, and the next Get tries again.
class ResultsCache {
 public:
  using ReleaseResult = boost::system::result<std::shared_ptr<const stats::Release>>;
  using Done = std::function<void(ReleaseResult)>;
  // What a survey's releases published so far, and how to keep it (see ReleaseSpec::previous).
  using Published = std::map<std::string, std::optional<uint64_t>>;
  struct History {
    // What the survey's releases published so far (empty if none was ever published), or the
    // error that kept it from being read (store errors; store::Errc::kCorrupt if damaged).
    std::function<boost::system::result<Published>(const std::string& survey_id)> load;
    // Keeps what a new release publishes (everything earlier included). The store's error if
    // it could not be kept.
    std::function<boost::system::error_code(const std::string& survey_id, const Published&)> save;
  };

  // Without a history, each release stands alone (tests and benchmarks only). Each refused
  // release is reported to `incidents` (may be null: not reported; must outlive the cache).
  explicit ResultsCache(stats::ReleaseOptions options = {}, History history = {},
                        Incidents* incidents = nullptr);
  ResultsCache(const ResultsCache&) = delete;
  ResultsCache& operator=(const ResultsCache&) = delete;
  ~ResultsCache();  // finishes the build under way, drops the rest (their Done never runs)

  // Calls done with the release of `survey` for `today`: at once if built already, else on the
  // builder thread once built. Completed periods only change when a day passes (new
  // submissions always fall in the current period), so a release serves a whole day.
  // On failure done receives the history's error instead (see History) and nothing is kept, so
  // the next Get builds again; a release already published stays cached and served.
  // `indexes` must outlive the cache.
  void Get(std::shared_ptr<const Survey> survey, const SurveyIndexes& indexes,
           std::chrono::sys_days today, Done done);

  // Waits until no build is queued or running and every callback has been released (they
  // hold their callers' executors). For shutdown, once no new Get can arrive.
  void Drain();

  // Blocking form, for benchmarks and tools; fails as Get does.
  [[nodiscard]] ReleaseResult GetNow(std::shared_ptr<const Survey> survey,
                                     const SurveyIndexes& indexes, std::chrono::sys_days today);

 private:
  struct Job {
    std::shared_ptr<const Survey> survey;
    const SurveyIndexes* indexes;
    std::chrono::sys_days today;
    std::vector<Done> waiters;
  };
  void Run();
  // Loads the history, builds the release and saves its history; the first error otherwise.
  ReleaseResult Build(const Job& job);

  // Constant after construction.
  const stats::ReleaseOptions options_;
  const History history_;
  Incidents* const incidents_;

  // State below is protected by mu_.
  std::mutex mu_;
  std::condition_variable wake_;
  std::map<std::string, std::shared_ptr<const stats::Release>> releases_;  // key: id|version|day
  std::map<std::string, Job> jobs_;                                        // pending builds by key
  bool stopping_ = false;
  bool busy_ = false;             // guarded by mu_: a job is being built or its waiters held
  std::condition_variable idle_;  // signalled when busy_ becomes false
  std::thread thread_;            // last: started after everything above
};

// The history of a survey's releases kept in the store's meta records ("published/ID"), as a
// JSON object from figure key to value (null: withheld). load fails with the store's error, or
// store::Errc::kCorrupt for a record that is not such an object; save with the store's error.
// `store` must outlive the history.
ResultsCache::History StoreHistory(store::Store& store);

}  // namespace candour::survey
