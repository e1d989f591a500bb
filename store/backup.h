// Backups of a data folder: consistent, openable copies made while the store keeps serving
// (RocksDB checkpoints: Store::Checkpoint makes them), copied back by RestoreCopy, and made daily
// by a BackupSchedule that keeps the newest few. A backup holds only what the data folder holds:
// responses stay sealed, and the data key, which lives outside the folder, is never in it.
// Free functions are thread-safe; BackupSchedule's methods are called by its owner only.
#pragma once

#include <boost/system/error_code.hpp>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "store/store.h"

namespace candour::store {

// Copies the backup `from` into the new folder `to` (which must not exist): files are written
// to `to` + ".partial", synced, and renamed to `to` only once `check(partial)` returns no
// error, so a failed or interrupted restore never leaves a half-copied data folder at `to`.
// Errc::kInvalid if `from` holds no database or `to` exists; kIo on a copy failure; else what
// `check` returned.
[[nodiscard]] boost::system::error_code RestoreCopy(
    const std::filesystem::path& from, const std::filesystem::path& to,
    const std::function<boost::system::error_code(const std::filesystem::path&)>& check);

// The name of the scheduled backup of `day`: "candour-YYYY-MM-DD".
std::string BackupName(std::chrono::sys_days day);

// Removes the scheduled backups in `dir` (folders named as BackupName makes) beyond the
// `keep` newest; anything else in `dir` is left alone. Returns the names removed.
std::vector<std::string> PruneBackups(const std::filesystem::path& dir, int keep);

struct BackupScheduleOptions {
  // The folder of scheduled backups (created if missing). Default: none, required.
  std::filesystem::path dir;
  // How many of the newest backups are kept. Default: 7.
  int keep = 7;
  // Files of the data folder copied into each backup (see Store::Checkpoint). Default: none.
  std::vector<std::string> data_files;
  // Where each backup made, and each failure, is reported. Default: none.
  std::function<void(std::string_view line)> log;
  // The clock that names backups by their UTC day. Default: system clock.
  std::function<std::chrono::system_clock::time_point()> now = [] {
    return std::chrono::system_clock::now();
  };
};

// Backs `store` up once a day: at start when today's backup is missing, then after each UTC
// midnight, each into dir/BackupName(today), pruning to the `keep` newest after each.
// Stops (finishing a backup under way) and joins when destroyed.
class BackupSchedule {
 public:
  // REQUIRES: options.keep >= 1; `store` outlives this.
  BackupSchedule(Store& store, BackupScheduleOptions options);
  ~BackupSchedule();
  BackupSchedule(const BackupSchedule&) = delete;
  BackupSchedule& operator=(const BackupSchedule&) = delete;

 private:
  void Run();
  void BackUpToday();

  // Constant after construction.
  Store& store_;
  const BackupScheduleOptions options_;

  std::mutex mu_;
  std::condition_variable wake_;
  bool stop_ = false;   // guarded by mu_
  std::thread thread_;  // last: starts once the members above exist
};

}  // namespace candour::store
