#include "server/http_server.h"

#include <array>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "server/client_address.h"
#include "server/gzip.h"

namespace candour::server {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using boost::system::error_code;
constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);
// How long a refused body is read and dropped before the connection closes.
constexpr std::chrono::seconds kLinger{1};
const boost::system::error_category& kHttpErrors =
    http::make_error_code(http::error::bad_target).category();

// The message of the exception that ended a coroutine (the library's words, never a client's).
std::string What(std::exception_ptr e) {
  try {
    std::rethrow_exception(e);
  } catch (const std::exception& x) {
    return x.what();
  } catch (...) {
    return "unknown exception";
  }
}

}  // namespace

struct HttpServer::Connection {
  Connection(tcp::socket socket, std::optional<asio::ip::address> counted_as, bool metrics)
      : stream(std::move(socket)), counted(std::move(counted_as)), metrics_only(metrics) {}
  beast::tcp_stream stream;
  // Its key in HttpServer::per_address_; none for a trusted proxy's. Constant.
  const std::optional<asio::ip::address> counted;
  // Accepted on the metrics listener (App::Handle serves only the operator's routes). Constant.
  const bool metrics_only;
  bool idle = true;  // waiting for a request; guarded by HttpServer::mu_
};

HttpServer::HttpServer(const ServerConfig& config, App& app)
    : config_(config),
      app_(app),
      accept_strand_(asio::make_strand(ioc_)),
      acceptor_(accept_strand_),
      metrics_acceptor_(accept_strand_) {}

HttpServer::~HttpServer() { Stop(); }

boost::system::result<tcp::endpoint> HttpServer::Listen(tcp::acceptor& acceptor,
                                                        const std::string& address_text,
                                                        uint16_t port) {
  error_code ec;
  const auto address = asio::ip::make_address(address_text, ec);
  if (ec) return ec;
  const tcp::endpoint endpoint(address, port);
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return ec;
  const tcp::endpoint bound = acceptor.local_endpoint(ec);
  if (ec) return ec;
  return bound;
}

boost::system::result<tcp::endpoint> HttpServer::Start(
    const std::function<void(const tcp::endpoint&)>& on_bound) {
  const auto bound = Listen(acceptor_, config_.address, config_.port);
  if (!bound) return bound.error();
  if (!config_.metrics_address.empty()) {
    const auto metrics = Listen(metrics_acceptor_, config_.metrics_address, config_.metrics_port);
    if (!metrics) return metrics.error();
    metrics_endpoint_ = *metrics;
  }
  if (on_bound) on_bound(*bound);
  auto report = [this](std::exception_ptr e) {
    if (e) {
      app_.incidents().Report(survey::Incident::kAcceptFailed,
                              "the accept loop stopped: " + What(e) + "; restart the service");
    }
  };
  asio::co_spawn(accept_strand_, Accept(acceptor_, false), report);
  if (metrics_endpoint_) asio::co_spawn(accept_strand_, Accept(metrics_acceptor_, true), report);
  for (int i = 0; i < std::max(1, config_.io_threads); ++i) {
    threads_.emplace_back([this] { ioc_.run(); });
  }
  return *bound;
}

