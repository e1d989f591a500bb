#include "store/group_committer.h"

#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <vector>

#include "store/errc.h"

namespace candour::store {
namespace {

using boost::system::error_code;

TEST(GroupCommitterTest, EveryRecordCompletesOnceAndBatchesGrowUnderLoad) {
  std::promise<void> release;
  std::shared_future<void> gate = release.get_future().share();
  std::atomic<int> writes{0};
  GroupCommitter committer({.max_batch_records = 1024}, [&](std::span<GroupCommitter::Record>) {
    if (writes++ == 0) gate.wait();  // hold the first write so the rest queue up behind it
    return error_code();
  });
  std::atomic<int> done{0};
  for (int i = 0; i < 100; ++i) {
    ASSERT_FALSE(committer.Enqueue({"s", "p", [&](error_code ec) {
                                      EXPECT_FALSE(ec);
                                      ++done;
                                    }}));
  }
  release.set_value();
  committer.Close();
  EXPECT_EQ(done.load(), 100);
  const CommitStats stats = committer.Stats();
  EXPECT_EQ(stats.records, 100u);
  EXPECT_LE(stats.batches, 3u);  // the first record alone, the other 99 together (or split once)
  EXPECT_GE(stats.largest_batch, 50u);
}

TEST(GroupCommitterTest, BatchOfOneWhenGroupCommitIsOff) {
  GroupCommitter committer({.max_batch_records = 1}, [](std::span<GroupCommitter::Record> batch) {
    EXPECT_EQ(batch.size(), 1u);
    return error_code();
  });
  for (int i = 0; i < 20; ++i) ASSERT_FALSE(committer.Enqueue({"s", "p", [](error_code) {}}));
  committer.Close();
  EXPECT_EQ(committer.Stats().batches, 20u);
}

TEST(GroupCommitterTest, WriteErrorReachesEveryRecordOfTheBatch) {
  GroupCommitter committer({},
                           [](std::span<GroupCommitter::Record>) { return error_code(Errc::kIo); });
  std::atomic<int> failed{0};
  for (int i = 0; i < 10; ++i) {
    ASSERT_FALSE(committer.Enqueue({"s", "p", [&](error_code ec) {
                                      EXPECT_EQ(ec, Errc::kIo);
                                      ++failed;
                                    }}));
  }
  committer.Close();
  EXPECT_EQ(failed.load(), 10);
}

TEST(GroupCommitterTest, FullQueueIsOverloadedAndClosedRejects) {
  std::promise<void> release;
  std::shared_future<void> gate = release.get_future().share();
  GroupCommitter committer({.max_queued_records = 4}, [&](std::span<GroupCommitter::Record>) {
    gate.wait();
    return error_code();
  });
  error_code last;
  int accepted = 0;
  for (int i = 0; i < 10 && !last; ++i) {
    last = committer.Enqueue({"s", "p", [](error_code) {}});
    if (!last) ++accepted;
  }
  EXPECT_EQ(last, Errc::kOverloaded);
  EXPECT_GE(accepted, 4);
  EXPECT_LE(accepted, 5);  // 4 queued, plus possibly one already taken by the writer
  release.set_value();
  committer.Close();
  EXPECT_EQ(committer.Enqueue({"s", "p", [](error_code) { ADD_FAILURE(); }}), Errc::kClosed);
}

TEST(GroupCommitterTest, BatchBytesAreCapped) {
  std::vector<size_t> sizes;
  std::promise<void> release;
  std::shared_future<void> gate = release.get_future().share();
  GroupCommitter committer({.max_batch_bytes = 100}, [&](std::span<GroupCommitter::Record> b) {
    gate.wait();
    sizes.push_back(b.size());
    return error_code();
  });
  for (int i = 0; i < 11; ++i) {
    ASSERT_FALSE(committer.Enqueue({"s", std::string(40, 'x'), [](error_code) {}}));
  }
  release.set_value();
  committer.Close();
  for (size_t s : sizes) EXPECT_LE(s, 2u);  // 2 x 40 bytes fit under 100, 3 do not
}

}  // namespace
}  // namespace candour::store
