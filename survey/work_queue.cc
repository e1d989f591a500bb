#include "survey/work_queue.h"

#include <cassert>

namespace candour::survey {

WorkQueue::WorkQueue() : thread_([this] { Run(); }) {}

WorkQueue::~WorkQueue() { Stop(); }

void WorkQueue::Post(Task task) {
  assert(task);
  {
    std::lock_guard lock(mu_);
    if (!stopped_) {
      tasks_.push_back(std::move(task));
      wake_.notify_one();
      return;
    }
  }
  task();
}

void WorkQueue::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
    wake_.notify_one();
  }
  if (thread_.joinable()) {
    assert(thread_.get_id() != std::this_thread::get_id());
    thread_.join();
  }
}

void WorkQueue::Run() {
  std::unique_lock lock(mu_);
  for (;;) {
    wake_.wait(lock, [this] { return stopping_ || !tasks_.empty(); });
    if (tasks_.empty()) break;  // stopping, and nothing is left
    Task task = std::move(tasks_.front());
    tasks_.pop_front();
    lock.unlock();
    task();
    task = nullptr;  // what it holds (callers' handlers) is released before the next wait
    lock.lock();
  }
  stopped_ = true;
}

}  // namespace candour::survey
