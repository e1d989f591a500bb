// QR codes of survey links as SVG, for posters and printed cards (libqrencode).
// Thread-safe: pure function.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace candour::server {

// An SVG drawing of `text` as a QR code (error correction level M, a 4-module quiet zone, one
// path of dark modules, scalable). nullopt if the text cannot be encoded (too long).
std::optional<std::string> QrSvg(std::string_view text);

}  // namespace candour::server
