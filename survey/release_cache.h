// ResultsCache: each survey's release (stats::Release) for the day, built once off the I/O
// threads and shared by every view, so that every view shows the same figure for the same cell;
// and the release specification of a survey.
// Thread-safe.
#pragma once

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
class ResultsCache {
 public:
  using Done = std::function<void(std::shared_ptr<const stats::Release>)>;
  // What a survey's releases published so far, and how to keep it (see ReleaseSpec::previous).
  using Published = std::map<std::string, std::optional<uint64_t>>;
  struct History {
    std::function<Published(const std::string& survey_id)> load;
    std::function<void(const std::string& survey_id, const Published&)> save;
  };

  // Without a history, each release stands alone (tests and benchmarks only).
  explicit ResultsCache(stats::ReleaseOptions options = {}, History history = {});
  ResultsCache(const ResultsCache&) = delete;
  ResultsCache& operator=(const ResultsCache&) = delete;
  ~ResultsCache();  // finishes the build under way, drops the rest (their Done never runs)

  // Calls done with the release of `survey` for `today`: at once if built already, else on the
  // builder thread once built. Completed periods only change when a day passes (new
  // submissions always fall in the current period), so a release serves a whole day.
  // `indexes` must outlive the cache.
  void Get(std::shared_ptr<const Survey> survey, const SurveyIndexes& indexes,
           std::chrono::sys_days today, Done done);

  // Waits until no build is queued or running and every callback has been released (they
  // hold their callers' executors). For shutdown, once no new Get can arrive.
  void Drain();

  // Blocking form, for benchmarks and tools.
  std::shared_ptr<const stats::Release> GetNow(std::shared_ptr<const Survey> survey,
                                               const SurveyIndexes& indexes,
                                               std::chrono::sys_days today);

 private:
  struct Job {
    std::shared_ptr<const Survey> survey;
    const SurveyIndexes* indexes;
    std::chrono::sys_days today;
    std::vector<Done> waiters;
  };
  void Run();

  const stats::ReleaseOptions options_;
  const History history_;
  std::mutex mu_;
  std::condition_variable wake_;
  std::map<std::string, std::shared_ptr<const stats::Release>> releases_;  // key: id|version|day
  std::map<std::string, Job> jobs_;                                        // pending builds by key
  bool stopping_ = false;
  bool busy_ = false;             // guarded by mu_: a job is being built or its waiters held
  std::condition_variable idle_;  // signalled when busy_ becomes false
  std::thread thread_;            // last: started after everything above
};

// The history of a survey's releases kept in the store's meta records ("published/ID").
ResultsCache::History StoreHistory(store::Store& store);

}  // namespace candour::survey
