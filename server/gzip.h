// Gzip for responses: text (HTML, CSS, JS, JSON, CSV, SVG) is compressed when the request's
// Accept-Encoding allows gzip; images that are compressed already (PNG) are not. Only for
// public, secret-free targets (/r/..., /api/surveys/..., /static/..., posters, qr.svg): never
// /admin or /api/admin or the answering pages, which can carry a secret (new codes, a
// resident's code) beside what the request sent; compressing both together leaks the secret
// through the response's length (BREACH). Thread-safe: pure functions.
#pragma once

#include <string>
#include <string_view>

#include "server/http_util.h"

namespace candour::server {

// Whether `accept_encoding` (an Accept-Encoding header) accepts gzip: a "gzip" (or "x-gzip"
// or "*") entry whose q is not 0.
bool AcceptsGzip(std::string_view accept_encoding);

// The gzip (RFC 1952) of `data`.
std::string Gzip(std::string_view data);

// Compresses `res` in place when the client accepts gzip, the target is a public one (above),
// the type is text and the body is worth it (at least 256 bytes). Sets Content-Encoding and
// Content-Length; adds Vary: Accept-Encoding to every compressible response either way.
void MaybeGzip(Response& res, std::string_view accept_encoding, std::string_view target);

}  // namespace candour::server