void HttpServer::Stop() {
  if (threads_.empty() || stopping_.exchange(true)) return;
  // First, so that nothing below waits for a release build (which can take seconds) and the
  // builder gives the core back to the requests that finish.
  app_.StopBuilding();
  asio::post(accept_strand_, [this] {
    error_code ignored;
    acceptor_.close(ignored);
    metrics_acceptor_.close(ignored);
  });
  CloseIdle();
  // In-flight requests finish and their connections close; then run() returns by itself.
  const auto deadline = std::chrono::steady_clock::now() + config_.shutdown_grace;
  for (;;) {
    {
      std::lock_guard lock(mu_);
      if (connections_.empty()) break;
    }
    if (std::chrono::steady_clock::now() > deadline) break;
    CloseIdle();
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ioc_.stop();
  for (std::thread& t : threads_) t.join();
  threads_.clear();
}

void HttpServer::CloseIdle() {
  std::lock_guard lock(mu_);
  for (const auto& conn : connections_) {
    if (!conn->idle) continue;
    // Checked again on the connection's strand: a request that has arrived meanwhile is
    // answered (Serve closes after it), not cut off after its response was stored.
    asio::post(conn->stream.get_executor(), [this, conn] {
      {
        std::lock_guard relock(mu_);
        if (!conn->idle) return;
      }
      error_code ignored;
      conn->stream.socket().close(ignored);
    });
  }
}

asio::awaitable<void> HttpServer::Accept(tcp::acceptor& acceptor, bool metrics_only) {
  // After a failure, wait before accepting again, twice as long each time it repeats: a full
  // file table (EMFILE) stays full until connections close, and retrying at once would spin.
  constexpr std::chrono::milliseconds kFirstPause{10}, kLongestPause{1000};
  auto pause = kFirstPause;
  // Only shutdown ends the loop: every other failure is reported, waited out and retried, so
  // the server never stops taking connections without a trace.
  for (;;) {
    std::string failure;
    try {
      auto [ec, socket] = co_await acceptor.async_accept(asio::make_strand(ioc_), kNoThrow);
      if (stopping_) co_return;
      if (!ec) {
        pause = kFirstPause;
        Admit(std::move(socket), metrics_only);
        continue;
      }
      failure = "accept: " + ec.message();
    } catch (const std::exception& e) {
      // E.g. out of memory for a new connection. Its message is the library's, never a client's.
      failure = std::string("accept: ") + e.what();
    }
    if (stopping_) co_return;
    app_.incidents().Report(survey::Incident::kAcceptFailed,
                            failure + "; retrying in " + std::to_string(pause.count()) + " ms");
    asio::steady_timer timer(acceptor.get_executor(), pause);
    co_await timer.async_wait(kNoThrow);
    pause = std::min(pause * 2, kLongestPause);
  }
}

void HttpServer::TurnAway(tcp::socket& socket, std::string_view message) {
  // Before any request is read: the reply every refusal gets (HTML, the security headers,
  // Connection: close). The socket's send buffer is empty, so this small write does not block.
  Response res = app_.Refusal(Request{}, http::status::service_unavailable, message);
  res.set(http::field::retry_after, "1");
  error_code ignored;  // best effort: the client is turned away either way
  http::write(socket, res, ignored);
  socket.close(ignored);
}

void HttpServer::Admit(tcp::socket socket, bool metrics_only) {
  error_code peer_ec;
  const asio::ip::address peer = socket.remote_endpoint(peer_ec).address();
  if (peer_ec) return;  // already gone
  std::optional<asio::ip::address> counted;
  if (!IsTrustedProxy(peer, config_.trusted_proxies)) counted = LimitKey(peer);
  const size_t per_address_cap = config_.max_connections_per_address
                                     ? config_.max_connections_per_address
                                     : PerAddressConnections(config_.max_connections);
  const char* refusal = nullptr;
  {
    std::lock_guard lock(mu_);
    if (connections_.size() >= config_.max_connections) {
      refusal = "the server has too many connections; try again";
    } else if (counted) {
      size_t& open = per_address_[*counted];
      if (open >= per_address_cap) {
        refusal = "too many connections from this address; close some and try again";
      } else {
        ++open;
      }
    }
  }
  if (refusal) {
    TurnAway(socket, refusal);
    return;
  }
  error_code no_delay_ec;  // only latency depends on it; a dead socket fails its first read
  socket.set_option(tcp::no_delay(true), no_delay_ec);
  auto conn = std::make_shared<Connection>(std::move(socket), std::move(counted), metrics_only);
  {
    std::lock_guard lock(mu_);
    connections_.insert(conn);
  }
  asio::co_spawn(conn->stream.get_executor(), Serve(conn), [this, conn](std::exception_ptr e) {
    if (e) {
      app_.incidents().Report(survey::Incident::kSessionFailed,
                              "a connection closed unanswered: " + What(e));
    }
    std::lock_guard lock(mu_);
    connections_.erase(conn);
    if (conn->counted) {
      auto it = per_address_.find(*conn->counted);
      if (it != per_address_.end() && --it->second == 0) per_address_.erase(it);
    }
  });
}

asio::awaitable<void> HttpServer::Serve(std::shared_ptr<Connection> conn) {
  beast::flat_buffer buffer;
  // For the rate limiter only (App hashes it in memory); never stored or logged.
  error_code peer_ec;
  const asio::ip::address peer = conn->stream.socket().remote_endpoint(peer_ec).address();
  bool unread_body = false;  // refused before its body was read
  for (;;) {
    http::request_parser<http::string_body> parser;
    parser.header_limit(static_cast<uint32_t>(config_.header_limit));
    // Each route has its own body limit, known only once the header is in: none until then,
    // and Content-Length is checked against the route's below (Beast checks it only while
    // parsing the header; a chunked body is checked as it arrives).
    parser.body_limit(boost::none);
    // One deadline for the whole request, header and body.
    conn->stream.expires_after(config_.request_timeout);
    {
      std::lock_guard lock(mu_);
      conn->idle = true;
    }
    if (stopping_) break;
    auto [header_ec, n] = co_await http::async_read_header(conn->stream, buffer, parser, kNoThrow);
    error_code ec = header_ec;
    {
      std::lock_guard lock(mu_);
      conn->idle = false;
    }
    size_t body_limit = config_.small_body_limit;
    if (!ec) {
      body_limit = app_.BodyLimit(parser.get());
      const auto length = parser.content_length();
      if (length && *length > body_limit) {
        ec = http::error::body_limit;
      } else {
        parser.body_limit(body_limit);
        auto [body_ec, body_bytes] =
            co_await http::async_read(conn->stream, buffer, parser, kNoThrow);
        ec = body_ec;
        n += body_bytes;
      }
    }
    std::optional<Response> res;
    if (ec == http::error::body_limit) {
      unread_body = true;
      res =
          app_.Refusal(parser.get(), http::status::payload_too_large,
                       "the request body is larger than " + std::to_string(body_limit) + " bytes");
    } else if (ec == http::error::header_limit) {
      res = app_.Refusal(
          parser.get(), http::status::request_header_fields_too_large,
          "the request headers are larger than " + std::to_string(config_.header_limit) + " bytes");
    } else if (ec && ec.category() == kHttpErrors && ec != http::error::end_of_stream &&
               ec != http::error::partial_message && (n > 0 || buffer.size() > 0)) {
      res = app_.Refusal(parser.get(), http::status::bad_request, "malformed HTTP request");
    } else if (ec) {
      break;  // closed, timed out or reset: nobody to answer
    }
    // gzip (server/gzip.h): what the request accepts and asks for, read before it is handed on.
    const std::string accept_encoding(parser.get()[http::field::accept_encoding]);
    const std::string target(parser.get().target());
    if (!res) {
      try {
        res = co_await app_.Handle(parser.release(), peer, conn->metrics_only);
      } catch (const std::exception&) {
        // The one place exceptions from Boost or std are caught: this request fails, the
        // server carries on. The message is not logged: it could echo request content.
        res = app_.Refusal(Request{}, http::status::internal_server_error, "internal error");
      }
      if (stopping_) res->keep_alive(false);
    }
    MaybeGzip(*res, accept_encoding, target);
    conn->stream.expires_after(config_.request_timeout);
    auto [write_ec, written] = co_await http::async_write(conn->stream, *res, kNoThrow);
    if (write_ec || !res->keep_alive()) break;
  }
  error_code ignored;
  conn->stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
  if (unread_body) {
    // A client still sending the body it was refused for would get a reset instead of the 413
    // if the socket closed with its bytes unread: read and drop them for a moment first.
    conn->stream.expires_after(kLinger);
    std::array<char, 16 * 1024> scratch;
    for (;;) {
      auto [drain_ec, drained] =
          co_await conn->stream.async_read_some(asio::buffer(scratch), kNoThrow);
      if (drain_ec) break;
    }
  }
  conn->stream.socket().close(ignored);
}

}  // namespace candour::server
