// Submissions: the whole workflow of one resident's answers, from the body as sent to a
// durable, indexed response: the survey's state, parsing, the rate limit, the single-use code
// (spent before the response is written, given back if the write fails: a crash in between
// loses a code, never lets one be used twice), sealing free text, the coarse period, the
// stored encoding, the durable group commit and the index. No transport, address or request
// type reaches it; the HTTP layer maps each outcome to a status and a page.
// Blocking steps (spending and giving back a code: synced writes) run on a worker thread of
// its own, so that neither the caller's thread nor the organisers' work waits for them.
// Thread-safe: Submit may be called concurrently from any thread.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/sealed_box.h"
#include "store/store.h"
#include "survey/catalog.h"
#include "survey/codes.h"
#include "survey/incidents.h"
#include "survey/submission.h"
#include "survey/survey_index.h"
#include "survey/work_queue.h"

namespace candour::survey {

struct SubmissionsOptions {
  // The public half of the offline comments key: free text is sealed to it. Without one,
  // free-text answers are dropped, never stored readable. Default: none.
  std::optional<crypto::BoxPublicKey> comments_key;
  // Submissions per hour from one sender for a survey that sets no "rate_limit".
  // Default: 600.
  uint64_t rate_limit_per_hour = 600;
  // The clock that picks a response's coarse period (and the rate limit's hour).
  // Default: system clock (UTC).
  std::function<std::chrono::system_clock::time_point()> now = [] {
    return std::chrono::system_clock::now();
  };
  // Where failures that concern the operator and no one else are counted and logged (a spent
  // code that could not be given back). Must outlive the service. Default: none.
  Incidents* incidents = nullptr;
};

// How the body was sent: the form's urlencoded POST, JSON, or anything else (refused as
// kUnreadable once the survey is known to take answers).
enum class SubmissionFormat { kForm, kJson, kOther };

struct SubmitOutcome {
  enum class Status {
    kStored,           // durable and counted in the index
    kUnknownSurvey,    // no survey has this id
    kClosed,           // the survey takes no more answers
    kUnreadable,       // the body is in a format the service does not read (kOther)
    kInvalid,          // the body does not answer the survey: see `rejection`
    kRateLimited,      // too many from this sender this hour: see `retry_after`
    kCodeMissing,      // the survey needs a code and none was given
    kCodeUnknown,      // not a code issued for this survey
    kCodeSpent,        // the code has been used
    kCodeUncheckable,  // the code could not be read or spent (the store failed)
    kOverloaded,       // too many answers waiting for the disk: see `retry_after`
    kDiskFull,         // The store's disk is full; nothing was kept
    kFailed,           // the response could not be written; nothing was kept
  };
  Status status = Status::kFailed;
  std::shared_ptr<const Survey> survey;  // all but kUnknownSurvey
  std::string lang;                      // the language the answers say they were given in
  Rejection rejection;                   // kInvalid
  // kStored: questions answered by someone they are not for, whose answers were not stored
  // (Submission::not_stored).
  std::vector<std::string> not_stored;
  std::chrono::seconds retry_after{0};  // kRateLimited, kOverloaded
};

class Submissions {
 public:
  using Done = std::function<void(SubmitOutcome)>;
  // Counts one submission to `survey` from the sender against `per_hour` in the hour of
  // `now`: nullopt if it is within the limit, else how long until the sender may send again.
  using RateCheck = std::function<std::optional<std::chrono::seconds>(
      std::string_view survey, uint64_t per_hour, std::chrono::system_clock::time_point now)>;

  // `catalog`, `store`, `indexes` and `codes` must outlive the service.
  Submissions(SubmissionsOptions options, SurveyCatalog& catalog, store::Store& store,
              SurveyIndexes& indexes, Codes& codes);
  Submissions(const Submissions&) = delete;
  Submissions& operator=(const Submissions&) = delete;
  // Stops (see Stop).
  ~Submissions();

  // Takes one response to `survey_id`. `rate_check` is called at most once, before Submit
  // returns, and only for a valid body. `done` runs exactly once with the outcome: on the
  // calling thread for a refusal found at once, else on the service's worker or on the
  // store's committer thread (kStored only after the response is durable and indexed).
  // Keep `done` short: post the rest elsewhere.
  void Submit(const std::string& survey_id, SubmissionFormat format, std::string body,
              const RateCheck& rate_check, Done done);

  // Waits until every submission under way has delivered its outcome, then stops the worker.
  // Later calls still complete (their blocking steps then run on the calling thread).
  void Stop();

 private:
  struct Pending;
  // Spends the code on the worker, then commits.
  void SpendThenCommit(std::shared_ptr<Pending> p);
  // Seals, encodes and queues the durable write; completes `p` when it is done.
  void Commit(std::shared_ptr<Pending> p);
  // The durable write's result: indexes, or gives the code back, then completes.
  void Written(const std::shared_ptr<Pending>& p, boost::system::error_code ec);
  void Complete(const std::shared_ptr<Pending>& p, SubmitOutcome::Status status);

  // Constant after construction.
  const SubmissionsOptions options_;
  SurveyCatalog& catalog_;
  store::Store& store_;
  SurveyIndexes& indexes_;
  Codes& codes_;

  // State below is protected by mu_.
  std::mutex mu_;
  std::condition_variable idle_;
  size_t in_flight_ = 0;  // submissions whose `done` has not yet returned

  WorkQueue worker_;  // last: stopped (joined) first
};

}  // namespace candour::survey
