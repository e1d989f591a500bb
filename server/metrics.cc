#include "server/metrics.h"

namespace candour::server {

namespace {

std::vector<std::string> WithOther(std::vector<std::string> names) {
  names.emplace_back("other");
  return names;
}

}  // namespace

Metrics::Metrics(std::vector<std::string> routes, survey::Incidents::Log operator_log)
    : names_(WithOther(std::move(routes))),
      routes_(new PerRoute[names_.size()]),
      incidents_(std::move(operator_log)) {}

void Metrics::Record(std::string_view route, unsigned status, std::chrono::microseconds latency) {
  size_t slot = names_.size() - 1;  // "other"
  // Names are unique (Router::Names): the first match is the only one.
  for (size_t i = 0; i + 1 < names_.size(); ++i) {
    if (names_[i] == route) {
      slot = i;
      break;
    }
  }
  PerRoute& r = routes_[slot];
  const size_t cls = status / 100;
  if (cls >= 1 && cls <= 5) r.by_class[cls].fetch_add(1, std::memory_order_relaxed);
  const auto us = static_cast<uint64_t>(latency.count());
  for (size_t i = 0; i < kBucketsMicros.size(); ++i) {
    if (us <= kBucketsMicros[i]) r.buckets[i].fetch_add(1, std::memory_order_relaxed);
  }
  r.count.fetch_add(1, std::memory_order_relaxed);
  r.micros.fetch_add(us, std::memory_order_relaxed);
}

std::string Metrics::Render(const store::CommitStats& commits) const {
  std::string out;
  out += "# HELP candour_http_requests_total HTTP requests by route pattern and status class.\n";
  out += "# TYPE candour_http_requests_total counter\n";
  for (size_t i = 0; i < names_.size(); ++i) {
    const std::string& route = names_[i];
    for (size_t cls = 1; cls <= 5; ++cls) {
      const uint64_t n = routes_[i].by_class[cls].load(std::memory_order_relaxed);
      if (n == 0) continue;
      out += "candour_http_requests_total{route=\"" + route + "\",status=\"" + std::to_string(cls) +
             "xx\"} " + std::to_string(n) + "\n";
    }
  }
  out += "# HELP candour_http_request_seconds Request latency by route pattern.\n";
  out += "# TYPE candour_http_request_seconds histogram\n";
  for (size_t i = 0; i < names_.size(); ++i) {
    const PerRoute& r = routes_[i];
    const uint64_t count = r.count.load(std::memory_order_relaxed);
    if (count == 0) continue;
    const std::string label = "route=\"" + names_[i] + "\"";
    for (size_t b = 0; b < kBucketsMicros.size(); ++b) {
      out += "candour_http_request_seconds_bucket{" + label + ",le=\"" +
             std::to_string(static_cast<double>(kBucketsMicros[b]) / 1e6) + "\"} " +
             std::to_string(r.buckets[b].load(std::memory_order_relaxed)) + "\n";
    }
    out += "candour_http_request_seconds_bucket{" + label + ",le=\"+Inf\"} " +
           std::to_string(count) + "\n";
    out += "candour_http_request_seconds_sum{" + label + "} " +
           std::to_string(static_cast<double>(r.micros.load(std::memory_order_relaxed)) / 1e6) +
           "\n";
    out += "candour_http_request_seconds_count{" + label + "} " + std::to_string(count) + "\n";
  }
  out += "# HELP candour_commit_batches_total Durable write batches (one WAL sync each).\n";
  out += "# TYPE candour_commit_batches_total counter\n";
  out += "candour_commit_batches_total " + std::to_string(commits.batches) + "\n";
  out += "# HELP candour_commit_records_total Responses written durably.\n";
  out += "# TYPE candour_commit_records_total counter\n";
  out += "candour_commit_records_total " + std::to_string(commits.records) + "\n";
  out += "# HELP candour_commit_seconds_total Time spent writing and syncing batches.\n";
  out += "# TYPE candour_commit_seconds_total counter\n";
  out += "candour_commit_seconds_total " +
         std::to_string(static_cast<double>(commits.write_micros) / 1e6) + "\n";
  out += "# HELP candour_commit_largest_batch Most responses written in one batch.\n";
  out += "# TYPE candour_commit_largest_batch gauge\n";
  out += "candour_commit_largest_batch " + std::to_string(commits.largest_batch) + "\n";
  out += "# HELP candour_incidents_total Failures reported to the operator, by kind.\n";
  out += "# TYPE candour_incidents_total counter\n";
  for (int k = 0; k < static_cast<int>(survey::Incident::kCount); ++k) {
    const auto kind = static_cast<survey::Incident>(k);
    out += std::string("candour_incidents_total{kind=\"") + survey::IncidentName(kind) + "\"} " +
           std::to_string(incidents_.count(kind)) + "\n";
  }
  return out;
}

std::string Metrics::RenderSpace(const store::SpaceState& space) const {
  std::string out;
  auto metric = [&out](const char* name, const char* type, const char* help, uint64_t value) {
    out += std::string("# HELP ") + name + " " + help + "\n# TYPE " + name + " " + type + "\n" +
           name + " " + std::to_string(value) + "\n";
  };
  metric("candour_disk_full_refusals_total", "counter",
         "Submissions refused with 503 because the data folder's disk was full.",
         disk_full_refusals_.load(std::memory_order_relaxed));
  metric("candour_disk_full", "gauge",
         "1 while the store refuses writes because its disk is full, else 0.", space.refusing);
  metric("candour_disk_full_episodes_total", "counter",
         "Times the store found its disk full since it started.", space.full_episodes);
  metric("candour_disk_free_bytes", "gauge",
         "Free space on the data folder's disk, besides the reserve.", space.free_bytes);
  metric("candour_disk_reserve_bytes", "gauge",
         "The space the store keeps in reserve in the data folder.", space.reserve_bytes);
  metric("candour_disk_reserve_held", "gauge",
         "1 while the reserve file is in place, 0 after it was released to the database.",
         space.reserve_held);
  return out;
}

}  // namespace candour::server
