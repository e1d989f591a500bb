// For every test (header only; depends on no module of ours): counting what a page, file or
// log holds. Thread-safe: pure functions.
#pragma once

#include <cstddef>
#include <string>

namespace candour::testing {

// How many times `needle` (not empty) stands in `haystack`, without overlaps.
inline size_t Count(const std::string& haystack, const std::string& needle) {
  size_t n = 0;
  for (size_t at = haystack.find(needle); at != std::string::npos;
       at = haystack.find(needle, at + needle.size())) {
    ++n;
  }
  return n;
}

}  // namespace candour::testing
