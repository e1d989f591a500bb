#include "survey/source_counts.h"

#include <gtest/gtest.h>

#include "stats/protect.h"

namespace candour::survey {
namespace {

using Shown = SourceCell::Shown;
using std::chrono::sys_days;
using namespace std::chrono_literals;

Survey Declaring(const std::string& sources, const std::string& period = "week") {
  auto s = ParseSurvey(R"({"id":"t","languages":["en"],"title":{"en":"T"},"period":")" + period +
                       R"(","sources":)" + sources +
                       R"(,"questions":[{"id":"q","type":"text","text":{"en":"?"}}]})");
  EXPECT_TRUE(s.has_value()) << s.error();
  return s ? std::move(*s) : Survey();
}

void AddN(stats::ResponseIndex& index, const std::string& period, const std::string& src, int n) {
  for (int i = 0; i < n; ++i) index.Add(period, src, {});
}

const sys_days kToday = sys_days(2026y / 12 / 2);

// Everything an organiser learns about each small count from the page and the known totals:
// the page's counts as constants, each month's total and the survey's total as known, every
// figure not shown as a count unknown and at least 0. Returns [min, max] of each cell
// (month-major) by the LP relaxation, through stats' own range finder.
std::vector<stats::Range> AttackerRanges(const SourceCounts& c,
                                         const std::vector<std::vector<uint64_t>>& truth) {
  const size_t M = c.months.size(), S = c.sources.size();
  auto u = [](size_t i) { return static_cast<uint32_t>(i); };
  std::vector<stats::ProtectCell> cells(M * S + M + 1);
  std::vector<stats::Relation> rel;
  stats::Relation all{u(M * S + M), {}};
  for (size_t m = 0; m < M; ++m) {
    stats::Relation row{u(M * S + m), {}};
    for (size_t s = 0; s < S; ++s) {
      auto& cell = cells[m * S + s];
      cell.value = truth[m][s];
      cell.suppressed = c.months[m].cells[s].shown != Shown::kCount;
      cells[M * S + m].value += truth[m][s];
      row.parts.push_back(u(m * S + s));
    }
    cells[M * S + M].value += cells[M * S + m].value;
    all.parts.push_back(u(M * S + m));
    rel.push_back(std::move(row));
  }
  rel.push_back(std::move(all));
  return stats::SuppressedRanges(cells, rel);
}

TEST(SourceCountsTest, SmallCountsAreFewerThanTenAndCannotBeWorkedOutFromTheMonthsTotal) {
  const Survey s = Declaring(
      R"([{"tag":"morningside","label":"Morningside, 26 Nov"},{"tag":"library","label":"L"},)"
      R"({"tag":"market","label":"Market poster"}])");
  stats::ResponseIndex index({});
  // November 2026 (weeks 45-48 have their Thursday in November): 40 + 3 + 25 + 0.
  AddN(index, "2026-W46", "morningside", 40);
  AddN(index, "2026-W47", "library", 3);
  AddN(index, "2026-W48", "market", 25);
  // The week of 1 December 2026 (W49, still under way) holds 12 from the market.
  AddN(index, "2026-W49", "market", 12);
  const SourceCounts c = CountSources(s, index, kToday);

  ASSERT_EQ(c.sources.size(), 3u);  // only declared tags were stored
  EXPECT_EQ(c.sources[0].tag, "morningside");
  EXPECT_TRUE(c.sources[0].declared);
  ASSERT_EQ(c.months.size(), 2u);
  EXPECT_EQ(c.months[0].month, "2026-11");
  EXPECT_TRUE(c.months[0].complete);
  EXPECT_EQ(c.months[1].month, "2026-12");
  EXPECT_FALSE(c.months[1].complete);  // under way: shown, and marked so
  EXPECT_EQ(c.total, 80u);
  EXPECT_TRUE(c.fully_protected);

  const auto& nov = c.months[0].cells;
  EXPECT_EQ(nov[1].shown, Shown::kFewerThan);
  EXPECT_EQ(nov[1].count, 0u);  // the true 3 is never carried
  // November's total (68) is known: the 3 must not follow from it by subtraction, so another
  // November figure is withheld too.
  int hidden = 0;
  for (const SourceCell& cell : nov) hidden += cell.shown != Shown::kCount;
  EXPECT_GE(hidden, 2);
  const auto ranges = AttackerRanges(c, {{40, 3, 25}, {0, 0, 12}});
  EXPECT_LE(ranges[1].min, 0.0);
  EXPECT_TRUE(ranges[1].max < 0 || ranges[1].max >= 10.0) << ranges[1].max;
  // December: 12 from the market, shown; the other sources' zeros may be shown or withheld.
  EXPECT_EQ(c.months[1].cells[2].shown, Shown::kCount);
  EXPECT_EQ(c.months[1].cells[2].count, 12u);
}

