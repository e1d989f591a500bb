#include "web/qr.h"

#include <qrencode.h>

#include <array>
#include <cstdint>
#include <memory>
#include <vector>

namespace candour::web {
namespace {

constexpr int kQuiet = 4;  // modules of light margin around the symbol (the standard's minimum)

using Code = std::unique_ptr<QRcode, void (*)(QRcode*)>;

Code Encode(std::string_view text) {
  const std::string data(text);
  return Code(QRcode_encodeString8bit(data.c_str(), 0, QR_ECLEVEL_M), QRcode_free);
}

uint32_t Crc32(std::string_view bytes) {
  static const std::array<uint32_t, 256> table = [] {
    std::array<uint32_t, 256> t{};
    for (uint32_t n = 0; n < 256; ++n) {
      uint32_t c = n;
      for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
      t[n] = c;
    }
    return t;
  }();
  uint32_t c = 0xFFFFFFFFu;
  for (unsigned char b : bytes) c = table[(c ^ b) & 0xFF] ^ (c >> 8);
  return c ^ 0xFFFFFFFFu;
}

void PutU32(std::string& out, uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8)
    out.push_back(static_cast<char>((v >> shift) & 0xFF));
}

void Chunk(std::string& png, std::string_view type, std::string_view data) {
  PutU32(png, static_cast<uint32_t>(data.size()));
  std::string body(type);
  body.append(data);
  png.append(body);
  PutU32(png, Crc32(body));
}

// A zlib stream of `raw` in stored (uncompressed) deflate blocks: a QR image is a few KB, so
// compression is not worth a dependency.
std::string ZlibStored(std::string_view raw) {
  std::string out("\x78\x01", 2);
  size_t pos = 0;
  do {
    const size_t n = std::min<size_t>(65535, raw.size() - pos);
    const bool last = pos + n == raw.size();
    out.push_back(last ? 1 : 0);
    out.push_back(static_cast<char>(n & 0xFF));
    out.push_back(static_cast<char>(n >> 8));
    out.push_back(static_cast<char>(~n & 0xFF));
    out.push_back(static_cast<char>((~n >> 8) & 0xFF));
    out.append(raw.substr(pos, n));
    pos += n;
  } while (pos < raw.size());
  uint32_t a = 1, b = 0;
  for (unsigned char ch : raw) {
    a = (a + ch) % 65521;
    b = (b + a) % 65521;
  }
  PutU32(out, (b << 16) | a);
  return out;
}

}  // namespace

std::optional<html::Element> QrSvgElement(std::string_view text) {
  const Code code = Encode(text);
  if (!code) return std::nullopt;
  const int width = code->width;
  const std::string n = std::to_string(width + 2 * kQuiet);
  std::string path;
  for (int y = 0; y < width; ++y) {
    for (int x = 0; x < width;) {
      if (!(code->data[y * width + x] & 1)) {
        ++x;
        continue;
      }
      int run = 1;
      while (x + run < width && (code->data[y * width + x + run] & 1)) ++run;
      path.append("M").append(std::to_string(x + kQuiet)).append(" ");
      path.append(std::to_string(y + kQuiet)).append("h").append(std::to_string(run));
      path.append("v1h-").append(std::to_string(run)).append("z");
      x += run;
    }
  }
  return html::Element("svg")
      .Attr("xmlns", "http://www.w3.org/2000/svg")
      .Attr("viewBox", "0 0 " + n + " " + n)
      .Attr("shape-rendering", "crispEdges")
      .Attr("role", "img")
      .Attr("aria-label", "QR code")
      .Child(html::Element("rect").Attr("width", n).Attr("height", n).Attr("fill", "#fff"))
      .Child(html::Element("path").Attr("fill", "#000").Attr("d", path));
}

std::optional<std::string> QrSvg(std::string_view text) {
  auto svg = QrSvgElement(text);
  if (!svg) return std::nullopt;
  return std::move(*svg).str() + "\n";
}

std::optional<std::string> QrPng(std::string_view text, int scale) {
  const Code code = Encode(text);
  if (!code || scale < 1 || scale > 32) return std::nullopt;
  const int width = code->width;
  const int pixels = (width + 2 * kQuiet) * scale;
  const size_t row_bytes = static_cast<size_t>((pixels + 7) / 8);
  // 1-bit greyscale: a set bit is white. Each row starts with filter type 0.
  std::string raw;
  raw.reserve((row_bytes + 1) * static_cast<size_t>(pixels));
  std::vector<unsigned char> row(row_bytes);
  for (int py = 0; py < pixels; ++py) {
    std::fill(row.begin(), row.end(), 0xFF);
    const int my = py / scale - kQuiet;
    for (int px = 0; px < pixels; ++px) {
      const int mx = px / scale - kQuiet;
      const bool dark =
          my >= 0 && my < width && mx >= 0 && mx < width && (code->data[my * width + mx] & 1);
      if (dark) row[static_cast<size_t>(px / 8)] &= static_cast<unsigned char>(~(0x80 >> (px % 8)));
    }
    raw.push_back(0);
    raw.append(reinterpret_cast<const char*>(row.data()), row.size());
  }
  std::string png("\x89PNG\r\n\x1a\n", 8);
  std::string header;
  PutU32(header, static_cast<uint32_t>(pixels));
  PutU32(header, static_cast<uint32_t>(pixels));
  header.append("\x01\x00\x00\x00\x00",
                5);  // bit depth 1, greyscale, deflate, no filter, no interlace
  Chunk(png, "IHDR", header);
  Chunk(png, "IDAT", ZlibStored(raw));
  Chunk(png, "IEND", "");
  return png;
}

}  // namespace candour::web
