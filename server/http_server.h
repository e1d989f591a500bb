// HttpServer: the Beast listener and sessions. One coroutine per connection on its own strand;
// every request has one deadline for its header and body, and every parser a header limit and
// the body limit of the request's route (App::BodyLimit, set once the header is read).
// Requests go to App.
// Thread-safe: Start and Stop from one controlling thread; sessions run on the I/O threads.
#pragma once

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/strand.hpp>
#include <boost/system/result.hpp>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <thread>
#include <vector>

#include "server/app.h"
#include "server/config.h"

namespace candour::server {

class HttpServer {
 public:
  // `config` and `app` must outlive the server.
  HttpServer(const ServerConfig& config, App& app);
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;
  // Stops (see Stop) if still running.
  ~HttpServer();

  // Binds, listens and starts the I/O threads. Returns the bound endpoint (the real port when
  // config.port is 0), or the error from bind/listen (e.g. address in use), of the main
  // listener or of the metrics listener (config.metrics_address), when there is one.
  // `on_bound` (may be empty) runs once the port is known, before any request is accepted.
  [[nodiscard]] boost::system::result<boost::asio::ip::tcp::endpoint> Start(
      const std::function<void(const boost::asio::ip::tcp::endpoint&)>& on_bound = {});

  // Graceful stop: the App's release builder is stopped first (App::StopBuilding); no new
  // connections; idle connections are closed; requests in flight (including submissions
  // waiting for their sync) finish, up to config.shutdown_grace.
  void Stop();

  boost::asio::io_context& io_context() { return ioc_; }
  // The metrics listener's endpoint once Start has bound it; nullopt without one.
  const std::optional<boost::asio::ip::tcp::endpoint>& metrics_endpoint() const {
    return metrics_endpoint_;
  }

 private:
  struct Connection;
  // Accepts on `acceptor` until shutdown; `metrics_only`: the metrics listener's connections.
  boost::asio::awaitable<void> Accept(boost::asio::ip::tcp::acceptor& acceptor, bool metrics_only);
  // Opens, binds and listens `acceptor` on `address`:`port`; returns the bound endpoint.
  static boost::system::result<boost::asio::ip::tcp::endpoint> Listen(
      boost::asio::ip::tcp::acceptor& acceptor, const std::string& address, uint16_t port);
  // Serves a newly accepted connection, or turns it away when there are too many, in all or
  // from its address. On the accept strand.
  void Admit(boost::asio::ip::tcp::socket socket, bool metrics_only);
  // Writes a 503 with `message` (and the headers every reply carries) and closes the socket.
  void TurnAway(boost::asio::ip::tcp::socket& socket, std::string_view message);
  boost::asio::awaitable<void> Serve(std::shared_ptr<Connection> conn);
  void CloseIdle();

  // Constant after construction.
  const ServerConfig& config_;
  App& app_;

  boost::asio::io_context ioc_;
  // The acceptor is used only on this strand (accept loop and close at shutdown).
  boost::asio::strand<boost::asio::io_context::executor_type> accept_strand_;
  boost::asio::ip::tcp::acceptor acceptor_;
  boost::asio::ip::tcp::acceptor metrics_acceptor_;  // open only with config.metrics_address
  std::optional<boost::asio::ip::tcp::endpoint> metrics_endpoint_;  // set by Start
  std::vector<std::thread> threads_;
  std::atomic<bool> stopping_{false};

  // State below is protected by mu_.
  std::mutex mu_;
  std::set<std::shared_ptr<Connection>> connections_;
  // Open connections by LimitKey of the peer, for peers that are not trusted proxies (an entry
  // lives only while its connections are open: the socket knows the address anyway).
  std::map<boost::asio::ip::address, size_t> per_address_;
};

}  // namespace candour::server
