// Web assets (CSS, JS, interface strings) embedded into the binary at build time, so the
// service never loads anything from another origin or from the file system.
// Thread-safe: immutable.
#pragma once

#include <optional>
#include <string_view>

namespace candour::web {

struct Asset {
  std::string_view body;
  std::string_view content_type;
};

// The file web/static/NAME, or nullopt. NAME is matched exactly (no path traversal).
std::optional<Asset> FindStatic(std::string_view name);

// The user-interface strings, {"LANG": {"KEY": "text with {placeholders}"}} (JSON).
std::string_view UiStringsJson();

}  // namespace candour::web
