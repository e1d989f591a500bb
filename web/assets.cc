#include "web/assets.h"

#include <string>

#include "web/embedded.h"

namespace candour::web {
namespace {

std::optional<std::string_view> FindFile(std::string_view path) {
  for (const embedded::File& f : embedded::Files()) {
    if (f.path == path) return f.bytes;
  }
  return std::nullopt;
}

std::string_view ContentTypeOf(std::string_view name) {
  if (name.ends_with(".css")) return "text/css; charset=utf-8";
  if (name.ends_with(".js")) return "text/javascript; charset=utf-8";
  if (name.ends_with(".svg")) return "image/svg+xml";
  if (name.ends_with(".json")) return "application/json";
  return "application/octet-stream";
}

}  // namespace

std::optional<Asset> FindStatic(std::string_view name) {
  if (name.empty() || name.find('/') != std::string_view::npos) return std::nullopt;
  auto bytes = FindFile(std::string("static/").append(name));
  if (!bytes) return std::nullopt;
  return Asset{*bytes, ContentTypeOf(name)};
}

std::string_view UiStringsJson() { return FindFile("i18n/ui.json").value_or(""); }

}  // namespace candour::web
