#include "stats/release.h"

#include <gtest/gtest.h>

#include <random>

#include "stats/estimate.h"

namespace candour::stats {
namespace {

using namespace std::chrono;

// A question spec with no condition (fields assigned, so the warnings about members left to
// their defaults stay meaningful elsewhere).
QuestionSpec Question(std::string id, std::vector<std::string> options, std::vector<bool> missing,
                      std::vector<MeasureSpec> measures = {}) {
  QuestionSpec q;
  q.id = std::move(id);
  q.options = std::move(options);
  q.missing = std::move(missing);
  q.measures = std::move(measures);
  return q;
}

// Q60-like question (5 options + "don't know") with one measure, and a ward dimension.
ReleaseSpec Spec() {
  ReleaseSpec spec;
  spec.kind = PeriodKind::kMonth;
  spec.today = sys_days{2026y / November / 25};
  spec.questions.push_back(Question("Q60",
                                    {"excellent", "good", "fair", "poor", "very_poor", "dont_know"},
                                    {false, false, false, false, false, true},
                                    {{"good_job", {true, true, false, false, false, false}}}));
  spec.dimensions.push_back(
      {"ward", {"north", "south", "east", "prefer_not"}, {false, false, false, true}, "", ""});
  return spec;
}

ResponseIndex Index() {
  return ResponseIndex({{"Q60", ColumnSpec::Kind::kCode, 6}, {"ward", ColumnSpec::Kind::kCode, 4}});
}

void Add(ResponseIndex& index, const std::string& month, uint64_t q60, uint64_t ward, int n) {
  const uint64_t codes[] = {q60, ward};
  for (int i = 0; i < n; ++i) index.Add(month, "", codes);
}

TEST(ReleaseTest, CountsSharesAndCompletedPeriodsOnly) {
  ResponseIndex index = Index();
  // Every ward answers in several ways in both months, so nothing is small or unanimous.
  for (const char* month : {"2026-01", "2026-02"}) {
    for (uint64_t ward : {1u, 2u, 3u}) {
      Add(index, month, 1, ward, 10);  // excellent
      Add(index, month, 2, ward, 15);  // good
      Add(index, month, 4, ward, 20);  // poor
      Add(index, month, 6, ward, 10);  // don't know: outside the base
    }
  }
  Add(index, "2026-02", 3, 0, 12);  // fair, ward not stated
  Add(index, "2026-11", 2, 3, 50);  // November is not complete on 25 November
  const Release r = Release::Build(Spec(), index);
  EXPECT_TRUE(r.fully_protected());
  // Only the not-stated row (12, all "fair") is unanimous: it and a complement are withheld.
  EXPECT_LE(r.suppressed_cells(), 8u);
  EXPECT_EQ(r.Periods(Level::kMonth), (std::vector<std::string>{"2026-01", "2026-02"}));
  EXPECT_EQ(r.Periods(Level::kQuarter), (std::vector<std::string>{"2026-Q1"}));
  EXPECT_TRUE(r.Periods(Level::kRolling).empty());  // no four complete quarters yet
  const MeasureCell* jan = r.Measure("good_job", "", "2026-01", kAllGroups);
  ASSERT_NE(jan, nullptr);
  EXPECT_EQ(jan->base.count, 135u);
  EXPECT_EQ(jan->positive.count, 75u);
  ASSERT_TRUE(jan->share_shown);
  EXPECT_NEAR(jan->share, 75.0 / 135.0, 1e-12);
  const Interval ci = WilsonInterval(75, 135);
  EXPECT_DOUBLE_EQ(jan->low, ci.low);
  // No view spans a growing range: there is no "all completed months" figure.
  EXPECT_EQ(r.Measure("good_job", "", kAllPeriods, kAllGroups), nullptr);
  EXPECT_EQ(r.Distribution("Q60", kAllPeriods, "base"), nullptr);
  EXPECT_EQ(r.Measure("good_job", "", "2026-Q1", kAllGroups)->base.count, 135u * 2 + 12);
  EXPECT_EQ(r.Distribution("Q60", "2026-01", "dont_know")->count, 30u);
  // The total (base plus "don't know") is not published for a measure's question.
  EXPECT_EQ(r.Distribution("Q60", "2026-02", "total"), nullptr);
  EXPECT_EQ(r.Distribution("Q60", "2026-02", "base")->count +
                r.Distribution("Q60", "2026-02", "dont_know")->count,
            177u);
  const MeasureCell* south = r.Measure("good_job", "ward", "2026-Q1", "south");
  ASSERT_NE(south, nullptr);
  EXPECT_EQ(south->base.count, 90u);
  EXPECT_EQ(south->positive.count, 50u);
  const MeasureCell* unstated = r.Measure("good_job", "ward", "2026-Q1", kNotStated);
  ASSERT_NE(unstated, nullptr);
  EXPECT_EQ(unstated->base.count, 12u);
  EXPECT_EQ(unstated->negative.suppressed, Suppression::kDisclosesGroup);
  EXPECT_FALSE(unstated->share_shown);
  EXPECT_EQ(r.Measure("good_job", "ward", "2026-01", "south"), nullptr);  // no monthly groups
}

TEST(ReleaseTest, SmallCountsAndUnanimousGroupsAreSuppressed) {
  ResponseIndex index = Index();
  Add(index, "2026-01", 2, 1, 40);
  Add(index, "2026-01", 4, 1, 3);   // 3 in north said poor: a small count
  Add(index, "2026-01", 4, 2, 35);  // everyone in south said poor
  Add(index, "2026-01", 1, 3, 25);
  Add(index, "2026-01", 4, 3, 25);
  const Release r = Release::Build(Spec(), index);
  EXPECT_TRUE(r.fully_protected());
  const MeasureCell* south = r.Measure("good_job", "ward", "2026-Q1", "south");
  ASSERT_NE(south, nullptr);
  EXPECT_FALSE(south->negative.published());
  EXPECT_FALSE(south->positive.published());
  EXPECT_FALSE(south->share_shown);
  EXPECT_EQ(r.Distribution("Q60", "2026-01", "base")->count, 128u);
  const MeasureCell* north = r.Measure("good_job", "ward", "2026-Q1", "north");
  EXPECT_EQ(north->negative.suppressed, Suppression::kSmallCount);  // the 3
}

// The auditor in miniature: with many small cells, every suppressed cell can still be 0 and
// at least the threshold given everything published; without secondary suppression, not.
uint64_t Violations(const Release& r) {
  uint64_t violations = 0;
  for (const auto& [question, system] : r.systems()) {
    const auto ranges = SuppressedRanges(system.cells, system.relations);
    for (size_t i = 0; i < system.cells.size(); ++i) {
      // Sensitive by their true values: a small count, or a zero withheld with its group.
      const ProtectCell& c = system.cells[i];
      if (!c.suppressed || (c.value >= 10) || (c.value == 0 && c.need == Need::kNone)) continue;
      // An internal cell that is not a figure of its own (a group's rest, beside its profile).
      if (system.keys[i].empty() && c.need == Need::kNone) continue;
      const bool can_be_zero = c.value == 0 || ranges[i].min <= 1e-6;
      const bool can_be_large = ranges[i].max < 0 || ranges[i].max >= 10 - 1e-6;
      violations += !(can_be_zero && can_be_large);
    }
  }
  return violations;
}

// A small "don't know" count in a month is withheld on its own: the base (and so the share)
// stays, because the total it would be worked out from is not published.
TEST(ReleaseTest, ASmallDontKnowDoesNotWithholdTheBase) {
  ResponseIndex index = Index();
  for (const char* month : {"2026-01", "2026-02", "2026-03"}) {
    for (uint64_t ward : {1u, 2u, 3u}) {
      Add(index, month, 1, ward, 12);
      Add(index, month, 2, ward, 15);
      Add(index, month, 4, ward, 20);
    }
  }
  Add(index, "2026-02", 6, 1, 3);  // three "don't know" in February
  const Release r = Release::Build(Spec(), index);
  EXPECT_TRUE(r.fully_protected());
  EXPECT_FALSE(r.Distribution("Q60", "2026-02", "dont_know")->published());
  const MeasureCell* feb = r.Measure("good_job", "", "2026-02", kAllGroups);
  ASSERT_NE(feb, nullptr);
  EXPECT_TRUE(feb->share_shown);
  EXPECT_EQ(feb->base.count, 3u * 47);
  EXPECT_EQ(Violations(r), 0u);
}

TEST(ReleaseTest, NoSuppressedCellCanBeNarrowedBelowTheStandard) {
  for (unsigned seed = 1; seed <= 5; ++seed) {
    std::mt19937 rng(seed);
    ResponseIndex index = Index();
    std::uniform_int_distribution<int> month(1, 9), answer(1, 6), ward(0, 4), burst(1, 12);
    for (int i = 0; i < 120; ++i) {
      char label[16];
      std::snprintf(label, sizeof label, "2026-%02d", month(rng));
      Add(index, label, static_cast<uint64_t>(answer(rng)), static_cast<uint64_t>(ward(rng)),
          burst(rng));
    }
    const Release safe = Release::Build(Spec(), index);
    EXPECT_TRUE(safe.fully_protected()) << "seed " << seed;
    EXPECT_GT(safe.suppressed_cells(), 10u) << "seed " << seed;
    EXPECT_EQ(Violations(safe), 0u) << "seed " << seed;
    const Release broken = BuildRelease(Spec(), index, {.secondary_suppression = false});
    EXPECT_GT(Violations(broken), 0u) << "seed " << seed;
  }
}

// A thin survey over many wards: the cheapest complement for a small ward's cell is often the
// whole population's latest 12 months, the figure officials read first. Where protection
// withholds one, it tries again with them published, and keeps that when every cell can be
// protected without them (within the first attempt's LP work). Seed 1 is a data set where the
// method before withheld the latest 12 months' share (found by searching seeds; at 8 or 16
// wards most seeds need no help); seeds 2 and 3 check it never makes the headline worse.
TEST(ReleaseTest, TheLatestTwelveMonthsArePublishedWheneverProtectionAllows) {
  constexpr uint32_t kWards = 20;
  ReleaseSpec spec = Spec();
  spec.dimensions[0].options.clear();
  for (uint32_t w = 0; w < kWards; ++w) {
    char name[16];
    std::snprintf(name, sizeof name, "w%u", w);
    spec.dimensions[0].options.emplace_back(name);
  }
  spec.dimensions[0].options.push_back("prefer_not");
  spec.dimensions[0].missing = std::vector<bool>(kWards + 1, false);
  spec.dimensions[0].missing.back() = true;
  std::vector<bool> before_shown, after_shown;
  for (unsigned seed = 1; seed <= 3; ++seed) {
    std::mt19937 rng(seed);
    ResponseIndex index(
        {{"Q60", ColumnSpec::Kind::kCode, 6}, {"ward", ColumnSpec::Kind::kCode, kWards + 1}});
    std::uniform_int_distribution<int> month(0, 23), answer(1, 6), ward(0, kWards + 1);
    for (int i = 0; i < 200; ++i) {
      const int m = month(rng);
      char label[16];
      std::snprintf(label, sizeof label, "%d-%02d", 2024 + (m + 9) / 12, (m + 9) % 12 + 1);
      // Wards of very different sizes, as real ones are: the lesser of two draws (0: not
      // stated, the most common).
      Add(index, label, static_cast<uint64_t>(answer(rng)),
          static_cast<uint64_t>(std::min(ward(rng), ward(rng))), 1);
    }
    const Release before = BuildRelease(spec, index, {.headline_retry = false});
    const Release after = Release::Build(spec, index);
    ASSERT_FALSE(after.Periods(Level::kRolling).empty());
    const std::string latest = after.Periods(Level::kRolling).back();
    before_shown.push_back(before.Measure("good_job", "", latest, kAllGroups)->share_shown);
    after_shown.push_back(after.Measure("good_job", "", latest, kAllGroups)->share_shown);
    EXPECT_TRUE(after_shown.back() || !before_shown.back()) << "seed " << seed;
    EXPECT_TRUE(after.fully_protected()) << "seed " << seed;
    EXPECT_EQ(Violations(after), 0u) << "seed " << seed;
    EXPECT_EQ(Violations(before), 0u) << "seed " << seed;
  }
  EXPECT_EQ(before_shown, (std::vector<bool>{false, true, true}));
  EXPECT_EQ(after_shown, (std::vector<bool>{true, true, true}));
}

TEST(ReleaseTest, GapsUseNewcombeAgainstEveryoneElseWhoStatedAGroup) {
  ResponseIndex index = Index();
  Add(index, "2026-01", 1, 1, 56);  // north: 56 of 70
  Add(index, "2026-01", 4, 1, 14);
  Add(index, "2026-01", 1, 2, 28);  // south and east: 48 of 80 together
  Add(index, "2026-01", 4, 2, 12);
  Add(index, "2026-01", 1, 3, 20);
  Add(index, "2026-01", 4, 3, 20);
  Add(index, "2026-01", 1, 4, 15);  // prefer not to say: in no one's comparison
  Add(index, "2026-01", 4, 4, 15);
  const Release r = Release::Build(Spec(), index);
  const auto north = GapOf(r, "good_job", "ward", "2026-Q1", "north");
  ASSERT_TRUE(north.has_value());
  const Difference d = NewcombeInterval(56, 70, 48, 80);
  EXPECT_NEAR(north->difference, 0.2, 1e-12);
  EXPECT_NEAR(north->low, d.low, 1e-12);
  EXPECT_NEAR(north->high, d.high, 1e-12);
  EXPECT_TRUE(north->significant);
  EXPECT_FALSE(GapOf(r, "good_job", "ward", "2026-Q1", kNotStated).has_value());
  EXPECT_FALSE(GapOf(r, "good_job", "ward", "2026-01", "north").has_value());  // no such view
}

TEST(ReleaseTest, AConditionalQuestionCountsOnlyThoseItIsFor) {
  ReleaseSpec spec;
  spec.kind = PeriodKind::kMonth;
  spec.today = sys_days{2026y / November / 25};
  QuestionSpec stopped = Question("stopped", {"yes", "no"}, {false, false});
  QuestionSpec respect =
      Question("respect", {"agree", "disagree"}, {false, false}, {{"respected", {true, false}}});
  respect.when_question = "stopped";
  respect.when_codes = {1};  // "yes"
  spec.questions = {stopped, respect};
  ResponseIndex index(
      {{"stopped", ColumnSpec::Kind::kCode, 2}, {"respect", ColumnSpec::Kind::kCode, 2}});
  auto add = [&](uint64_t s, uint64_t r, int n) {
    const uint64_t codes[] = {s, r};
    for (int i = 0; i < n; ++i) index.Add("2026-03", "", codes);
  };
  add(1, 1, 20);
  add(1, 2, 25);
  add(1, 0, 5);
  add(2, 0, 100);
  add(2, 1, 30);  // answers from those not stopped (stored before the condition): not counted
  const Release r = Release::Build(spec, index);
  const MeasureCell* m = r.Measure("respected", "", "2026-03", kAllGroups);
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(m->base.count, 45u);  // of those stopped, not 75
  EXPECT_EQ(m->positive.count, 20u);
}

TEST(ReleaseTest, RollingTwelveMonthsAreTheirFourQuarters) {
  ResponseIndex index = Index();
  for (int y : {2025, 2026}) {
    for (int m = 1; m <= (y == 2025 ? 12 : 9); ++m) {
      char label[16];
      std::snprintf(label, sizeof label, "%d-%02d", y, m);
      for (uint64_t ward : {1u, 2u, 3u}) {
        Add(index, label, 2, ward, y == 2025 ? 8 : 11);
        Add(index, label, 4, ward, y == 2025 ? 12 : 9);
      }
    }
  }
  const Release r = Release::Build(Spec(), index);
  EXPECT_EQ(r.Periods(Level::kRolling),
            (std::vector<std::string>{"2025-01/2025-12", "2025-04/2026-03", "2025-07/2026-06",
                                      "2025-10/2026-09"}));
  const MeasureCell* window = r.Measure("good_job", "", "2025-10/2026-09", kAllGroups);
  ASSERT_NE(window, nullptr);
  EXPECT_EQ(window->base.count, 3u * 20 * 12);
  EXPECT_EQ(window->positive.count, 3u * (8 * 3 + 11 * 9));
  const MeasureCell* north = r.Measure("good_job", "ward", "2025-10/2026-09", "north");
  ASSERT_NE(north, nullptr);
  EXPECT_EQ(north->base.count, 20u * 12);
  // The calendar year is the window ending in December; there is no separate year figure.
  EXPECT_EQ(r.Measure("good_job", "", "2025", kAllGroups), nullptr);
  EXPECT_EQ(r.Measure("good_job", "", "2025-01/2025-12", kAllGroups)->base.count, 3u * 20 * 12);
}

// A demographic question publishes its profile by rolling 12 months only. Its months and
// quarters are withheld, internal cells, so that the overlapping windows are audited together:
// the one window that holds a small group protects it even though the window before (where
// the group was 0) is published.
TEST(ReleaseTest, AProfileIsPublishedByRollingWindowsOnly) {
  ReleaseSpec spec;
  spec.kind = PeriodKind::kMonth;
  spec.today = sys_days{2026y / November / 25};
  QuestionSpec profile =
      Question("ward", {"north", "south", "east", "prefer_not"}, {false, false, false, true});
  profile.profile_only = true;
  spec.questions.push_back(profile);
  ResponseIndex index({{"ward", ColumnSpec::Kind::kCode, 4}});
  auto add = [&](const std::string& month, uint64_t ward, int n) {
    const uint64_t codes[] = {ward};
    for (int i = 0; i < n; ++i) index.Add(month, "", codes);
  };
  for (int y : {2025, 2026}) {
    for (int m = 1; m <= (y == 2025 ? 12 : 9); ++m) {
      char label[16];
      std::snprintf(label, sizeof label, "%d-%02d", y, m);
      add(label, 1, 20);
      add(label, 2, 15);
      add(label, 4, 3);
    }
  }
  add("2026-08", 3, 3);  // east: three respondents, all in August 2026
  const Release r = Release::Build(spec, index);
  EXPECT_TRUE(r.fully_protected());
  EXPECT_EQ(r.Distribution("ward", "2026-08", "north"), nullptr);
  EXPECT_EQ(r.Distribution("ward", "2026-Q3", "north"), nullptr);
  EXPECT_EQ(r.Distribution("ward", kAllPeriods, "north"), nullptr);
  const Figure* before = r.Distribution("ward", "2025-07/2026-06", "north");
  ASSERT_NE(before, nullptr);
  ASSERT_TRUE(before->published());
  EXPECT_EQ(before->count, 12u * 20);
  const Figure* east = r.Distribution("ward", "2025-10/2026-09", "east");
  ASSERT_NE(east, nullptr);
  EXPECT_FALSE(east->published());
  EXPECT_TRUE(r.Distribution("ward", "2025-07/2026-06", "east")->published());  // a 0
  // Internal cells are never published and not counted as withheld figures.
  for (const auto& [key, value] : r.Published()) {
    EXPECT_NE(key.find('/'), std::string::npos) << key << " is not a window";
  }
  EXPECT_EQ(Violations(r), 0u);
  const Release broken = BuildRelease(spec, index, {.secondary_suppression = false});
  EXPECT_GT(Violations(broken), 0u);
}

// The linked case: group "east" has 10 respondents in one quarter and 2 in the next,
// and everyone answers. Once the first quarter's base of 10 is public (an earlier release),
// the profile's window of 12 would pin the second quarter's 2: the profile's system knows the
// measure's bases by group, so it withholds the window (with a complement).
TEST(ReleaseHistoryTest, AProfileIsProtectedWithTheBasesItBounds) {
  ReleaseSpec spec = Spec();
  QuestionSpec profile =
      Question("ward", {"north", "south", "east", "prefer_not"}, {false, false, false, true});
  profile.profile_only = true;
  spec.questions.push_back(profile);
  ResponseIndex index = Index();
  for (int m = 7; m <= 18; ++m) {
    char label[16];
    std::snprintf(label, sizeof label, "%d-%02d", 2025 + (m - 1) / 12, (m - 1) % 12 + 1);
    Add(index, label, 1, 1, 12);
    Add(index, label, 4, 1, 11);
    Add(index, label, 2, 2, 13);
    Add(index, label, 5, 2, 10);
  }
  Add(index, "2026-02", 2, 3, 6);  // east, 2026-Q1: 10 respondents
  Add(index, "2026-02", 4, 3, 4);
  Add(index, "2026-05", 2, 3, 2);  // east, 2026-Q2: 2
  spec.today = sys_days{2026y / May / 25};
  const Release first = Release::Build(spec, index);
  ASSERT_TRUE(first.Measure("good_job", "ward", "2026-Q1", "east")->base.published());
  spec.today = sys_days{2026y / August / 25};
  spec.previous = first.Published();
  const Release r = Release::Build(spec, index);
  const std::string window = "2025-07/2026-06";
  ASSERT_EQ(r.Periods(Level::kRolling).back(), window);
  EXPECT_TRUE(r.Measure("good_job", "ward", "2026-Q1", "east")->base.published());
  EXPECT_FALSE(r.Measure("good_job", "ward", "2026-Q2", "east")->base.published());
  EXPECT_FALSE(r.Measure("good_job", "ward", window, "east")->base.published());
  const Figure* east = r.Distribution("ward", window, "east");
  ASSERT_NE(east, nullptr);
  EXPECT_FALSE(east->published()) << "the window's 12 minus the quarter's 10 gives the 2";
  // And it cannot be worked out from the other wards and the total either.
  bool rest_known = r.Distribution("ward", window, "total")->published();
  for (const char* ward : {"north", "south", "prefer_not"})
    rest_known = rest_known && r.Distribution("ward", window, ward)->published();
  EXPECT_FALSE(rest_known);
  EXPECT_EQ(Violations(r), 0u);
}

// Questions are built side by side (ReleaseOptions::threads): each is its own system, and the
// profile reads the measures' bases only once they are all built, so any number of threads
// publishes the same figures, withheld in the same places.
TEST(ReleaseTest, TheSameReleaseOnOneThreadOrMany) {
  ReleaseSpec spec = Spec();
  spec.questions.push_back(Question("Q61", {"yes", "no", "dont_know"}, {false, false, true},
                                    {{"yes", {true, false, false}}}));
  QuestionSpec profile =
      Question("ward", {"north", "south", "east", "prefer_not"}, {false, false, false, true});
  profile.profile_only = true;
  spec.questions.push_back(profile);
  ResponseIndex index({{"Q60", ColumnSpec::Kind::kCode, 6},
                       {"ward", ColumnSpec::Kind::kCode, 4},
                       {"Q61", ColumnSpec::Kind::kCode, 3}});
  std::mt19937 rng(11);
  std::uniform_int_distribution<int> month(1, 12), q60(1, 6), ward(0, 4), q61(0, 3), burst(1, 9);
  for (int i = 0; i < 400; ++i) {
    char label[16];
    std::snprintf(label, sizeof label, "%d-%02d", 2025 + i % 2, month(rng));
    const uint64_t codes[] = {static_cast<uint64_t>(q60(rng)), static_cast<uint64_t>(ward(rng)),
                              static_cast<uint64_t>(q61(rng))};
    for (int n = burst(rng); n > 0; --n) index.Add(label, "", codes);
  }
  const Release one = BuildRelease(spec, index, {.threads = 1});
  const Release many = BuildRelease(spec, index, {.threads = 3});
  ASSERT_GT(one.suppressed_cells(), 10u);
  ASSERT_GT(one.secondary_cells(), 0u);
  EXPECT_EQ(one.Published(), many.Published());
  EXPECT_EQ(one.suppressed_cells(), many.suppressed_cells());
  EXPECT_EQ(one.secondary_cells(), many.secondary_cells());
  EXPECT_EQ(one.fully_protected(), many.fully_protected());
  EXPECT_EQ(one.systems().size(), many.systems().size());
  // Every question is in it: two measures' and the profile's figures.
  size_t q60_figures = 0, q61_figures = 0, wards = 0;
  for (const auto& [key, value] : many.Published()) {
    q60_figures += key.starts_with("Q60|");
    q61_figures += key.starts_with("Q61|");
    wards += key.starts_with("ward|");
  }
  EXPECT_GT(q60_figures, 0u);
  EXPECT_GT(q61_figures, 0u);
  EXPECT_GT(wards, 0u);
  EXPECT_EQ(Violations(many), 0u);
}

// Releases before 2026-12 published "all completed months" totals; they stay constraints, so
// a profile's new window cannot be differenced against one of them.
TEST(ReleaseHistoryTest, EarlierAllMonthsTotalsStayConstraints) {
  ReleaseSpec spec;
  spec.kind = PeriodKind::kMonth;
  spec.today = sys_days{2026y / February / 25};
  QuestionSpec profile = Question("ward", {"north", "south"}, {false, false});
  profile.profile_only = true;
  spec.questions.push_back(profile);
  ResponseIndex index({{"ward", ColumnSpec::Kind::kCode, 2}});
  auto add = [&](const std::string& month, uint64_t ward, int n) {
    const uint64_t codes[] = {ward};
    for (int i = 0; i < n; ++i) index.Add(month, "", codes);
  };
  for (int m = 1; m <= 12; ++m) {
    char label[16];
    std::snprintf(label, sizeof label, "2025-%02d", m);
    add(label, 1, 30);
    add(label, 2, m == 12 ? 2 : 25);  // south: 2 in December
  }
  // An old release published the total over January to November: south 11 x 25.
  spec.previous["ward|||all:2025-01..2025-11|south"] = 11u * 25;
  spec.previous["ward|||all:2025-01..2025-11|north"] = 11u * 30;
  spec.previous["ward|||all:2025-01..2025-11|total"] = 11u * 55;
  const Release r = Release::Build(spec, index);
  // The window 2025-01/2025-12 minus the old total would be December's 2 in south.
  const Figure* south = r.Distribution("ward", "2025-01/2025-12", "south");
  ASSERT_NE(south, nullptr);
  EXPECT_FALSE(south->published());
  const Figure* north = r.Distribution("ward", "2025-01/2025-12", "north");
  const Figure* total = r.Distribution("ward", "2025-01/2025-12", "total");
  EXPECT_FALSE(north->published() && total->published()) << "south = total - north";
}

}  // namespace
}  // namespace candour::stats

