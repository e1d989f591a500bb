// SurveyIndexes: one stats::ResponseIndex per survey, rebuilt from the store at start-up and
// extended after each durable commit, so that statistics never touch the disk.
// Thread-safe: many readers or one writer per survey index (shared_mutex).
#pragma once

#include <boost/system/result.hpp>
#include <map>
#include <memory>
#include <optional>
#include <shared_mutex>
#include <string>
#include <vector>

#include "stats/response_index.h"
#include "store/store.h"
#include "survey/catalog.h"
#include "survey/index_coder.h"
#include "survey/submission.h"

namespace candour::survey {

struct RebuildStats {
  uint64_t indexed = 0;
  uint64_t undecodable = 0;  // authenticated but not a stored response (a bug, reported)
  uint64_t orphaned = 0;     // responses of a survey that is no longer defined
  uint64_t forged = 0;       // failed authentication
};

class SurveyIndexes {
 public:
  // Builds an empty index for every survey of the catalog, then adds every stored response.
  [[nodiscard]] boost::system::result<RebuildStats> Rebuild(store::Store& store,
                                                            const SurveyCatalog& catalog);

  // Adds one committed response of `survey` (creating its index on first use). Answers are
  // coded with the index's own version of the survey (new versions only add questions and
  // options, so an answer to an earlier version codes the same).
  void Add(const Survey& survey, std::string_view period, std::string_view src,
           const std::map<std::string, AnswerValue>& answers);

  // A new version of a survey: if its index columns changed, rebuilds its index from the
  // store (Adds meanwhile go on into the old index and are replayed into the new one, so
  // submissions never wait for the scan), else just adopts the new version.
  // A response committed just before the scan whose Add had not yet run can be counted
  // twice until the next start-up (a window of microseconds around an organiser's edit).
  [[nodiscard]] boost::system::error_code Reindex(store::Store& store,
                                                  std::shared_ptr<const Survey> survey);

  // Calls fn(const stats::ResponseIndex&) under a shared lock; false if there is no index.
  template <class Fn>
  bool Read(const std::string& survey_id, Fn&& fn) const {
    std::shared_ptr<Entry> entry = Find(survey_id);
    if (!entry) return false;
    std::shared_lock lock(entry->mu);
    fn(static_cast<const stats::ResponseIndex&>(entry->index));
    return true;
  }

 private:
  struct Entry {
    explicit Entry(std::shared_ptr<const Survey> s)
        : survey(std::move(s)), coder(*survey), index(coder.columns()) {}
    mutable std::shared_mutex mu;
    std::shared_ptr<const Survey> survey;  // guarded by mu: the version answers are coded with
    IndexCoder coder;                      // guarded by mu: of *survey
    bool retired = false;                  // guarded by mu: replaced by Reindex
    // guarded by mu: while Reindex scans, the Adds to replay into its new index.
    struct Pending {
      std::string period, src;
      std::map<std::string, AnswerValue> answers;
    };
    std::optional<std::vector<Pending>> pending;
    stats::ResponseIndex index;  // guarded by mu
  };
  std::shared_ptr<Entry> Find(const std::string& survey_id) const;
  std::shared_ptr<Entry> FindOrCreate(const Survey& survey);

  mutable std::mutex mu_;
  std::map<std::string, std::shared_ptr<Entry>> entries_;  // guarded by mu_
};

}  // namespace candour::survey
