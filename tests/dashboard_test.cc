// The public dashboard over HTTP: the summary (/r/{survey}), each measure's page
// (/r/{survey}/{measure}) and their CSV. The figures they show are the release's figures (the
// same as the API), every chart has its table, withheld figures are marked and explained, and
// the CSV holds exactly the rows of the measure pages' tables. Also the API's change_year.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <regex>

#include "tests/csv_reader.h"
#include "tests/test_server.h"
#include "tests/text_count.h"

namespace candour::testing {
namespace {

namespace json = boost::json;

// The row of a figures CSV for `group` of the breakdown `chart`; rows.size() if there is none.
size_t Row(const Csv& csv, const std::string& chart, const std::string& group) {
  size_t r = 0;
  while (r < csv.rows.size() && (csv.At(r, "Chart") != chart || csv.At(r, "Group code") != group))
    ++r;
  return r;
}

class DashboardTest : public ::testing::Test {
 protected:
  DashboardTest()
      : server_([](server::ServerConfig& c) {
          c.now = [] { return std::chrono::sys_days{std::chrono::year{2026} / 11 / 25}; };
        }) {
    auto s = survey::ParseSurvey(R"({"id":"r","languages":["en","tr"],
      "title":{"en":"Trust <here>","tr":"Güven"},"period":"month",
      "questions":[{"id":"q","type":"single","text":{"en":"?"},"options":[
        {"id":"yes","label":{"en":"Yes"}},{"id":"no","label":{"en":"No"}}]},
        {"id":"area","type":"single","dimension":true,"text":{"en":"Where?"},
         "short":{"en":"Area","tr":"Bölge"},"options":[
        {"id":"a","label":{"en":"Area A"}},{"id":"b","label":{"en":"Area B"}}]}],
      "measures":[{"id":"yes_share","question":"q","positive":["yes"],"label":{"en":"Say yes"}}]})");
    EXPECT_TRUE(s.has_value()) << s.error();
    survey_ = *s;
    EXPECT_FALSE(server_.catalog().Put(server_.store(), std::move(*s)));
    // 45/120 in January, 60/125 in February; everyone in area a says yes (a unanimous group:
    // its "no" count of 0 would disclose it, so it is withheld).
    Add("2026-01", "yes", "a", 45);
    Add("2026-01", "no", "b", 75);
    Add("2026-02", "yes", "a", 60);
    Add("2026-02", "no", "b", 65);
    Add("2026-11", "yes", "a", 50);  // the current month: never published
    // A year before: 40 of 100 in the 12 months to March 2025 (the calendar starts in 2024-Q2).
    Add("2024-04", "yes", "a", 20);
    Add("2024-04", "no", "b", 20);
    Add("2025-01", "yes", "a", 20);
    Add("2025-01", "no", "b", 40);
  }
  // Each test reads the survey's release: built first (a first request only queues it).
  void SetUp() override { ASSERT_EQ(server_.WaitForRelease("r").status, 200); }
  void Add(const std::string& month, const std::string& q, const std::string& area, int n) {
    for (int i = 0; i < n; ++i)
      server_.indexes().Add(survey_, month, "", {{"q", q}, {"area", area}});
  }
  TestServer server_;
  HttpClient client_ = server_.Client();
  survey::Survey survey_;
};

TEST_F(DashboardTest, SummaryOfEveryMeasureLinksToItsPage) {
  const HttpReply r = client_.Get("/r/r");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.Header("content-type"), "text/html; charset=utf-8");
  const std::string& b = r.body;
  // The 12 months to March 2026: 105 of 245 = 42.9%, Wilson [36.8%, 49.1%]; against 40 of 100
  // a year before, +2.9 points in [-8.7, +13.9]: no clear change.
  EXPECT_NE(b.find("<caption>Every measure: 12 months to Mar 2026</caption>"), std::string::npos)
      << b;
  EXPECT_NE(b.find("<a href=\"/r/r/yes_share?lang=en\">Say yes</a>"), std::string::npos);
  EXPECT_NE(b.find(">43%</td><td data-label=\"95% interval\">37% to 49%</td>"
                   "<td data-label=\"Base\">245</td>"),
            std::string::npos);
  EXPECT_NE(b.find("<span>no clear change</span> <span class=\"interval\">(-8.7 to +13.9 "
                   "points)</span>"),
            std::string::npos);
  EXPECT_NE(b.find("self-selected sample"), std::string::npos);
  EXPECT_NE(b.find("<section class=\"who-answered\""), std::string::npos);
  EXPECT_EQ(b.find("<figure"), std::string::npos);
  EXPECT_EQ(b.find("2026-11"), std::string::npos);  // the current month is never shown
  EXPECT_NE(b.find("Trust &lt;here&gt;"), std::string::npos);
  EXPECT_EQ(b.find("<script"), std::string::npos);
}

