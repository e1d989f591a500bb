#include "store/backup.h"

#include <fcntl.h>
#include <rocksdb/utilities/checkpoint.h>
#include <unistd.h>

#include <algorithm>
#include <cassert>
#include <cstdio>
#include <memory>
#include <regex>

#include "store/checkpoint_db.h"
#include "store/errc.h"

namespace candour::store {
namespace {

namespace fs = std::filesystem;
using boost::system::error_code;

// Syncs a file or folder; false on failure.
bool SyncPath(const fs::path& path, bool directory) {
  const int fd = ::open(path.c_str(), (directory ? O_DIRECTORY : 0) | O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  const bool ok = ::fsync(fd) == 0;
  ::close(fd);
  return ok;
}

// `to` must be new and its parent must exist: a backup never writes into anything present.
error_code CheckNewFolder(const fs::path& to) {
  std::error_code ec;
  if (to.empty() || fs::exists(fs::symlink_status(to, ec))) return Errc::kInvalid;
  const fs::path parent = fs::absolute(to, ec).parent_path();
  if (ec || !fs::is_directory(parent, ec)) return Errc::kInvalid;
  return {};
}

// Copies regular file `from` to `to` (new) and syncs it.
bool CopySynced(const fs::path& from, const fs::path& to) {
  std::error_code ec;
  return fs::copy_file(from, to, fs::copy_options::none, ec) && SyncPath(to, false);
}

const std::regex& BackupNamePattern() {
  static const std::regex kPattern(R"(candour-\d{4}-\d{2}-\d{2})");
  return kPattern;
}

}  // namespace

error_code Store::Checkpoint(const fs::path&, const std::vector<std::string>&) {
  return Errc::kInvalid;
}

error_code CheckpointDb(rocksdb::DB& db, const fs::path& dir,
                        const std::vector<std::string>& data_files) {
  if (auto ec = CheckNewFolder(dir)) return ec;
  std::error_code fs_ec;
  const fs::path absolute = fs::absolute(dir, fs_ec);
  if (fs_ec) return Errc::kIo;
  rocksdb::Checkpoint* raw = nullptr;
  if (!rocksdb::Checkpoint::Create(&db, &raw).ok()) return Errc::kIo;
  const std::unique_ptr<rocksdb::Checkpoint> checkpoint(raw);
  // Made in DIR.tmp and renamed to DIR by RocksDB, so DIR is whole or absent.
  if (!checkpoint->CreateCheckpoint(absolute.string()).ok()) return Errc::kIo;
  const fs::path data_dir = db.GetName();
  for (const std::string& name : data_files) {
    if (!fs::exists(data_dir / name, fs_ec)) continue;  // e.g. no audit log before any action
    if (!CopySynced(data_dir / name, absolute / name)) {
      fs::remove_all(absolute, fs_ec);
      return Errc::kIo;
    }
  }
  if (!SyncPath(absolute, true) || !SyncPath(absolute.parent_path(), true)) return Errc::kIo;
  return {};
}

error_code RestoreCopy(const fs::path& from, const fs::path& to,
                       const std::function<error_code(const fs::path&)>& check) {
  std::error_code ec;
  if (!Store::Exists(from) || !fs::is_directory(from, ec)) return Errc::kInvalid;
  if (auto invalid = CheckNewFolder(to)) return invalid;
  fs::path partial = to;
  partial += ".partial";
  fs::remove_all(partial, ec);  // left by an interrupted restore
  if (!fs::create_directory(partial, ec)) return Errc::kIo;
  auto fail = [&](error_code why) {
    fs::remove_all(partial, ec);
    return why;
  };
  for (const fs::directory_entry& entry : fs::directory_iterator(from, ec)) {
    if (!entry.is_regular_file(ec)) continue;
    if (!CopySynced(entry.path(), partial / entry.path().filename())) return fail(Errc::kIo);
  }
  if (ec || !SyncPath(partial, true)) return fail(Errc::kIo);
  if (auto why = check(partial)) return fail(why);
  fs::rename(partial, to, ec);
  if (ec || !SyncPath(fs::absolute(to).parent_path(), true)) return fail(Errc::kIo);
  return {};
}

std::string BackupName(std::chrono::sys_days day) {
  const std::chrono::year_month_day ymd(day);
  char name[32];
  std::snprintf(name, sizeof name, "candour-%04d-%02u-%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  return name;
}

std::vector<std::string> PruneBackups(const fs::path& dir, int keep) {
  std::vector<std::string> names;
  std::error_code ec;
  for (const fs::directory_entry& entry : fs::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    if (entry.is_directory(ec) && std::regex_match(name, BackupNamePattern())) {
      names.push_back(name);
    }
  }
  std::sort(names.begin(), names.end());  // by date: the names sort as the days do
  std::vector<std::string> removed;
  for (size_t i = 0; i + static_cast<size_t>(keep) < names.size(); ++i) {
    if (fs::remove_all(dir / names[i], ec) > 0 && !ec) removed.push_back(names[i]);
  }
  return removed;
}

BackupSchedule::BackupSchedule(Store& store, BackupScheduleOptions options)
    : store_(store), options_(std::move(options)), thread_([this] { Run(); }) {
  assert(options_.keep >= 1);
}

BackupSchedule::~BackupSchedule() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void BackupSchedule::Run() {
  std::unique_lock lock(mu_);
  while (!stop_) {
    lock.unlock();
    BackUpToday();
    lock.lock();
    // Until just after the next UTC midnight by the schedule's clock (checked every minute,
    // so that a clock that jumps, or a test's, is followed).
    const auto today = std::chrono::floor<std::chrono::days>(options_.now());
    while (!stop_ && std::chrono::floor<std::chrono::days>(options_.now()) == today) {
      wake_.wait_for(lock, std::chrono::minutes(1));
    }
  }
}

void BackupSchedule::BackUpToday() {
  auto log = [&](const std::string& line) {
    if (options_.log) options_.log(line);
  };
  std::error_code ec;
  fs::create_directories(options_.dir, ec);
  const std::string name = BackupName(std::chrono::floor<std::chrono::days>(options_.now()));
  const fs::path to = options_.dir / name;
  if (fs::exists(to, ec)) return;  // made today already (before a restart)
  const auto start = std::chrono::steady_clock::now();
  if (auto failed = store_.Checkpoint(to, options_.data_files)) {
    log("scheduled backup to " + to.string() + " failed: " + failed.message());
    return;
  }
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::steady_clock::now() - start)
                      .count();
  log("backed up to " + to.string() + " in " + std::to_string(ms) + " ms");
  for (const std::string& removed : PruneBackups(options_.dir, options_.keep)) {
    log("removed the old backup " + (options_.dir / removed).string());
  }
}

}  // namespace candour::store
