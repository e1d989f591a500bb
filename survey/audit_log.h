// AuditLog: the organisers' actions (surveys created, versioned, opened, closed, published;
// codes issued; comments exported; the admin token rotated), one JSON line each in
// DATA/audit.log. Each entry carries the hash of the one before, and the newest entry's
// number and hash are also kept in the store, so an edited, deleted or truncated entry is
// detected by Verify. It records what organisers did, never anything about residents.
// Thread-safe: Append serialises writers.
#pragma once

#include <boost/system/result.hpp>
#include <chrono>
#include <filesystem>
#include <mutex>
#include <string>
#include <string_view>

#include "store/store.h"

namespace candour::survey {

class AuditLog {
 public:
  // The log of the data folder `dir` (created on first Append). `store` must outlive it.
  AuditLog(std::filesystem::path dir, store::Store& store);

  // Appends one entry and syncs it. On failure the action should be reported as failed:
  // Errc::kAuditLogIo if the file cannot be written, the store's error if the head cannot be
  // stored, and Errc::kAuditLogBroken without writing if the file does not end at the head
  // kept in the store (edited, cut or replaced).
  [[nodiscard]] boost::system::error_code Append(std::chrono::system_clock::time_point when,
                                                 std::string_view action, std::string_view survey,
                                                 std::string_view detail);

  // Checks every entry's chain and the stored head. Returns the number of entries, or a
  // message naming the first bad entry ("entry 3: ...").
  [[nodiscard]] static boost::system::result<size_t, std::string> Verify(
      const std::filesystem::path& dir, store::Store& store);

  // The log's file (DATA/audit.log); Verify takes its parent_path().
  const std::filesystem::path& path() const { return path_; }

  static std::filesystem::path PathIn(const std::filesystem::path& dir) {
    return dir / "audit.log";
  }

 private:
  const std::filesystem::path path_;
  store::Store& store_;
  std::mutex mu_;
  uint64_t seq_ = 0;     // guarded by mu_: the last entry's number
  std::string head_;     // guarded by mu_: the last entry's hash
  bool broken_ = false;  // guarded by mu_: the file and the stored head disagree
};

}  // namespace candour::survey