TEST_F(DashboardTest, MeasurePageWithTrendsBreakdownsAndTheirTables) {
  const HttpReply r = client_.Get("/r/r/yes_share");
  ASSERT_EQ(r.status, 200) << r.body;
  const std::string& b = r.body;
  EXPECT_NE(b.find("<h1>Say yes</h1>"), std::string::npos);
  EXPECT_NE(b.find("<figure class=\"chart trend\" id=\"m-yes_share-month\">"), std::string::npos);
  EXPECT_NE(b.find("<polygon class=\"band\""), std::string::npos);
  EXPECT_NE(b.find("<tr><th scope=\"row\">Jan 2026</th><td>38%</td><td>29% to 46%</td>"
                   "<td>120</td></tr>"),
            std::string::npos);
  EXPECT_NE(b.find("<figure class=\"chart breakdown\" id=\"m-yes_share-area\">"),
            std::string::npos);
  EXPECT_NE(b.find("By Area, 12 months to Mar 2026"), std::string::npos);
  EXPECT_EQ(Count(b, "<figure class=\"chart"), Count(b, "<table>"));
  // Area a answered unanimously: withheld, with the one explanation.
  EXPECT_NE(b.find("<td class=\"suppressed\">withheld<span class=\"visually-hidden\">: "
                   "Withheld so that no small group can be picked out"),
            std::string::npos);
  EXPECT_EQ(b.find("Area A: 100%"), std::string::npos);
  // An unknown measure: a 404 page in the reader's language.
  const HttpReply unknown = client_.Get("/r/r/nope?lang=tr");
  EXPECT_EQ(unknown.status, 404);
  EXPECT_NE(unknown.body.find("<html lang=\"tr\">"), std::string::npos);
  EXPECT_NE(unknown.body.find("Bu ankette “nope” adlı bir ölçü yok."), std::string::npos)
      << unknown.body;
}

TEST_F(DashboardTest, CsvHoldsExactlyTheRowsOfTheMeasurePageTables) {
  const std::string page = client_.Get("/r/r/yes_share").body;
  const HttpReply reply = client_.Get("/r/r/figures.csv?measure=yes_share");
  ASSERT_EQ(reply.status, 200) << reply.body;
  EXPECT_EQ(reply.Header("content-type"), "text/csv; charset=utf-8");
  const Csv csv = ReadCsv(reply.body);
  ASSERT_EQ(csv.error, "") << reply.body;
  EXPECT_EQ(csv.header,
            (std::vector<std::string>{
                "Measure code", "Measure", "Chart", "Period code", "Period", "Group code", "Group",
                "Positive answers", "Base (answers counted)", "Share (0 to 1)", "95% interval low",
                "95% interval high", "Note", "Gap to everyone else", "Gap interval low",
                "Gap interval high", "Gap significant (1 or 0)"}));
  EXPECT_EQ(csv.rows.size(), Count(page, "<tr><th scope=\"row\">"));
  EXPECT_NE(
      std::find(csv.rows.begin(), csv.rows.end(),
                std::vector<std::string>{"yes_share", "Say yes", "month", "2026-01", "Jan 2026",
                                         "all", "Everyone who answered", "45", "120", "0.375000",
                                         "0.293524", "0.464230", "", "", "", "", ""}),
      csv.rows.end());
  const size_t a = Row(csv, "area", "a");
  ASSERT_LT(a, csv.rows.size());
  EXPECT_EQ(csv.At(a, "Period code"), "2025-04/2026-03");  // ISO periods stay machine-readable
  EXPECT_EQ(csv.At(a, "Positive answers"), "");
  EXPECT_EQ(csv.At(a, "Share (0 to 1)"), "");
  EXPECT_EQ(csv.At(a, "Gap to everyone else"), "");
  EXPECT_EQ(csv.At(a, "Note"),
            "Withheld so that no small group can be picked out or worked out from other figures.");
  EXPECT_EQ(client_.Get("/r/r/figures.csv?measure=nope").status, 400);
}

