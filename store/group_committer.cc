#include "store/group_committer.h"

#include <chrono>
#include <vector>

#include "store/errc.h"

namespace candour::store {

GroupCommitter::GroupCommitter(GroupCommitterOptions options, WriteFn write)
    : options_(options), write_(std::move(write)), thread_([this] { Run(); }) {}

GroupCommitter::~GroupCommitter() { Close(); }

boost::system::error_code GroupCommitter::Enqueue(Record record) {
  {
    std::lock_guard lock(mu_);
    if (closed_) return Errc::kClosed;
    if (queue_.size() >= options_.max_queued_records) return Errc::kOverloaded;
    queue_.push_back(std::move(record));
  }
  wake_.notify_one();
  return {};
}

void GroupCommitter::Close() {
  {
    std::lock_guard lock(mu_);
    closed_ = true;
  }
  wake_.notify_one();
  if (thread_.joinable()) thread_.join();
}

CommitStats GroupCommitter::Stats() const {
  std::lock_guard lock(mu_);
  return stats_;
}

void GroupCommitter::Run() {
  std::vector<Record> batch;
  for (;;) {
    batch.clear();
    {
      std::unique_lock lock(mu_);
      wake_.wait(lock, [this] { return closed_ || !queue_.empty(); });
      if (queue_.empty()) return;  // closed and drained
      size_t bytes = 0;
      while (
          !queue_.empty() && batch.size() < options_.max_batch_records &&
          (batch.empty() || bytes + queue_.front().plaintext.size() <= options_.max_batch_bytes)) {
        bytes += queue_.front().plaintext.size();
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    const auto start = std::chrono::steady_clock::now();
    const boost::system::error_code ec = write_(batch);
    const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(
                            std::chrono::steady_clock::now() - start)
                            .count();
    {
      std::lock_guard lock(mu_);
      stats_.batches += 1;
      stats_.records += batch.size();
      stats_.write_micros += static_cast<uint64_t>(micros);
      if (batch.size() > stats_.largest_batch) stats_.largest_batch = batch.size();
    }
    for (Record& r : batch) r.done(ec);
  }
}

}  // namespace candour::store
