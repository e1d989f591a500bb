#include "survey/work_queue.h"

#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <vector>

namespace candour::survey {
namespace {

TEST(WorkQueueTest, RunsTasksInOrderOnItsOwnThread) {
  WorkQueue queue;
  std::vector<int> order;
  std::promise<std::thread::id> ran_on;
  for (int i = 0; i < 100; ++i) queue.Post([&order, i] { order.push_back(i); });
  queue.Post([&] { ran_on.set_value(std::this_thread::get_id()); });
  EXPECT_NE(ran_on.get_future().get(), std::this_thread::get_id());
  queue.Stop();
  ASSERT_EQ(order.size(), 100u);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(order[static_cast<size_t>(i)], i);
}

TEST(WorkQueueTest, StopRunsWhatIsQueuedAndLaterTasksRunAtOnce) {
  WorkQueue queue;
  std::atomic<int> ran{0};
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  queue.Post([released] { released.wait(); });
  for (int i = 0; i < 10; ++i) queue.Post([&] { ++ran; });
  // A task posted by a task while stopping still runs.
  queue.Post([&] { queue.Post([&] { ++ran; }); });
  std::thread stopper([&] { queue.Stop(); });
  release.set_value();
  stopper.join();
  EXPECT_EQ(ran.load(), 11);
  queue.Post([&] { ++ran; });  // no thread any more: on this one, before Post returns
  EXPECT_EQ(ran.load(), 12);
}

}  // namespace
}  // namespace candour::survey
