#include "server/qr.h"

#include <gtest/gtest.h>

#include <regex>

namespace candour::server {
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

}  // namespace
}  // namespace candour::server
