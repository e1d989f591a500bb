// GroupCommitter: one thread that takes every record queued since its last write, hands them
// to a write function as one batch (one durable write, one WAL sync), then runs each record's
// completion. Under load the batch grows by itself; no timer is involved.
// Thread-safe: Enqueue and Close may be called from any thread.
#pragma once

#include <boost/system/error_code.hpp>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <span>
#include <string>
#include <thread>

namespace candour::store {

struct GroupCommitterOptions {
  // Most records in one batch. 1 turns group commit off: one write and sync per record.
  // Default: 1024.
  size_t max_batch_records = 1024;
  // Most payload bytes in one batch (a single larger record still goes alone). Default: 1 MiB.
  size_t max_batch_bytes = size_t{1} << 20;
  // Most records waiting; beyond it Enqueue fails with Errc::kOverloaded. Default: 65536.
  size_t max_queued_records = 65536;
};

struct CommitStats {
  uint64_t batches = 0;
  uint64_t records = 0;
  uint64_t write_micros = 0;  // total time spent in the write function (includes the sync)
  uint64_t largest_batch = 0;
};

class GroupCommitter {
 public:
  using Done = std::function<void(boost::system::error_code)>;
  struct Record {
    std::string survey_id;
    std::string plaintext;
    Done done;  // runs on the committer thread; keep it short (post elsewhere)
  };
  // Writes the whole batch durably or not at all; returns the error for every record.
  using WriteFn = std::function<boost::system::error_code(std::span<Record>)>;

  GroupCommitter(GroupCommitterOptions options, WriteFn write);
  GroupCommitter(const GroupCommitter&) = delete;
  GroupCommitter& operator=(const GroupCommitter&) = delete;
  // Closes (see Close) if not already closed.
  ~GroupCommitter();

  // Queues a record. On success its `done` runs exactly once, after its batch is written.
  // Errc::kOverloaded if the queue is full, Errc::kClosed after Close; `done` is then never run.
  [[nodiscard]] boost::system::error_code Enqueue(Record record);

  // Stops taking records, writes everything already queued, and joins the thread.
  void Close();

  CommitStats Stats() const;

 private:
  void Run();

  // Constant after construction.
  const GroupCommitterOptions options_;
  const WriteFn write_;

  // State below is protected by mu_.
  mutable std::mutex mu_;
  std::condition_variable wake_;
  std::deque<Record> queue_;
  bool closed_ = false;
  CommitStats stats_;

  std::thread thread_;  // started last, joined by Close
};

}  // namespace candour::store