// ?lang= chooses the CSV's language as it chooses a page's: the column names and the label
// columns are the reader's, the values the same in every language.
TEST_F(DashboardTest, CsvColumnNamesInTheReadersLanguageWithMachineReadableValues) {
  const Csv en = ReadCsv(client_.Get("/r/r/figures.csv?measure=yes_share").body);
  const Csv tr = ReadCsv(client_.Get("/r/r/figures.csv?measure=yes_share&lang=tr").body);
  const Csv pl = ReadCsv(client_.Get("/r/r/figures.csv?measure=yes_share&lang=pl").body);
  ASSERT_EQ(tr.error, "");
  ASSERT_EQ(pl.error, "");
  EXPECT_EQ(tr.header,
            (std::vector<std::string>{
                "Ölçü kodu", "Ölçü", "Grafik", "Dönem kodu", "Dönem", "Grup kodu", "Grup",
                "Olumlu yanıt", "Yanıt sayısı (taban)", "Oran (0 ile 1 arası)",
                "%95 aralık alt sınırı", "%95 aralık üst sınırı", "Not", "Diğer herkesle fark",
                "Fark aralığı alt sınırı", "Fark aralığı üst sınırı", "Fark anlamlı (1 ya da 0)"}));
  // The survey is in English and Turkish only: Polish falls back to English, as its pages do.
  EXPECT_EQ(pl.header, en.header);
  EXPECT_EQ(pl.rows, en.rows);
  ASSERT_EQ(tr.rows.size(), en.rows.size());
  size_t quarters = 0;
  for (size_t r = 0; r < en.rows.size(); ++r) {
    // Every value column is the same in each language: only the labels and the note differ.
    for (size_t c : {0u, 2u, 3u, 5u, 7u, 8u, 9u, 10u, 11u, 13u, 14u, 15u, 16u})
      EXPECT_EQ(tr.rows[r][c], en.rows[r][c]) << "row " << r << ", column " << en.header[c];
    if (en.At(r, "Period code") == "2026-Q1") {
      ++quarters;  // January to March 2026: the fourth quarter of the financial year 2025/26
      EXPECT_EQ(en.At(r, "Period"), "2025/26 Q4");
      EXPECT_EQ(tr.At(r, "Dönem"), "2025/26 4. çeyrek");
      EXPECT_EQ(tr.At(r, "Oran (0 ile 1 arası)"), "0.428571");  // 105/245, with a point
    }
    if (en.At(r, "Period code") == "2026-01") {
      EXPECT_EQ(tr.At(r, "Dönem"), "Oca 2026");
      EXPECT_EQ(tr.At(r, "Grup"), "Yanıt veren herkes");
    }
    if (en.At(r, "Chart") == "area" && en.At(r, "Group code") == "b") {
      EXPECT_EQ(tr.At(r, "Dönem"), "Mar 2026 sonuna kadar 12 ay");
    }
  }
  EXPECT_EQ(quarters, 1u);
}

TEST_F(DashboardTest, ApiStatesTheChangeOnTheYearBeforeForWindowsAndQuarters) {
  const HttpReply r = client_.Get("/api/surveys/r/results?period=rolling");
  ASSERT_EQ(r.status, 200) << r.body;
  const json::value api = json::parse(r.body);
  size_t checked = 0;
  for (const auto& row : api.at("measures").as_array()[0].at("rows").as_array()) {
    const json::value& change = row.at("change_year");
    if (row.at("period") == "2025-04/2026-03") {
      // 105/245 against 40/100 (hand-checked: Wilson intervals and Newcombe's method 10).
      ASSERT_TRUE(change.is_object()) << r.body;
      EXPECT_NEAR(change.at("difference").as_double(), 0.028571, 1e-6);
      EXPECT_NEAR(change.at("low").as_double(), -0.086541, 1e-6);
      EXPECT_NEAR(change.at("high").as_double(), 0.138693, 1e-6);
      // The pooled z-test (computed in Python): z = 0.487782, p = 0.625704.
      EXPECT_NEAR(change.at("z").as_double(), 0.487782, 1e-6);
      EXPECT_NEAR(change.at("p").as_double(), 0.625704, 1e-6);
      EXPECT_EQ(change.at("from"), "2024-04/2025-03");
      EXPECT_EQ(change.at("significant"), false);
      EXPECT_FALSE(change.as_object().contains("flag"));
      ++checked;
    } else if (row.at("period") == "2024-04/2025-03") {
      EXPECT_TRUE(change.is_null());  // no window a year before it
      ++checked;
    }
  }
  EXPECT_EQ(checked, 2u);
  // By group too; quarters against the same quarter a year earlier; not months.
  const json::value by =
      json::parse(client_.Get("/api/surveys/r/results?period=rolling&by=area").body);
  EXPECT_TRUE(
      by.at("measures").as_array()[0].at("rows").as_array()[0].as_object().contains("change_year"));
  const json::value q = json::parse(client_.Get("/api/surveys/r/results?period=quarter").body);
  EXPECT_TRUE(
      q.at("measures").as_array()[0].at("rows").as_array()[0].as_object().contains("change_year"));
  const json::value m = json::parse(client_.Get("/api/surveys/r/results?period=month").body);
  EXPECT_FALSE(
      m.at("measures").as_array()[0].at("rows").as_array()[0].as_object().contains("change_year"));
}

