// Decoding of untrusted request bodies: application/x-www-form-urlencoded, UTF-8 checks, and
// a strict JSON pre-check that Boost.JSON does not do (duplicate object keys).
// Thread-safe: pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace candour::survey {

// True if `s` is well-formed UTF-8 (no overlongs, surrogates or code points past U+10FFFF).
bool IsValidUtf8(std::string_view s);

// Number of code points in well-formed UTF-8.
size_t CountCodePoints(std::string_view utf8);

// Decodes %XX escapes and '+' (as space). nullopt for a malformed escape.
std::optional<std::string> PercentDecode(std::string_view s);

// Encodes everything but unreserved characters (RFC 3986) as %XX.
std::string PercentEncode(std::string_view s);

// Splits "a=1&b=2" into decoded pairs, in order. A pair without '=' has an empty value.
// On a malformed escape returns nullopt and sets *bad_field to the raw (still encoded) field.
std::optional<std::vector<std::pair<std::string, std::string>>> ParseFormPairs(
    std::string_view body, std::string* bad_field);

// Returns the first key that appears twice in one JSON object of `json`, or nullopt when there
// is none (or when `json` does not parse; the real parser reports that).
std::optional<std::string> FindDuplicateJsonKey(std::string_view json);

}  // namespace candour::survey
