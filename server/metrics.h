// Metrics: request counters and latencies by route name (the route table's) and status, and the
// operator's incidents by kind, exported in the Prometheus text format. Nothing about individual
// residents is counted.
// Thread-safe: lock-free counters (and Incidents, thread-safe).
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "store/group_committer.h"
#include "store/store.h"
#include "survey/incidents.h"

namespace candour::server {

class Metrics {
 public:
  // Counts requests for each of `routes` (the route table's names) and for "other"; incidents
  // are logged to `operator_log` (standard error if empty).
  explicit Metrics(std::vector<std::string> routes, survey::Incidents::Log operator_log = {});

  // `route` is one of the names given, else it counts as "other".
  void Record(std::string_view route, unsigned status, std::chrono::microseconds latency);
  // Prometheus exposition text, including the store's commit statistics and the incidents.
  std::string Render(const store::CommitStats& commits) const;
  // Where the server's parts report failures for the operator (logged to standard error).
  survey::Incidents& incidents() { return incidents_; }

  // One submission refused with 503 because the store's disk is full.
  void CountDiskFullRefusal() { disk_full_refusals_.fetch_add(1, std::memory_order_relaxed); }
  // The refusals, and the store's view of its disk (store/space_guard.h), as exposition text.
  std::string RenderSpace(const store::SpaceState& space) const;

 private:
  static constexpr std::array<uint64_t, 8> kBucketsMicros = {500,    1'000,   5'000,   10'000,
                                                             50'000, 100'000, 500'000, 1'000'000};
  struct PerRoute {
    std::array<std::atomic<uint64_t>, 6> by_class{};  // index = status / 100 (0 unused)
    std::array<std::atomic<uint64_t>, kBucketsMicros.size()> buckets{};
    std::atomic<uint64_t> count{0};
    std::atomic<uint64_t> micros{0};
  };
  // Constant after construction: the names, "other" last, and their counters, by index.
  const std::vector<std::string> names_;
  const std::unique_ptr<PerRoute[]> routes_;
  survey::Incidents incidents_;
  std::atomic<uint64_t> disk_full_refusals_{0};
};

}  // namespace candour::server
