#include "survey/incidents.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace candour::survey {
namespace {

using std::chrono::steady_clock;

TEST(IncidentsTest, CountsEachKindAndLogsALine) {
  std::vector<std::string> lines;
  Incidents incidents([&](std::string_view line) { lines.emplace_back(line); });
  incidents.Report(Incident::kHistorySaveFailed, "survey demo: disk full");
  incidents.Report(Incident::kAcceptFailed, "Too many open files");
  EXPECT_EQ(incidents.count(Incident::kHistorySaveFailed), 1u);
  EXPECT_EQ(incidents.count(Incident::kAcceptFailed), 1u);
  EXPECT_EQ(incidents.count(Incident::kHistoryReadFailed), 0u);
  EXPECT_EQ(lines, (std::vector<std::string>{"incident history_save_failed: survey demo: disk full",
                                             "incident accept_failed: Too many open files"}));
}

TEST(IncidentsTest, ARepeatingFailureGivesOneLineASecondButEveryOneIsCounted) {
  std::vector<std::string> lines;
  steady_clock::time_point now{};
  Incidents incidents([&](std::string_view line) { lines.emplace_back(line); },
                      [&] { return now; });
  for (int i = 0; i < 100; ++i) {
    incidents.Report(Incident::kAcceptFailed, "Too many open files");
    now += std::chrono::milliseconds(5);
  }
  incidents.Report(Incident::kCodeGivebackFailed, "a kind of its own is not held back");
  EXPECT_EQ(incidents.count(Incident::kAcceptFailed), 100u);
  ASSERT_EQ(lines.size(), 2u);
  now += Incidents::kQuietTime;
  incidents.Report(Incident::kAcceptFailed, "Too many open files");
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[2],
            "incident accept_failed: Too many open files (and 99 more not logged since the last "
            "line)");
}

TEST(IncidentsTest, EveryKindHasAMetricName) {
  for (int k = 0; k < static_cast<int>(Incident::kCount); ++k) {
    const std::string name = IncidentName(static_cast<Incident>(k));
    EXPECT_NE(name, "unknown");
    EXPECT_EQ(name.find_first_not_of("abcdefghijklmnopqrstuvwxyz_"), std::string::npos) << name;
  }
}

TEST(IncidentsTest, ConcurrentReportsAreAllCounted) {
  Incidents incidents([](std::string_view) {});
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 1000; ++i) incidents.Report(Incident::kAuditOutcomeFailed, "x");
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(incidents.count(Incident::kAuditOutcomeFailed), 4000u);
}

}  // namespace
}  // namespace candour::survey