TEST_F(DashboardTest, CsvNeutralisesTextASpreadsheetWouldRun) {
  auto s = survey::ParseSurvey(R"json({"id":"f","languages":["en"],"title":{"en":"F"},
    "period":"month","questions":[{"id":"q","type":"single","text":{"en":"?"},"options":[
      {"id":"y","label":{"en":"Y"}},{"id":"n","label":{"en":"N"}}]}],
    "measures":[{"id":"m","question":"q","positive":["y"],
      "label":{"en":"=HYPERLINK(\"http://x\",\"a, b\")"}}]})json");
  ASSERT_TRUE(s.has_value()) << s.error();
  const survey::Survey survey = *s;
  ASSERT_FALSE(server_.catalog().Put(server_.store(), std::move(*s)));
  for (int i = 0; i < 40; ++i) {
    server_.indexes().Add(survey, "2026-01", "", {{"q", i % 2 ? "y" : "n"}});
  }
  ASSERT_EQ(server_.WaitForRelease("f").status, 200);
  const Csv csv = ReadCsv(client_.Get("/r/f/figures.csv").body);
  ASSERT_EQ(csv.error, "");
  ASSERT_FALSE(csv.rows.empty());
  for (size_t r = 0; r < csv.rows.size(); ++r) {
    EXPECT_EQ(csv.At(r, "Measure"), "'=HYPERLINK(\"http://x\",\"a, b\")");
  }
  EXPECT_EQ(csv.At(0, "Positive answers"), "20");  // our own numbers stay numbers
}

TEST_F(DashboardTest, SameFiguresAsTheApi) {
  const json::value api =
      json::parse(client_.Get("/api/surveys/r/results?period=rolling&by=area").body);
  const Csv csv = ReadCsv(client_.Get("/r/r/figures.csv").body);
  ASSERT_EQ(csv.error, "");
  size_t compared = 0;
  for (const auto& row : api.at("measures").as_array()[0].at("rows").as_array()) {
    if (row.at("period") != "2025-04/2026-03") continue;
    const std::string group(row.at("group").as_string());
    const size_t at = Row(csv, "area", group);
    ASSERT_LT(at, csv.rows.size()) << group;
    EXPECT_EQ(csv.At(at, "Period code"), "2025-04/2026-03");
    const json::value& base = row.at("base");
    EXPECT_EQ(csv.At(at, "Base (answers counted)"),
              base.is_int64() ? std::to_string(base.as_int64()) : "")
        << group;
    ++compared;
  }
  EXPECT_EQ(compared, 3u);  // a, b and not_stated
}

TEST_F(DashboardTest, LanguagePrintAndBadViews) {
  const std::string tr = client_.Get("/r/r?lang=tr").body;
  EXPECT_NE(tr.find("<html lang=\"tr\">"), std::string::npos);
  EXPECT_NE(tr.find("Güven"), std::string::npos);
  EXPECT_NE(tr.find("Bölge"), std::string::npos);
  // The summary's printable brief: each measure's quarterly trend, without the profile.
  const std::string brief = client_.Get("/r/r?print=1").body;
  EXPECT_NE(brief.find("<section class=\"brief-charts\""), std::string::npos) << brief;
  EXPECT_NE(brief.find("<figcaption id=\"m-yes_share-quarter-t\">Say yes: by financial quarter"),
            std::string::npos);
  EXPECT_EQ(brief.find("who-answered"), std::string::npos);
  const std::string print = client_.Get("/r/r/yes_share?print=1").body;
  EXPECT_NE(print.find("<main class=\"dashboard print\">"), std::string::npos);
  EXPECT_NE(print.find("<details class=\"figures\" open>"), std::string::npos);
  EXPECT_EQ(print.find("class=\"actions\""), std::string::npos);
  for (const char* bad : {"/r/r?period=week", "/r/r/yes_share?from=2026-01"}) {
    const HttpReply r = client_.Get(bad);
    EXPECT_EQ(r.status, 400) << bad;
    EXPECT_NE(r.body.find("allowed: print=1"), std::string::npos) << r.body;
  }
  EXPECT_EQ(client_.Get("/r/nope").status, 404);
}

