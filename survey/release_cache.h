// ResultsCache: each survey's release (stats::Release) for the day, built once off the I/O
// threads and shared by every view, so that every view shows the same figure for the same cell;
// and the release specification of a survey.
// Thread-safe.
#pragma once

#include <atomic>
#include <boost/system/result.hpp>
#include <chrono>
#include <condition_variable>
#include <deque>
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
// its lock and the release built from the copy. Nobody waits for a build either: Get answers
// at once with the survey's newest release (yesterday's, or an earlier version's, while
// today's is built) or says that the first one is being prepared. One build runs at a time;
// builds of other surveys wait their turn in the order they were asked for.
//
// A release is published only with its history: it is built from what earlier releases
// published and what it publishes is saved before anyone sees it, so that comparing two days'
// releases reveals nothing that one day's does not. When the history cannot be read (or is
// damaged) or the new one cannot be saved, the release is refused rather than published
// unprotected: nothing is cached, Get reports the error (or keeps serving the release published
// before) and the next Get tries again.
//
// Stop (and the destructor) cancel the build under way through ReleaseOptions::cancel, so it
// ends within milliseconds; a cancelled release is neither cached nor saved.
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
  // `options.cancel` must be null: the cache sets it to its own flag (see Stop).
  explicit ResultsCache(stats::ReleaseOptions options = {}, History history = {},
                        Incidents* incidents = nullptr);
  ResultsCache(const ResultsCache&) = delete;
  ResultsCache& operator=(const ResultsCache&) = delete;
  ~ResultsCache();  // Stop, then waits for the builder thread (a cancelled build ends promptly)

  // Calls done at once, on the calling thread, never waiting for a build, with:
  //   - the release of `survey` for `today`, when it is built already;
  //   - else the survey's newest release (an earlier day's or an earlier version's, already
  //     published and saved), while the build of today's is queued: later calls get the new
  //     one once it is built and its history saved;
  //   - else, when the survey's last build was refused, that error (see History), and the
  //     build is queued again;
  //   - else survey::Errc::kPreparing: its first release is queued or being built.
  // Completed periods only change when a day passes (new submissions always fall in the
  // current period), so a release serves a whole day. After Stop nothing is queued: the
  // newest release or kPreparing. `indexes` must outlive the cache.
  void Get(std::shared_ptr<const Survey> survey, const SurveyIndexes& indexes,
           std::chrono::sys_days today, Done done);

  // Blocking form, for benchmarks and tools: waits for the build of the release for `today`
  // (if it is not built already) and returns it, or the history's error (see History), or
  // survey::Errc::kCancelled when Stop cancels it (or was called before).
  [[nodiscard]] ReleaseResult GetNow(std::shared_ptr<const Survey> survey,
                                     const SurveyIndexes& indexes, std::chrono::sys_days today);

  // Waits until no build is queued or running and every GetNow waiter has been answered (after
  // Stop: until the cancelled build, if any, has ended). For tests and for shutdown, once no
  // new Get can arrive.
  void Drain();

  // The first step of shutdown: cancels the build under way (it ends within milliseconds, and
  // is neither cached nor saved), drops the queued ones (their GetNow waiters get kCancelled)
  // and queues no more. Returns at once, without waiting for the build to end (Drain or the
  // destructor do). Idempotent.
  void Stop();

 private:
  struct Job {
    std::string key;  // CacheKey: survey id, version and day
    std::shared_ptr<const Survey> survey;
    const SurveyIndexes* indexes = nullptr;
    std::chrono::sys_days today{};
    std::vector<Done> waiters;  // GetNow's
  };
  // The survey's newest release and what it was built for.
  struct Cached {
    std::string key;
    int64_t version = 0;
    std::chrono::sys_days today{};
    std::shared_ptr<const stats::Release> release;
  };
  // Queues the build of `key` unless it is queued or being built already; adds `waiter` (may
  // be empty) to it. A queued build of an older key of the same survey that nobody waits for
  // is replaced, so each survey is built once, in its newest form. REQUIRES: mu_ held.
  // Returns whether the builder must be woken.
  bool Enqueue(const std::string& key, std::shared_ptr<const Survey> survey,
               const SurveyIndexes& indexes, std::chrono::sys_days today, Done waiter);
  void Run();
  // Loads the history, builds the release and saves its history; the first error otherwise
  // (Errc::kCancelled when cancelled).
  ReleaseResult Build(const Job& job);
  bool Cancelled() const { return cancel_.load(); }

  // Set once, by Stop; read by the build under way (ReleaseOptions::cancel).
  std::atomic<bool> cancel_{false};

  // Constant after construction.
  const stats::ReleaseOptions options_;  // its cancel points at cancel_
  const History history_;
  Incidents* const incidents_;

  // State below is protected by mu_.
  std::mutex mu_;
  std::condition_variable wake_;
  std::map<std::string, Cached> releases_;  // by survey id: its newest release
  // By survey id: the error of its last build, while it has no release newer than that build.
  std::map<std::string, boost::system::error_code> failures_;
  std::deque<Job> queue_;               // builds not started, in the order they were asked for
  std::string building_;                // the key of the build under way; empty when none
  std::vector<Done> building_waiters_;  // GetNow calls that arrived during that build
  bool stopping_ = false;
  bool busy_ = false;             // a job is being built or its waiters held
  std::condition_variable idle_;  // signalled when busy_ becomes false
  std::thread thread_;            // last: started after everything above
};

// The history of a survey's releases kept in the store's meta records ("published/ID"), as a
// JSON object from figure key to value (null: withheld). load fails with the store's error, or
// store::Errc::kCorrupt for a record that is not such an object; save with the store's error.
// `store` must outlive the history.
ResultsCache::History StoreHistory(store::Store& store);

}  // namespace candour::survey
