// ServerConfig: everything the HTTP server needs to know, with each default beside it.
// Built by main from flags and environment; constant after the server starts.
#pragma once

#include <algorithm>
#include <boost/asio/ip/address.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <iostream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/sealed_box.h"
#include "stats/release.h"

namespace candour::server {

struct ServerConfig {
  // Address to listen on. Default: 127.0.0.1 (loopback; put a TLS proxy in front to publish).
  std::string address = "127.0.0.1";
  // Port to listen on; 0 picks a free one (tests). Default: 8080.
  uint16_t port = 8080;
  // I/O threads running HTTP sessions. Default: 2.
  int io_threads = 2;
  // The address residents reach the service at, put into QR codes and posters, e.g.
  // "https://survey.example.org". Default: http:// and the listening address.
  std::string public_url;
  // Largest body of a submission (POST /s/{survey}/responses); larger gets 413. Default: 16 KiB.
  size_t body_limit = 16 * 1024;
  // Largest survey definition (POST /api/admin/surveys, PUT /api/admin/surveys/{survey}):
  // the built-in template alone is over 20 KB. Default: 1 MiB.
  size_t definition_body_limit = size_t{1} << 20;
  // Largest body of every other request (pages, admin actions that take no body), and of any
  // request that matches no route. Default: 1 KiB.
  size_t small_body_limit = 1024;
  // Largest request header block accepted; larger gets 431. Default: 8 KiB.
  size_t header_limit = 8 * 1024;
  // Time allowed to receive one whole request (also the keep-alive idle time); a slower client
  // is disconnected. Default: 10 s.
  std::chrono::milliseconds request_timeout{10'000};
  // Open connections at most; more get 503 and are closed. Default: 4096.
  size_t max_connections = 4096;
  // Open connections from one address (an IPv6 address by its /64) at most, so that one client
  // holding idle sockets cannot take every slot; more get 503 and are closed. Connections from
  // a trusted proxy are not capped (the proxy caps its own clients: packaging/nginx/).
  // 0: PerAddressConnections(max_connections), a sixteenth of the total, at least 8.
  size_t max_connections_per_address = 0;
  // A second listener that serves only /metrics (without the admin token), /healthz and
  // /readyz, for a scraper on this machine: keep it on loopback. Empty: none, and /metrics is
  // served on the main listener with the admin token only. Default: none.
  std::string metrics_address;
  // Its port; 0 picks a free one. Used only with metrics_address.
  uint16_t metrics_port = 0;
  // Reverse proxies whose last X-Forwarded-For hop is believed, by the rate limiter only
  // (server/client_address.h); from every other peer the header is ignored. Default: none.
  std::vector<boost::asio::ip::address> trusted_proxies;
  // Time allowed on SIGTERM for in-flight requests to finish. Default: 10 s.
  std::chrono::milliseconds shutdown_grace{10'000};
  // Where access log lines go (method, route pattern, status, latency: nothing about the
  // person). Default: none (no access log).
  std::function<void(std::string_view line)> access_log;
  // Where failures only the operator can act on are logged (an audit outcome that could not be
  // written, a code that could not be given back; counted in /metrics as incidents). Never
  // anything about a resident. Default: standard error.
  std::function<void(std::string_view line)> operator_log = [](std::string_view line) {
    std::cerr << "candour: " << line << std::endl;
  };
  // How releases are built. Tests only: {.secondary_suppression = false} is the deliberately
  // broken suppressor the auditor test must catch. Default: full protection.
  stats::ReleaseOptions release_options;
  // Submissions accepted per hour from one address for a survey that sets no "rate_limit".
  // Generous: a community centre or an event's wifi puts many people behind one address.
  // Default: 600.
  uint64_t rate_limit_per_hour = 600;
  // The public half of the offline comments key: free text is sealed to it. Without one,
  // free-text answers are dropped, never stored readable. Default: none.
  std::optional<crypto::BoxPublicKey> comments_key;
  // The clock used only to pick a response's coarse period (and which periods are complete).
  // Default: system clock (UTC).
  std::function<std::chrono::system_clock::time_point()> now = [] {
    return std::chrono::system_clock::now();
  };
  // console: the organiser console (/admin). A sign-in session ends after this long without a
  // request (measured by `now`). Default: 30 min.
  std::chrono::milliseconds console_idle{30 * 60 * 1000};
  // console: where a token rotated in the console is written for the operator's scripts
  // (candour-admin-token beside the key, mode 0600); returns a sentence saying where it was
  // written, or why it could not be. Default: none (the new token is only shown, once).
  std::function<std::string(const std::string& token)> write_admin_token;
  // Sign-in sessions kept at most; a new one pushes out the least recently used. Default: 32.
  size_t console_sessions = 32;
};

// The cap on connections per address that max_connections_per_address 0 stands for.
inline size_t PerAddressConnections(size_t max_connections) {
  return std::min(max_connections, std::max<size_t>(8, max_connections / 16));
}

}  // namespace candour::server
