// SpaceGuard: keeps a full disk from stopping, aborting or damaging the store, and lets it
// recover by itself once space returns.
//
// A reserve file of `reserve_bytes` is kept allocated in the data folder. Writes are refused
// (Admit) while less than that is free besides it, so the database normally never meets a full
// disk. When something else fills the disk anyway, every file RocksDB appends to is checked
// first (BeforeAppend, from the file system wrapper in store/space_files.h) and the reserve is
// released before the append could fail: RocksDB finishes its log, table and manifest writes
// in the room it leaves, and never sees ENOSPC on its write-ahead log (after which Debian's
// RocksDB 7.8 aborts on the next append to that log). Should RocksDB stop on a full disk all
// the same (OnNoSpace, from its error listener), the guard's thread resumes it once there is
// room. The same thread re-creates the reserve and takes writes again once space returns;
// each change is one line for the operator. Nothing about a resident is involved.
//
// Thread-safe: every method may be called from any thread.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

#include "store/store.h"

namespace candour::store {

struct SpaceGuardOptions {
  // The data folder (it holds the reserve). Default: none, required.
  std::filesystem::path dir;
  // See StoreOptions::space_reserve_bytes. Default: 0 (a sixteenth of the file system, at
  // least 1 MiB and at most 64 MiB).
  uint64_t reserve_bytes = 0;
  // Receives each line for the operator. Default: standard error, after "candour: ".
  std::function<void(std::string_view line)> log = {};
  // How often the thread looks at the free space while the disk is full. Default: 200 ms.
  std::chrono::milliseconds poll{200};
};

class SpaceGuard {
 public:
  // Resumes the stopped database; false (with RocksDB's words in `why`) if it did not.
  using Resume = std::function<bool(std::string* why)>;

  // The reserve file's name in the data folder (not a name RocksDB uses or deletes).
  static constexpr char kReserveFileName[] = "candour-space-reserve";

  // Reads the state of the data folder; starts nothing. REQUIRES: options.dir exists.
  explicit SpaceGuard(SpaceGuardOptions options);
  SpaceGuard(const SpaceGuard&) = delete;
  SpaceGuard& operator=(const SpaceGuard&) = delete;
  ~SpaceGuard();  // Stop()

  // Before the database is opened: releases the reserve if less than its size is free, so that
  // the open (replaying the log, a new manifest) has room. Then the guard refuses writes until
  // space returns.
  void ReleaseIfLow();

  // Once the database is open: makes the reserve if there is room for it (refusing writes
  // until there is), and starts the thread, which calls `resume` after OnNoSpace.
  void Start(Resume resume);
  // Joins the thread. REQUIRES: before the database `resume` uses is closed. Idempotent.
  void Stop();

  // Before a write: true if it may go ahead. False while the disk is full (less than the
  // reserve's size free besides it, or the reserve released): the caller returns kNoSpace.
  bool Admit();
  // Before RocksDB appends `bytes` to a file: releases the reserve if the append might not fit.
  void BeforeAppend(uint64_t bytes);
  // RocksDB met a full disk (a write, flush or manifest update failed with ENOSPC) and stopped
  // writing (`what`: its words): releases the reserve, refuses writes, and resumes RocksDB once
  // there is room.
  void OnNoSpace(std::string_view what);

  // Whether the store must put its pad back in a memtable (store/space_files.h: WritePad)
  // before its next write: true once after construction and after each NeedPad.
  bool TakePadNeeded() { return pad_needed_.exchange(false, std::memory_order_acq_rel); }
  void NeedPad() { pad_needed_.store(true, std::memory_order_release); }

  SpaceState State() const;
  uint64_t reserve_bytes() const { return reserve_bytes_; }

 private:
  void Run();
  // REQUIRES: mu_ held. Enter or leave the refusing state, saying so once.
  void EnterFullLocked(uint64_t free, std::string_view why);
  void LeaveFullLocked(uint64_t free);
  // REQUIRES: mu_ held.
  void ReleaseLocked(std::string_view why);
  bool MakeReserveLocked();
  // The free space from statvfs.
  uint64_t FreeBytes() const;
  // The free space after `consuming` more bytes: statvfs costs about 20 us here, so the figure
  // is taken again only every kSpaceGuardStatEvery, or when it comes near the reserve; in
  // between, what RocksDB appends is taken off it.
  uint64_t FreeAfter(uint64_t consuming);
  void Say(const std::string& line) const;

  // Constant after construction.
  const SpaceGuardOptions options_;
  const std::filesystem::path reserve_path_;
  uint64_t reserve_bytes_ = 0;  // set in the constructor only

  std::atomic<bool> refusing_{false};  // read without mu_ on every write
  std::atomic<bool> reserve_held_{false};
  std::atomic<uint64_t> refused_{0};
  std::atomic<bool> pad_needed_{true};

  // The estimate below is protected by stat_mu_ (never held with mu_ waiting on it).
  std::mutex stat_mu_;
  uint64_t estimate_ = 0;
  std::chrono::steady_clock::time_point estimated_at_{};

  // State below is protected by mu_.
  mutable std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;
  bool needs_resume_ = false;
  std::string stopped_because_;
  uint64_t episodes_ = 0;
  uint64_t refused_at_episode_start_ = 0;
  std::chrono::steady_clock::time_point last_resume_{};
  Resume resume_;

  std::thread thread_;  // started by Start, joined by Stop
};

}  // namespace candour::store
