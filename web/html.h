// HTML escaping: the one place text becomes HTML.
// Thread-safe: pure functions.
#pragma once

#include <string>
#include <string_view>

namespace candour::web {

// Escapes text for HTML element content and double-quoted attribute values.
std::string HtmlEscape(std::string_view s);

}  // namespace candour::web
