// WorkQueue: one thread of our own that runs posted tasks one at a time, in the order posted,
// so that a service's blocking steps (synced writes, scans) leave the caller's threads. survey/
// has no Asio; this is the small part of a thread pool the services need.
// Thread-safe: Post and Stop may be called from any thread (Stop not from a task).
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

namespace candour::survey {

class WorkQueue {
 public:
  using Task = std::function<void()>;

  WorkQueue();
  WorkQueue(const WorkQueue&) = delete;
  WorkQueue& operator=(const WorkQueue&) = delete;
  // Stops (see Stop) if not already stopped.
  ~WorkQueue();

  // Queues `task` to run on the queue's thread after every task posted before it.
  // After Stop there is no thread: `task` runs at once on the calling thread, so that no
  // completion is ever dropped.
  void Post(Task task);

  // Runs every task already queued (and those they post), then joins the thread.
  void Stop();

 private:
  void Run();

  // State below is protected by mu_.
  std::mutex mu_;
  std::condition_variable wake_;
  std::deque<Task> tasks_;
  bool stopping_ = false;
  bool stopped_ = false;  // the thread has finished

  std::thread thread_;  // last: started once everything above is ready
};

}  // namespace candour::survey
