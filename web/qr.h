// QR codes of survey links as SVG and PNG, for posters and printed cards (libqrencode).
// Thread-safe: pure function.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "web/html.h"

namespace candour::web {

// An SVG drawing of `text` as a QR code (error correction level M, a 4-module quiet zone, one
// path of dark modules, scalable). nullopt if the text cannot be encoded (too long).
std::optional<std::string> QrSvg(std::string_view text);
// The same drawing as an element, to place inline in a page.
std::optional<html::Element> QrSvgElement(std::string_view text);

// The same code as a black-and-white PNG, `scale` pixels per module (1-32), for tools that do
// not take SVG. nullopt if the text cannot be encoded.
std::optional<std::string> QrPng(std::string_view text, int scale = 8);

}  // namespace candour::web
