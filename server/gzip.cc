#include "server/gzip.h"

#include <zlib.h>

#include <cctype>
#include <cstdlib>
#include <stdexcept>

namespace candour::server {
namespace {

namespace http = boost::beast::http;

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool Compressible(std::string_view type) {
  const std::string t = Lower(type.substr(0, type.find(';')));
  return t.starts_with("text/") || t == "application/json" || t == "image/svg+xml" ||
         t == "application/javascript";
}

// Only published, secret-free responses: the dashboard and its CSV, the public results API,
// static assets, posters and QR images. Everything else (/admin, /api/admin, the answering
// pages at /s/{survey} that may hold a code beside what a resident typed) stays uncompressed.
bool PublicTarget(std::string_view target) {
  target = target.substr(0, target.find('?'));
  if (target.starts_with("/r/") || target.starts_with("/api/surveys/") ||
      target.starts_with("/static/"))
    return true;
  return target.starts_with("/s/") && (target.ends_with("/poster") || target.ends_with("/qr.svg"));
}

}  // namespace

bool AcceptsGzip(std::string_view header) {
  while (!header.empty()) {
    const size_t comma = header.find(',');
    std::string_view entry = header.substr(0, comma);
    header = comma == std::string_view::npos ? std::string_view() : header.substr(comma + 1);
    const size_t semi = entry.find(';');
    const std::string name = Lower(Trim(entry.substr(0, semi)));
    if (name != "gzip" && name != "x-gzip" && name != "*") continue;
    if (semi == std::string_view::npos) return true;
    std::string_view param = Trim(entry.substr(semi + 1));
    if (param.size() < 2 || (param[0] != 'q' && param[0] != 'Q') || param[1] != '=') return true;
    const std::string q(Trim(param.substr(2)));
    if (std::strtod(q.c_str(), nullptr) > 0) return true;
  }
  return false;
}

std::string Gzip(std::string_view data) {
  z_stream z{};
  // windowBits 15 + 16: a gzip header and trailer instead of zlib's.
  if (deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
    throw std::runtime_error("deflateInit2 failed");
  std::string out(deflateBound(&z, data.size()), '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = static_cast<uInt>(data.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  const int rc = deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  if (rc != Z_STREAM_END) throw std::runtime_error("deflate failed");
  return out;
}

void MaybeGzip(Response& res, std::string_view accept_encoding, std::string_view target) {
  if (!PublicTarget(target)) return;
  if (!Compressible(res[http::field::content_type])) return;
  if (res.find(http::field::content_encoding) != res.end()) return;
  res.set(http::field::vary, "Accept-Encoding");
  if (res.body().size() < 256 || !AcceptsGzip(accept_encoding)) return;
  res.body() = Gzip(res.body());
  res.set(http::field::content_encoding, "gzip");
  res.prepare_payload();
}

}  // namespace candour::server
