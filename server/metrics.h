// Metrics: request counters and latencies by route pattern and status, and the operator's
// incidents by kind, exported in the Prometheus text format. Nothing about individual residents
// is counted.
// Thread-safe: lock-free counters (and Incidents, thread-safe).
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>

#include "store/group_committer.h"
#include "survey/incidents.h"

namespace candour::server {

enum class Route {
  kIndex,
  kHealth,
  kMetrics,
  kStatic,
  kForm,
  kSubmit,
  kThanks,
  kResults,
  kApiSurvey,
  kApiResults,
  kQr,
  kQrPng,
  kPoster,
  kFigures,
  kAdmin,
  kOther,
  kCount
};

// The route pattern as logged and exported, e.g. "/s/{survey}/responses".
const char* RoutePattern(Route route);

class Metrics {
 public:
  void Record(Route route, unsigned status, std::chrono::microseconds latency);
  // Prometheus exposition text, including the store's commit statistics and the incidents.
  std::string Render(const store::CommitStats& commits) const;
  // Where the server's parts report failures for the operator (logged to standard error).
  survey::Incidents& incidents() { return incidents_; }

 private:
  static constexpr size_t kRoutes = static_cast<size_t>(Route::kCount);
  static constexpr std::array<uint64_t, 8> kBucketsMicros = {500,    1'000,   5'000,   10'000,
                                                             50'000, 100'000, 500'000, 1'000'000};
  struct PerRoute {
    std::array<std::atomic<uint64_t>, 6> by_class{};  // index = status / 100 (0 unused)
    std::array<std::atomic<uint64_t>, kBucketsMicros.size()> buckets{};
    std::atomic<uint64_t> count{0};
    std::atomic<uint64_t> micros{0};
  };
  std::array<PerRoute, kRoutes> routes_{};
  survey::Incidents incidents_;
};

}  // namespace candour::server