TEST_F(DashboardTest, PrivateResultsAreNotShown) {
  auto s = survey::ParseSurvey(R"({"id":"private","languages":["en"],"title":{"en":"P"},
    "public_results":false,"questions":[{"id":"q","type":"text","text":{"en":"?"}}]})");
  ASSERT_TRUE(s.has_value());
  ASSERT_FALSE(server_.catalog().Put(server_.store(), std::move(*s)));
  const HttpReply page = client_.Get("/r/private");
  EXPECT_EQ(page.status, 404);
  EXPECT_NE(page.body.find("not public"), std::string::npos);
  EXPECT_EQ(client_.Get("/r/private/figures.csv").status, 404);
}

TEST_F(DashboardTest, SurveyWithNoCompletedMonthSaysSo) {
  auto s = survey::ParseSurvey(R"({"id":"new","languages":["en"],"title":{"en":"N"},
    "questions":[{"id":"q","type":"single","text":{"en":"?"},"options":[{"id":"y","label":{"en":"Y"}},{"id":"n","label":{"en":"N"}}]}],
    "measures":[{"id":"m","question":"q","positive":["y"],"label":{"en":"M"}}]})");
  ASSERT_TRUE(s.has_value()) << s.error();
  ASSERT_FALSE(server_.catalog().Put(server_.store(), std::move(*s)));
  ASSERT_EQ(server_.WaitForRelease("new").status, 200);
  const HttpReply r = client_.Get("/r/new");
  ASSERT_EQ(r.status, 200);
  EXPECT_NE(r.body.find("No results have been published yet"), std::string::npos);
}

}  // namespace
}  // namespace candour::testing

namespace candour::testing {
namespace {

// gzip (server/gzip.h): public pages, CSV, JSON and CSS are compressed for a client that
// accepts it, and decode to exactly the bytes an uncompressing client gets.
TEST_F(DashboardTest, GzipGivesTheSameBytesToAClientThatAcceptsIt) {
  for (const std::string target : {"/r/r", "/r/r/yes_share?lang=tr", "/r/r/figures.csv",
                                   "/api/surveys/r/results", "/static/candour.css"}) {
    const HttpReply plain = client_.Get(target);
    const HttpReply zipped = client_.Get(target, {{"Accept-Encoding", "br, gzip;q=0.8"}});
    ASSERT_EQ(plain.status, 200) << target;
    ASSERT_EQ(zipped.status, 200) << target;
    EXPECT_EQ(plain.Header("content-encoding"), "") << target;
    EXPECT_EQ(zipped.Header("content-encoding"), "gzip") << target;
    EXPECT_EQ(zipped.Header("vary"), "Accept-Encoding") << target;
    EXPECT_EQ(plain.Header("vary"), "Accept-Encoding") << target;
    EXPECT_EQ(zipped.body, plain.body) << target;
    EXPECT_LT(zipped.wire_bytes, plain.wire_bytes) << target;
    std::printf("%s: %zu bytes, %zu gzip\n", target.c_str(), plain.wire_bytes, zipped.wire_bytes);
  }
  // q=0 refuses gzip; a PNG is compressed already.
  EXPECT_EQ(client_.Get("/r/r", {{"Accept-Encoding", "gzip;q=0"}}).Header("content-encoding"), "");
  const HttpReply png = client_.Get("/s/r/qr.png", {{"Accept-Encoding", "gzip"}});
  EXPECT_EQ(png.Header("content-encoding"), "");
}

TEST_F(DashboardTest, NeverGzipsAdminResponses) {
  const HttpReply r = client_.Get("/api/admin/surveys", {{"Accept-Encoding", "gzip"}});
  EXPECT_NE(r.status, 0);
  EXPECT_EQ(r.Header("content-encoding"), "");
  const HttpReply page = client_.Get("/admin", {{"Accept-Encoding", "gzip"}});
  EXPECT_EQ(page.Header("content-encoding"), "");
  const HttpReply answer = client_.Get("/s/r", {{"Accept-Encoding", "gzip"}});
  EXPECT_EQ(answer.Header("content-encoding"), "");
}

TEST_F(DashboardTest, TurkishPagesWriteDecimalCommasAndPercentFirst) {
  const HttpReply r = client_.Get("/r/r?lang=tr");
  ASSERT_EQ(r.status, 200);
  EXPECT_NE(r.body.find("%43"), std::string::npos) << r.body;
  EXPECT_NE(r.body.find("-8,7"), std::string::npos) << r.body;
  EXPECT_EQ(r.body.find("-8.7"), std::string::npos);
}

}  // namespace
}  // namespace candour::testing
