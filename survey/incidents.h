// Incidents: failures the operator must hear about and no person in front of the service can be
// told of (a release history that cannot be read, a code that could not be given back, an accept
// loop that hit the file limit). Each is counted by kind, for metrics and alerts, and logged as
// one line for the operator.
//
// Nothing about a resident ever goes in: callers pass a kind and a detail made of our own words,
// survey ids and error messages of the store or the system, never request content, answers,
// codes or addresses.
//
// Thread-safe.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string_view>

namespace candour::survey {

enum class Incident {
  kHistoryReadFailed,   // a survey's release history could not be read or is damaged
  kHistorySaveFailed,   // a new release's history could not be saved, so it was not published
  kCodeGivebackFailed,  // a code spent for a submission that failed could not be given back
  kAcceptFailed,        // the listener failed to accept a connection (e.g. too many open files)
  kAuditOutcomeFailed,  // the outcome of an admin action could not be written to the audit log
  kAuditIntentFailed,   // an admin action was not done: its intent could not be written
  kReindexFailed,       // a new survey version is served but its index could not be rebuilt
  kSessionFailed,       // a connection's session ended on an exception, its request unanswered
  kCount
};

// The kind's name in logs and metrics, e.g. "history_save_failed".
const char* IncidentName(Incident kind);

class Incidents {
 public:
  using Log = std::function<void(std::string_view line)>;
  using Clock = std::function<std::chrono::steady_clock::time_point()>;
  // Log lines of one kind closer together than this are counted, not written: a failure that
  // repeats many times a second (a full disk, the file limit) gives one line a second, which
  // says how many were not written.
  static constexpr std::chrono::seconds kQuietTime{1};

  // `log` receives each line. Default: standard error. `now` is the clock for kQuietTime.
  // Default: the steady clock.
  explicit Incidents(Log log = {}, Clock now = {});
  Incidents(const Incidents&) = delete;
  Incidents& operator=(const Incidents&) = delete;

  // Counts one incident and logs "incident KIND: DETAIL", unless a line of this kind was
  // written less than kQuietTime ago. REQUIRES: kind != Incident::kCount.
  void Report(Incident kind, std::string_view detail);

  // Incidents of `kind` reported since construction.
  uint64_t count(Incident kind) const;

 private:
  static constexpr size_t kKinds = static_cast<size_t>(Incident::kCount);

  // Constant after construction.
  const Log log_;
  const Clock now_;

  std::array<std::atomic<uint64_t>, kKinds> counts_{};

  // State below is protected by mu_ (which also keeps lines whole and in order).
  std::mutex mu_;
  std::array<std::chrono::steady_clock::time_point, kKinds> last_line_{};
  std::array<uint64_t, kKinds> unlogged_{};
  std::array<bool, kKinds> logged_once_{};
};

}  // namespace candour::survey
