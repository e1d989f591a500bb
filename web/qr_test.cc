#include "web/qr.h"

#include <gtest/gtest.h>

#include <regex>

namespace candour::web {
namespace {

TEST(QrTest, ShortLinkIsAVersion1SymbolWithAQuietZone) {
  auto svg = QrSvg("http://x/s/d");  // 12 bytes: version 1 (21 modules) at level M
  ASSERT_TRUE(svg.has_value());
  EXPECT_NE(svg->find("viewBox=\"0 0 29 29\""), std::string::npos) << *svg;
  // The three finder patterns put a 7-module dark run on the first row of the symbol.
  EXPECT_NE(svg->find("M4 4h7v1h-7z"), std::string::npos);
  // Nothing is drawn inside the quiet zone.
  const std::regex move("M(\\d+) (\\d+)h(\\d+)");
  for (std::sregex_iterator it(svg->begin(), svg->end(), move), end; it != end; ++it) {
    const int x = std::stoi((*it)[1]), y = std::stoi((*it)[2]), run = std::stoi((*it)[3]);
    EXPECT_GE(x, 4);
    EXPECT_GE(y, 4);
    EXPECT_LE(x + run, 25);
    EXPECT_LT(y, 25);
  }
}

TEST(QrTest, LongerLinksNeedLargerSymbols) {
  const auto a = QrSvg("https://survey.example.org/s/demo?src=morningside-2026-11");
  ASSERT_TRUE(a.has_value());
  EXPECT_EQ(a->find("viewBox=\"0 0 29 29\""), std::string::npos);
  EXPECT_FALSE(QrSvg(std::string(5000, 'x')).has_value());  // beyond the largest symbol
}

// Reads the pixels back out of the PNG (stored deflate blocks, 1-bit rows) and returns whether
// pixel (x, y) is dark.
bool DarkAt(const std::string& png, int x, int y) {
  const size_t idat = png.find("IDAT");
  const size_t len = (static_cast<unsigned char>(png[idat - 4]) << 24) |
                     (static_cast<unsigned char>(png[idat - 3]) << 16) |
                     (static_cast<unsigned char>(png[idat - 2]) << 8) |
                     static_cast<unsigned char>(png[idat - 1]);
  const std::string z = png.substr(idat + 4, len);
  std::string raw;
  size_t pos = 2;
  for (bool last = false; !last;) {
    last = z[pos] & 1;
    const size_t n =
        static_cast<unsigned char>(z[pos + 1]) | (static_cast<unsigned char>(z[pos + 2]) << 8);
    raw += z.substr(pos + 5, n);
    pos += 5 + n;
  }
  const int width =
      (static_cast<unsigned char>(png[18]) << 8) | static_cast<unsigned char>(png[19]);
  const size_t row = static_cast<size_t>((width + 7) / 8) + 1;
  const unsigned char byte = static_cast<unsigned char>(
      raw[static_cast<size_t>(y) * row + 1 + static_cast<size_t>(x / 8)]);
  return !(byte & (0x80 >> (x % 8)));
}

TEST(QrTest, PngHasTheSymbolAtItsScaleWithAQuietZone) {
  auto png = QrPng("http://x/s/d", 4);  // 21 modules + 2 * 4 quiet = 29 modules = 116 px
  ASSERT_TRUE(png.has_value());
  ASSERT_EQ(png->substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8));
  EXPECT_EQ(png->substr(12, 4), "IHDR");
  EXPECT_EQ((static_cast<unsigned char>((*png)[18]) << 8) | static_cast<unsigned char>((*png)[19]),
            116);
  EXPECT_FALSE(DarkAt(*png, 0, 0));               // quiet zone
  EXPECT_FALSE(DarkAt(*png, 15, 15));             // still quiet zone (module 3)
  EXPECT_TRUE(DarkAt(*png, 16, 16));              // the finder pattern's corner (module 4)
  EXPECT_TRUE(DarkAt(*png, 16 + 6 * 4 + 3, 16));  // its top edge is 7 modules wide
  EXPECT_FALSE(DarkAt(*png, 16 + 7 * 4, 16));     // then the light separator
  EXPECT_NE(png->find("IEND"), std::string::npos);
  EXPECT_FALSE(QrPng("http://x/s/d", 0).has_value());
  EXPECT_FALSE(QrPng(std::string(5000, 'x')).has_value());
}

}  // namespace
}  // namespace candour::web
