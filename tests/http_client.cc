#include "tests/http_client.h"

#include <zlib.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <stdexcept>

namespace candour::testing {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

std::string Gunzip(const std::string& data) {
  z_stream z{};
  if (inflateInit2(&z, 15 + 16) != Z_OK) throw std::runtime_error("inflateInit2 failed");
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = static_cast<uInt>(data.size());
  std::string out;
  char buf[16384];
  int rc = Z_OK;
  while (rc == Z_OK) {
    z.next_out = reinterpret_cast<Bytef*>(buf);
    z.avail_out = sizeof buf;
    rc = inflate(&z, Z_NO_FLUSH);
    out.append(buf, sizeof buf - z.avail_out);
    if (rc == Z_BUF_ERROR && z.avail_in == 0) break;
  }
  inflateEnd(&z);
  if (rc != Z_STREAM_END) throw std::runtime_error("corrupt gzip body");
  return out;
}

bool HttpClient::Connect() {
  stream_ = std::make_unique<beast::tcp_stream>(ioc_);
  buffer_.clear();
  beast::error_code ec;
  stream_->socket().connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port_), ec);
  return !ec;
}

HttpReply HttpClient::Send(const std::string& method, const std::string& target,
                           const std::map<std::string, std::string>& headers,
                           const std::string& body) {
  for (int attempt = 0; attempt < 2; ++attempt) {
    if (!stream_ && !Connect()) return {};
    http::request<http::string_body> req{http::string_to_verb(method), target, 11};
    req.set(http::field::host, "127.0.0.1");
    for (const auto& [k, v] : headers) req.set(k, v);
    req.body() = body;
    if (!body.empty() || method == "POST") req.prepare_payload();
    beast::error_code ec;
    http::write(*stream_, req, ec);
    http::response_parser<http::string_body> parser;
    parser.body_limit(64 << 20);
    parser.skip(method == "HEAD");  // a reply to HEAD has headers only
    if (!ec) http::read(*stream_, buffer_, parser, ec);
    if (ec) {
      stream_.reset();
      if (attempt == 0) continue;  // the server closed an idle keep-alive connection
      return {};
    }
    auto res = parser.release();
    HttpReply reply;
    reply.status = res.result_int();
    for (const auto& f : res) {
      std::string name(f.name_string());
      for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      reply.headers[name] = std::string(f.value());
    }
    reply.body = std::move(res.body());
    reply.wire_bytes = reply.body.size();
    if (reply.Header("content-encoding") == "gzip") reply.body = Gunzip(reply.body);
    if (!res.keep_alive()) stream_.reset();
    return reply;
  }
  return {};
}

std::string HttpClient::Raw(const std::string& bytes, std::chrono::milliseconds timeout) {
  beast::tcp_stream stream(ioc_);
  beast::error_code ec;
  stream.socket().connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port_), ec);
  if (ec) return "";
  stream.expires_after(timeout);
  asio::write(stream.socket(), asio::buffer(bytes), ec);
  std::string out;
  char buf[4096];
  for (;;) {
    stream.expires_after(timeout);
    const size_t n = stream.read_some(asio::buffer(buf), ec);
    out.append(buf, n);
    if (ec) break;
  }
  return out;
}

}  // namespace candour::testing
