// Helpers shared by the request handlers: the target's path and query, content negotiation,
// the person's language, and building responses.
// Thread-safe: pure functions.
#pragma once

#include <boost/beast/http.hpp>
#include <boost/json/value.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "survey/survey.h"
#include "web/language.h"

namespace candour::server {

using Request = boost::beast::http::request<boost::beast::http::string_body>;
using Response = boost::beast::http::response<boost::beast::http::string_body>;

struct Target {
  std::string_view path;
  std::vector<std::pair<std::string, std::string>> query;  // decoded; empty if malformed
  // The first value of `key`, or empty.
  std::string Query(std::string_view key) const {
    for (const auto& [k, v] : query) {
      if (k == key) return v;
    }
    return "";
  }
};

Target ParseTarget(std::string_view target);
// The request's own target, parsed.
Target TargetOf(const Request& req);
// "/a/b/" -> {"a", "b"}.
std::vector<std::string_view> Segments(std::string_view path);
// "Text/HTML; charset=utf-8" -> "text/html".
std::string MediaType(std::string_view content_type);
// Whether errors for this request should be JSON (API paths, JSON bodies, JSON-only Accept).
bool WantsJson(const Request& req);
// The survey's language the person asked for: ?lang=, else Accept-Language, else the default
// (the rule lives in web/language.h; handlers here call it by this name).
using web::ChooseLanguage;
// The same for a page request: its ?lang=, then its Accept-Language.
std::string PageLanguage(const Request& req, const Target& target, const survey::Survey& survey);

Response Make(const Request& req, boost::beast::http::status status, std::string_view content_type,
              std::string body);
Response Html(const Request& req, boost::beast::http::status status, std::string body);
Response Json(const Request& req, boost::beast::http::status status,
              const boost::json::value& body);

}  // namespace candour::server
