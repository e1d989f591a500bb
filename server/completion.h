// Completion: awaits a survey service's completion callback (which may run on any thread: a
// service worker, the store's committer) and resumes the awaiting coroutine on its own
// executor, the session's strand. survey/ has no Asio; this is where its callbacks meet it.
// Thread-safe: the callback may be called from any thread, exactly once.
#pragma once

#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <functional>
#include <memory>

namespace candour::server {

// `start(done)` begins the work; the service calls `done(result)` once when it completes.
// The I/O loop is kept alive (a work guard) while the work is under way.
template <class T, class Start>
boost::asio::awaitable<T> Completion(Start start) {
  namespace asio = boost::asio;
  return asio::async_initiate<const asio::use_awaitable_t<>&, void(T)>(
      [](auto handler, Start begin) {
        using Resume = decltype(handler);
        auto ex = asio::get_associated_executor(handler);
        struct Pending {
          Resume handler;
          asio::executor_work_guard<decltype(ex)> work;
        };
        auto pending =
            std::make_shared<Pending>(Pending{std::move(handler), asio::make_work_guard(ex)});
        begin(std::function<void(T)>([pending](T result) {
          asio::post(pending->work.get_executor(), [pending, result = std::move(result)]() mutable {
            std::move(pending->handler)(std::move(result));
            pending->work.reset();
          });
        }));
      },
      asio::use_awaitable, std::move(start));
}

}  // namespace candour::server
