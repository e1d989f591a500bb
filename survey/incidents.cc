#include "survey/incidents.h"

#include <cassert>
#include <cstdio>
#include <string>

namespace candour::survey {

const char* IncidentName(Incident kind) {
  switch (kind) {
    case Incident::kHistoryReadFailed:
      return "history_read_failed";
    case Incident::kHistorySaveFailed:
      return "history_save_failed";
    case Incident::kCodeGivebackFailed:
      return "code_giveback_failed";
    case Incident::kAcceptFailed:
      return "accept_failed";
    case Incident::kAuditOutcomeFailed:
      return "audit_outcome_failed";
    case Incident::kAuditIntentFailed:
      return "audit_intent_failed";
    case Incident::kReindexFailed:
      return "reindex_failed";
    case Incident::kSessionFailed:
      return "session_failed";
    case Incident::kCount:
      break;
  }
  return "unknown";
}

Incidents::Incidents(Log log, Clock now)
    : log_(log ? std::move(log) : Log([](std::string_view line) {
        std::fprintf(stderr, "%.*s\n", static_cast<int>(line.size()), line.data());
      })),
      now_(now ? std::move(now) : Clock([] { return std::chrono::steady_clock::now(); })) {}

void Incidents::Report(Incident kind, std::string_view detail) {
  assert(kind != Incident::kCount);
  const auto k = static_cast<size_t>(kind);
  counts_[k].fetch_add(1, std::memory_order_relaxed);
  const auto now = now_();
  std::lock_guard lock(mu_);
  if (logged_once_[k] && now - last_line_[k] < kQuietTime) {
    ++unlogged_[k];
    return;
  }
  std::string line = std::string("incident ") + IncidentName(kind) + ": ";
  line.append(detail);
  if (unlogged_[k] > 0) {
    line += " (and " + std::to_string(unlogged_[k]) + " more not logged since the last line)";
  }
  logged_once_[k] = true;
  last_line_[k] = now;
  unlogged_[k] = 0;
  log_(line);
}

uint64_t Incidents::count(Incident kind) const {
  return counts_[static_cast<size_t>(kind)].load(std::memory_order_relaxed);
}

}  // namespace candour::survey