namespace candour::stats {
namespace {

TEST(ReleaseEdgeTest, ShareAtExactlyTheMinimumBase) {
  ResponseIndex index = Index();
  for (uint64_t ward : {1u, 2u}) {
    Add(index, "2026-01", 1, ward, 12);  // excellent
    Add(index, "2026-01", 4, ward, 13);  // poor
    Add(index, "2026-02", 1, ward, 12);
    Add(index, "2026-02", 4, ward, 12);
  }
  Add(index, "2026-01", 6, 1, 10);  // don't know: outside the base
  Add(index, "2026-02", 3, 3, 10);  // fair
  Add(index, "2026-02", 2, 3, 10);  // good
  const Release r = Release::Build(Spec(), index);
  EXPECT_EQ(r.suppressed_cells(), 0u);
  const MeasureCell* jan = r.Measure("good_job", "", "2026-01", kAllGroups);
  EXPECT_EQ(jan->base.count, 50u);
  const MeasureCell* north = r.Measure("good_job", "ward", "2026-Q1", "north");
  EXPECT_EQ(north->base.count, 49u);
  EXPECT_TRUE(north->share_shown);
  const MeasureCell* east = r.Measure("good_job", "ward", "2026-Q1", "east");
  EXPECT_EQ(east->base.count, 20u);
  EXPECT_FALSE(east->share_shown);  // under 30: counts shown, share not
  EXPECT_TRUE(east->positive.published());
}

TEST(ReleaseEdgeTest, BaseOfExactlyThirtyShowsAShare) {
  ResponseIndex index = Index();
  Add(index, "2026-01", 1, 1, 12);
  Add(index, "2026-01", 4, 1, 18);
  Add(index, "2026-01", 1, 2, 15);
  Add(index, "2026-01", 4, 2, 15);
  const Release r = Release::Build(Spec(), index);
  const MeasureCell* north = r.Measure("good_job", "ward", "2026-Q1", "north");
  EXPECT_EQ(north->base.count, 30u);
  EXPECT_TRUE(north->share_shown);
  EXPECT_NEAR(north->share, 0.4, 1e-12);
}

TEST(ReleaseEdgeTest, AllDontKnowGivesNoShare) {
  ResponseIndex index = Index();
  Add(index, "2026-01", 1, 1, 30);
  Add(index, "2026-01", 4, 2, 30);
  Add(index, "2026-02", 6, 1, 40);  // everyone said "don't know"
  const Release r = Release::Build(Spec(), index);
  const MeasureCell* feb = r.Measure("good_job", "", "2026-02", kAllGroups);
  ASSERT_NE(feb, nullptr);
  EXPECT_FALSE(feb->share_shown);
  EXPECT_TRUE(r.fully_protected());
}

TEST(ReleaseEdgeTest, ZeroOfTwentyAndThresholdBoundary) {
  ResponseIndex index = Index();
  Add(index, "2026-01", 4, 1, 20);  // 0 of 20 positive... a unanimous row: withheld
  Add(index, "2026-01", 1, 2, 10);  // exactly the threshold: shown
  Add(index, "2026-01", 4, 2, 9);   // one under: withheld
  Add(index, "2026-01", 2, 3, 40);
  const Release r = Release::Build(Spec(), index);
  EXPECT_EQ(r.Distribution("Q60", "2026-01", "excellent")->count, 10u);
  EXPECT_TRUE(r.Distribution("Q60", "2026-01", "excellent")->published());
  const MeasureCell* south = r.Measure("good_job", "ward", "2026-Q1", "south");
  EXPECT_EQ(south->negative.suppressed, Suppression::kSmallCount);
  const MeasureCell* north = r.Measure("good_job", "ward", "2026-Q1", "north");
  EXPECT_FALSE(north->positive.published());  // the zero of a unanimous group
  EXPECT_TRUE(r.fully_protected());
}

}  // namespace
}  // namespace candour::stats

