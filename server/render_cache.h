// RenderCache: what a release renders to (the results API's JSON and CSV, the dashboard's
// pages and CSV), kept while that release is the one served, with its gzip made once. A
// release never changes, so neither does anything rendered from it: the first request for a
// view renders and compresses it, every later one copies bytes (at 1,000,000 responses a
// results view is 156 KB of JSON, 2 ms to render and 1-5 ms to compress; see bench/README.md).
// Only public, secret-free bodies go here (never a page that carries a code or a token).
// Thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "stats/release.h"

namespace candour::server {

class RenderCache {
 public:
  struct Rendered {
    std::string plain;
    std::string gzip;  // empty when the body is too small to be worth compressing
  };

  // Keeps at most `max_bytes` of bodies (plain and gzip together); the least recently used go
  // first, and so does everything of a release no longer held by anyone.
  explicit RenderCache(size_t max_bytes = size_t{64} << 20) : max_bytes_(max_bytes) {}

  // The body of `key` as rendered from `release`: render() is called (outside the lock) when
  // there is none for this release yet. `key` must name everything the body depends on besides
  // the release (survey, version, route, view, language).
  std::shared_ptr<const Rendered> Get(const std::shared_ptr<const stats::Release>& release,
                                      const std::string& key,
                                      const std::function<std::string()>& render);

  size_t bytes() const;    // held now
  size_t entries() const;  // held now

 private:
  struct Entry {
    std::weak_ptr<const stats::Release> release;
    const stats::Release* address = nullptr;  // which release, while it lives
    std::shared_ptr<const Rendered> body;
    uint64_t used = 0;
  };
  void EvictLocked();

  const size_t max_bytes_;
  mutable std::mutex mu_;
  std::map<std::string, Entry> entries_;
  size_t bytes_ = 0;
  uint64_t clock_ = 0;
};

}  // namespace candour::server
