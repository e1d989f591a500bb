// A small blocking HTTP/1.1 client for tests: one keep-alive connection to 127.0.0.1.
// Not thread-safe; one per thread.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <map>
#include <string>

namespace candour::testing {

struct HttpReply {
  int status = 0;  // 0 when the connection failed or closed before a reply
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;       // decoded: a gzip body (Content-Encoding: gzip) is inflated here
  size_t wire_bytes = 0;  // the body's size as sent, before decoding
  std::string Header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? "" : it->second;
  }
};

// Inflates a gzip (RFC 1952) body with zlib; throws std::runtime_error on a corrupt one.
std::string Gunzip(const std::string& data);

class HttpClient {
 public:
  explicit HttpClient(uint16_t port) : port_(port) {}

  // Sends one request (reconnecting if needed) and reads the reply.
  HttpReply Send(const std::string& method, const std::string& target,
                 const std::map<std::string, std::string>& headers = {},
                 const std::string& body = "");

  HttpReply Get(const std::string& target, const std::map<std::string, std::string>& headers = {}) {
    return Send("GET", target, headers);
  }
  HttpReply PostJson(const std::string& target, const std::string& json) {
    return Send("POST", target, {{"Content-Type", "application/json"}}, json);
  }
  HttpReply PostForm(const std::string& target, const std::string& form) {
    return Send("POST", target, {{"Content-Type", "application/x-www-form-urlencoded"}}, form);
  }

  // Writes raw bytes on a fresh connection and returns everything read until the server
  // closes it (or `timeout` passes).
  std::string Raw(const std::string& bytes, std::chrono::milliseconds timeout);

 private:
  bool Connect();

  uint16_t port_;
  boost::asio::io_context ioc_;
  std::unique_ptr<boost::beast::tcp_stream> stream_;
  boost::beast::flat_buffer buffer_;
};

}  // namespace candour::testing