namespace candour::stats {
namespace {

// Yesterday's figures plus today's must not narrow a withheld count: the reviewer's scenario
// of a quarter completing over a month with one response.
TEST(ReleaseHistoryTest, EarlierFiguresStayFixedSoTwoDaysRevealNoMore) {
  ResponseIndex index = Index();
  for (uint64_t ward : {1u, 2u, 3u}) {
    Add(index, "2026-01", 2, ward, 12);  // good
    Add(index, "2026-01", 4, ward, 15);  // poor
    Add(index, "2026-02", 2, ward, 14);
    Add(index, "2026-02", 4, ward, 11);
  }
  Add(index, "2026-03", 2, 1, 1);  // March: one response
  ReleaseSpec day1 = Spec();
  day1.today = sys_days{2026y / March / 25};  // February published 21 days after it ends
  const Release first = Release::Build(day1, index);
  ASSERT_TRUE(first.Distribution("Q60", "2026-01", "good")->published());

  ReleaseSpec day2 = Spec();
  day2.today = sys_days{2026y / April / 25};
  // Without history: some of yesterday's published figures may be today's complements.
  const Release naive = Release::Build(day2, index);
  // With history: they stay published, and the two days together still protect March.
  day2.previous = first.Published();
  const Release second = Release::Build(day2, index);
  EXPECT_TRUE(second.fully_protected());

  // The attacker holds both days: today's published figures, and yesterday's as known values.
  auto attack = [&](const Release& today_release) {
    int pinned = 0;
    for (const auto& [question, system] : today_release.systems()) {
      std::vector<ProtectCell> cells = system.cells;
      std::vector<Relation> relations = system.relations;
      std::map<std::string, uint32_t> by_key;
      for (size_t i = 0; i < cells.size(); ++i) {
        by_key[system.keys[i]] = static_cast<uint32_t>(i);
        auto it = first.Published().find(system.keys[i]);
        if (it != first.Published().end() && it->second) cells[i].suppressed = false;
      }
      for (const auto& [key, value] : first.Published()) {
        const size_t at = key.find("|all:2026-01..2026-02|");
        if (!value || at == std::string::npos || by_key.contains(key)) continue;
        const std::string node = key.substr(key.rfind('|') + 1);
        const std::string q = key.substr(0, key.find('|'));
        Relation r{static_cast<uint32_t>(cells.size()), {}};
        for (const char* month : {"2026-01", "2026-02"}) {
          auto m = by_key.find(q + "|||" + month + "|" + node);
          if (m != by_key.end()) r.parts.push_back(m->second);
        }
        cells.push_back({.value = *value});
        relations.push_back(r);
      }
      const auto ranges = SuppressedRanges(cells, relations);
      for (size_t i = 0; i < system.cells.size(); ++i) {
        const ProtectCell& c = cells[i];
        if (!c.suppressed || c.value == 0 || c.value >= 10) continue;
        pinned += !(ranges[i].min <= 1e-6 && (ranges[i].max < 0 || ranges[i].max >= 10 - 1e-6));
      }
    }
    return pinned;
  };
  EXPECT_GT(attack(naive), 0) << "the scenario no longer exercises history";
  EXPECT_EQ(attack(second), 0);
  // Every figure published yesterday is published today with the same value.
  for (const auto& [key, value] : first.Published()) {
    if (!value || key.find("|all:") != std::string::npos) continue;
    auto it = second.Published().find(key);
    ASSERT_NE(it, second.Published().end()) << key;
    EXPECT_EQ(it->second, value) << key;
  }
  // And everything withheld yesterday is still withheld.
  for (const auto& [key, value] : first.Published()) {
    if (value) continue;
    auto it = second.Published().find(key);
    if (it != second.Published().end()) {
      EXPECT_FALSE(it->second.has_value()) << key;
    }
  }
  const Figure* march = second.Distribution("Q60", "2026-03", "good");
  ASSERT_NE(march, nullptr);
  EXPECT_FALSE(march->published());
}

}  // namespace
}  // namespace candour::stats
