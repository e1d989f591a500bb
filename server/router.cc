#include "server/router.h"

#include <cassert>

namespace candour::server {
namespace {

bool IsParam(std::string_view segment) {
  return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

}  // namespace

const std::string& Call::Param(std::string_view name) const {
  static const std::string kNone;
  for (const auto& [k, v] : params) {
    if (k == name) return v;
  }
  return kNone;
}

Router::Router(std::vector<RouteSpec> routes) {
  for (RouteSpec& spec : routes) {
    assert(spec.handler && spec.pattern.starts_with('/'));
    if (spec.name.empty()) spec.name = spec.pattern;
    Entry entry{std::move(spec), {}};
    for (std::string_view s : Segments(entry.spec.pattern)) entry.segments.emplace_back(s);
    entries_.push_back(std::move(entry));
  }
}

bool Router::Fits(const Entry& entry, const std::vector<std::string_view>& path,
                  std::vector<std::pair<std::string_view, std::string>>* params) {
  if (entry.segments.size() != path.size()) return false;
  params->clear();
  for (size_t i = 0; i < path.size(); ++i) {
    const std::string& want = entry.segments[i];
    if (IsParam(want)) {
      params->emplace_back(std::string_view(want).substr(1, want.size() - 2), std::string(path[i]));
    } else if (want != path[i]) {
      return false;
    }
  }
  return true;
}

Router::Match Router::Find(boost::beast::http::verb method, std::string_view path) const {
  const auto segments = Segments(path);
  Match match;
  std::vector<std::pair<std::string_view, std::string>> params;
  bool named = false;
  for (const Entry& entry : entries_) {
    if (!Fits(entry, segments, &params)) continue;
    if (!named) match.name = entry.spec.name;
    named = true;
    // HEAD is answered by the GET route, without its body (App::Handle drops it).
    if (entry.spec.method == method || (method == boost::beast::http::verb::head &&
                                        entry.spec.method == boost::beast::http::verb::get)) {
      match.route = &entry.spec;
      match.name = entry.spec.name;
      match.params = std::move(params);
      match.allow.clear();
      return match;
    }
    if (!match.allow.empty()) match.allow += ", ";
    match.allow += boost::beast::http::to_string(entry.spec.method);
    if (entry.spec.method == boost::beast::http::verb::get) match.allow += ", HEAD";
  }
  return match;
}

size_t Router::BodyLimit(boost::beast::http::verb method, std::string_view target,
                         size_t fallback) const {
  const Match match = Find(method, ParseTarget(target).path);
  return match.route ? match.route->body_limit : fallback;
}

std::vector<std::string> Router::Names() const {
  std::vector<std::string> names;
  for (const Entry& entry : entries_) {
    bool seen = false;
    for (const std::string& n : names) seen = seen || n == entry.spec.name;
    if (!seen) names.push_back(entry.spec.name);
  }
  return names;
}

}  // namespace candour::server
