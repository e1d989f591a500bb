#include "server/http_util.h"

#include <boost/json.hpp>
#include <cctype>

#include "survey/text_codec.h"

namespace candour::server {

namespace http = boost::beast::http;

Target ParseTarget(std::string_view target) {
  Target t;
  const size_t q = target.find('?');
  t.path = target.substr(0, q);
  if (q != std::string_view::npos) {
    std::string bad;
    if (auto pairs = survey::ParseFormPairs(target.substr(q + 1), &bad))
      t.query = std::move(*pairs);
  }
  return t;
}

Target TargetOf(const Request& req) {
  return ParseTarget(std::string_view(req.target().data(), req.target().size()));
}

std::string PageLanguage(const Request& req, const Target& target, const survey::Survey& survey) {
  return ChooseLanguage(survey, target.Query("lang"),
                        std::string_view(req[http::field::accept_language]));
}

std::vector<std::string_view> Segments(std::string_view path) {
  std::vector<std::string_view> out;
  while (!path.empty()) {
    if (path.front() == '/') {
      path.remove_prefix(1);
      continue;
    }
    const size_t slash = path.find('/');
    out.push_back(path.substr(0, slash));
    path = slash == std::string_view::npos ? std::string_view() : path.substr(slash);
  }
  return out;
}

std::string MediaType(std::string_view content_type) {
  std::string out(content_type.substr(0, content_type.find(';')));
  while (!out.empty() && out.back() == ' ') out.pop_back();
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool WantsJson(const Request& req) {
  const std::string_view target(req.target().data(), req.target().size());
  if (target.starts_with("/api/")) return true;
  if (MediaType(req[http::field::content_type]) == "application/json") return true;
  const std::string_view accept(req[http::field::accept].data(), req[http::field::accept].size());
  return accept.find("application/json") != std::string_view::npos &&
         accept.find("text/html") == std::string_view::npos;
}

Response Make(const Request& req, http::status status, std::string_view content_type,
              std::string body) {
  Response res{status, req.version()};
  res.set(http::field::content_type, content_type);
  res.body() = std::move(body);
  return res;
}

Response Html(const Request& req, http::status status, std::string body) {
  return Make(req, status, "text/html; charset=utf-8", std::move(body));
}

Response Json(const Request& req, http::status status, const boost::json::value& body) {
  return Make(req, status, "application/json", boost::json::serialize(body));
}

}  // namespace candour::server