TEST(SourceCountsTest, AMonthOfFewerThanTheThresholdShowsNoCountOfItsOwn) {
  const Survey s = Declaring(R"([{"tag":"a","label":"A"},{"tag":"b","label":"B"}])", "month");
  stats::ResponseIndex index({});
  AddN(index, "2026-09", "a", 30);
  AddN(index, "2026-09", "b", 20);
  AddN(index, "2026-10", "a", 2);  // October: 2 in all, both from a
  const SourceCounts c = CountSources(s, index, kToday);
  ASSERT_EQ(c.months.size(), 2u);
  // Were b's 0 shown, a's "fewer than 10" would be October's known total, 2.
  for (const SourceCell& cell : c.months[1].cells) EXPECT_EQ(cell.shown, Shown::kFewerThan);
  const auto ranges = AttackerRanges(c, {{30, 20}, {2, 0}});
  EXPECT_LE(ranges[2].min, 0.0);
  EXPECT_GE(ranges[2].max, 2.0);
}

TEST(SourceCountsTest, UndeclaredAndMissingTagsHaveTheirOwnColumns) {
  const Survey s = Declaring(R"([{"tag":"a","label":"A"}])");
  stats::ResponseIndex index({});
  AddN(index, "2026-W40", "a", 12);
  AddN(index, "2026-W40", "other", 15);
  AddN(index, "2026-W40", "", 20);
  AddN(index, "2026-W41", "old-poster", 11);  // stored before the survey declared sources
  const SourceCounts c = CountSources(s, index, kToday);
  ASSERT_EQ(c.sources.size(), 4u);
  EXPECT_EQ(c.sources[1].tag, "old-poster");
  EXPECT_EQ(c.sources[2].tag, "other");
  EXPECT_EQ(c.sources[3].tag, "");
  EXPECT_FALSE(c.sources[3].declared);
  ASSERT_EQ(c.months.size(), 1u);
  EXPECT_EQ(c.months[0].cells[0].count, 12u);
  EXPECT_EQ(c.months[0].cells[1].count, 11u);
  EXPECT_EQ(c.months[0].cells[2].count, 15u);
  EXPECT_EQ(c.months[0].cells[3].count, 20u);
}

TEST(SourceCountsTest, ASurveyWithoutResponsesListsItsDeclaredSources) {
  const Survey s = Declaring(R"([{"tag":"a","label":"A"},{"tag":"b","label":"B"}])");
  const SourceCounts c = CountSources(s, stats::ResponseIndex({}), kToday);
  EXPECT_EQ(c.sources.size(), 2u);
  EXPECT_TRUE(c.months.empty());
  EXPECT_TRUE(c.fully_protected);
}

TEST(SourceCountsTest, PosterFactsAreParsedAndRefusedNamingTheField) {
  auto with = [](const std::string& facts) {
    return ParseSurvey(R"({"id":"t","languages":["en"],"title":{"en":"T"},)" + facts +
                       R"("questions":[{"id":"q","type":"text","text":{"en":"?"}}]})");
  };
  auto s = with(R"("force_name":"Hackney Council","contact":"Questions: 020 8356 3000",)"
                R"("closes":"2027-03-31",)");
  ASSERT_TRUE(s.has_value()) << s.error();
  EXPECT_EQ(s->organisation, "Hackney Council");
  EXPECT_EQ(s->contact, "Questions: 020 8356 3000");
  ASSERT_TRUE(s->closes.has_value());
  EXPECT_EQ(*s->closes, std::chrono::year_month_day(2027y / 3 / 31));
  EXPECT_EQ(with(R"("closes":"2027-02-30",)").error(), "closes: expected a date YYYY-MM-DD");
  EXPECT_EQ(with(R"("closes":3,)").error(), "closes: expected a string of at most 10 bytes");
  EXPECT_EQ(with(R"("contact":")" + std::string(kMaxContactLine + 1, 'x') + R"(",)").error(),
            "contact: expected a string of at most 200 bytes");
  auto plain = with("");
  ASSERT_TRUE(plain.has_value());
  EXPECT_FALSE(plain->closes.has_value());
}

}  // namespace
}  // namespace candour::survey
