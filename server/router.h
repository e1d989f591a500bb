// Router: the one route table. Each route has its method, path pattern ("/s/{survey}/responses":
// a {name} matches one path segment), handler, the name metrics and the access log know it by,
// the largest body it takes, and whether it needs the admin token. Everything that depends on
// which route a request is for (dispatch, 405 and its Allow, the body limit read before the
// body, metrics) is looked up here, so a route is added in one place.
// Thread-safe: immutable after construction.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/beast/http/verb.hpp>
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "server/http_util.h"

namespace candour::server {

// One request as a handler sees it.
struct Call {
  const Request& req;
  const Target& target;
  // For the rate limiter only (a keyed hash of it is kept in memory); never stored or logged.
  const boost::asio::ip::address& peer;
  std::vector<std::pair<std::string_view, std::string>> params;  // from the pattern's {names}

  // The path segment matched by {name}; empty if the pattern has none.
  const std::string& Param(std::string_view name) const;
};

using Handler = std::function<boost::asio::awaitable<Response>(const Call&)>;

struct RouteSpec {
  boost::beast::http::verb method;
  std::string pattern;
  Handler handler;
  // The name in metrics and the access log (never the path itself, which names a survey).
  // Empty: the pattern.
  std::string name;
  // Largest request body; a larger one gets 413 before it is read.
  size_t body_limit = 0;
  // Needs the admin token (checked before the handler runs).
  bool admin = false;
};

class Router {
 public:
  // Metrics and the access log name requests that match no pattern so.
  static constexpr std::string_view kOther = "other";

  explicit Router(std::vector<RouteSpec> routes);

  struct Match {
    const RouteSpec* route = nullptr;  // pattern and method matched
    std::string_view name = kOther;    // of the first pattern that matched, whatever the method
    std::string allow;  // when a pattern matched but not the method: "GET" or "GET, POST"...
    std::vector<std::pair<std::string_view, std::string>> params;
  };
  Match Find(boost::beast::http::verb method, std::string_view path) const;

  // The body limit of the route this request line goes to, else `fallback` (for a 404 or 405,
  // which read no body).
  size_t BodyLimit(boost::beast::http::verb method, std::string_view target, size_t fallback) const;

  // Every route name once, in table order.
  std::vector<std::string> Names() const;

 private:
  struct Entry {
    RouteSpec spec;
    std::vector<std::string> segments;  // "{survey}" for a parameter
  };
  // The params if `path_segments` fit `entry`'s pattern.
  static bool Fits(const Entry& entry, const std::vector<std::string_view>& path_segments,
                   std::vector<std::pair<std::string_view, std::string>>* params);

  std::vector<Entry> entries_;
};

}  // namespace candour::server
