#include "server/qr.h"

#include <qrencode.h>

#include <memory>

namespace candour::server {

std::optional<std::string> QrSvg(std::string_view text) {
  const std::string data(text);
  std::unique_ptr<QRcode, void (*)(QRcode*)> code(
      QRcode_encodeString8bit(data.c_str(), 0, QR_ECLEVEL_M), QRcode_free);
  if (!code) return std::nullopt;
  constexpr int kQuiet = 4;
  const int width = code->width;
  const int size = width + 2 * kQuiet;
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
  const std::string n = std::to_string(size);
  std::string svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ";
  svg.append(n).append(" ").append(n);
  svg.append("\" shape-rendering=\"crispEdges\" role=\"img\" aria-label=\"QR code\">");
  svg.append("<rect width=\"").append(n).append("\" height=\"").append(n);
  svg.append("\" fill=\"#fff\"/><path fill=\"#000\" d=\"").append(path).append("\"/></svg>\n");
  return svg;
}

}  // namespace candour::server
