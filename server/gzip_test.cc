#include "server/gzip.h"

#include <gtest/gtest.h>

namespace candour::server {
namespace {

TEST(GzipTest, AcceptEncodingWithQualities) {
  EXPECT_TRUE(AcceptsGzip("gzip"));
  EXPECT_TRUE(AcceptsGzip("br, GZIP;q=0.5"));
  EXPECT_TRUE(AcceptsGzip("deflate, *"));
  EXPECT_TRUE(AcceptsGzip("x-gzip"));
  EXPECT_FALSE(AcceptsGzip(""));
  EXPECT_FALSE(AcceptsGzip("br, deflate"));
  EXPECT_FALSE(AcceptsGzip("gzip;q=0"));
  EXPECT_FALSE(AcceptsGzip("gzip;q=0.000"));
  EXPECT_FALSE(AcceptsGzip("gzipx"));
}

Response Text(std::string type, std::string body) {
  Response res{boost::beast::http::status::ok, 11};
  res.set(boost::beast::http::field::content_type, type);
  res.body() = std::move(body);
  res.prepare_payload();
  return res;
}

TEST(GzipTest, OnlyPublicTextResponsesAreCompressed) {
  const std::string page(2000, 'a');
  Response r = Text("text/html; charset=utf-8", page);
  MaybeGzip(r, "gzip", "/r/x?lang=tr");
  EXPECT_EQ(r[boost::beast::http::field::content_encoding], "gzip");
  EXPECT_LT(r.body().size(), page.size());
  EXPECT_EQ(r[boost::beast::http::field::content_length], std::to_string(r.body().size()));

  for (const char* target : {"/admin", "/api/admin/surveys", "/s/x", "/s/x/responses"}) {
    Response a = Text("text/html; charset=utf-8", page);
    MaybeGzip(a, "gzip", target);
    EXPECT_EQ(a.body(), page) << target;
  }
  Response png = Text("image/png", page);
  MaybeGzip(png, "gzip", "/s/x/qr.png");
  EXPECT_EQ(png.body(), page);
  Response small = Text("application/json", "{}");
  MaybeGzip(small, "gzip", "/api/surveys/x");
  EXPECT_EQ(small.body(), "{}");
  EXPECT_EQ(small[boost::beast::http::field::vary], "Accept-Encoding");
}

}  // namespace
}  // namespace candour::server
