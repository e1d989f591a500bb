// Results benchmark: stores N synthetic responses to the demo survey (default 1,000,000),
// then measures what start-up and officials would wait for: rebuilding the in-memory index
// from the encrypted store, its memory per response, building the release (suppression
// included), and answering results queries. Prints figures; asserts nothing.
// Usage: results_bench [responses] [data folder to create, default a temporary one]
#include <sodium.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>

#include "server/gzip.h"
#include "server/render_cache.h"
#include "store/store.h"
#include "survey/catalog.h"
#include "survey/demo_data.h"
#include "survey/release_cache.h"
#include "survey/stored_response.h"
#include "survey/submission.h"
#include "survey/survey_index.h"
#include "web/dashboard.h"
#include "web/results_view.h"

namespace {

namespace fs = std::filesystem;
using namespace candour;
using Clock = std::chrono::steady_clock;

double Ms(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

size_t RssBytes() {
  std::ifstream statm("/proc/self/statm");
  size_t pages = 0, resident = 0;
  statm >> pages >> resident;
  return resident * static_cast<size_t>(sysconf(_SC_PAGESIZE));
}

// A plausible answer: options weighted towards the first, some skipped; the groups of a
// dimension with population margins drawn as a self-selected sample's (survey::MarginDraws):
// drawn like the other questions, the raking hit its weight cap in every period.
survey::Submission Synthetic(const survey::Survey& s,
                             std::map<std::string, std::discrete_distribution<size_t>>& margins,
                             std::mt19937& rng) {
  survey::Submission sub;
  std::uniform_real_distribution<double> u(0, 1);
  for (const survey::Question& q : s.questions) {
    if (q.type != survey::QuestionType::kSingle || u(rng) < 0.1) continue;
    if (auto m = margins.find(q.id); m != margins.end()) {
      sub.answers.emplace(q.id, q.options[m->second(rng)].id);
      continue;
    }
    std::uniform_int_distribution<size_t> pick(0, q.options.size() - 1);
    sub.answers.emplace(q.id, q.options[std::min(pick(rng), pick(rng))].id);
  }
  return sub;
}

}  // namespace

int main(int argc, char** argv) {
  if (sodium_init() < 0) return 1;
  const size_t n = argc > 1 ? std::stoul(argv[1]) : 1'000'000;
  const fs::path dir =
      argc > 2 ? fs::path(argv[2])
               : fs::temp_directory_path() / ("candour-results-bench-" + std::to_string(getpid()));
  fs::remove_all(dir);
  std::array<uint8_t, crypto::DataKey::kBytes> key{};
  key.fill(9);
  const auto today = std::chrono::sys_days{std::chrono::year{2026} / 11 / 25};

  {
    auto store = store::Store::Open({.dir = dir, .create = true}, crypto::DataKey::FromBytes(key));
    if (!store) return std::fprintf(stderr, "store: %s\n", store.error().message().c_str()), 1;
    auto catalog = survey::SurveyCatalog::Load(**store);
    if (!catalog || !(*catalog)->EnsureDemo(**store)) return 1;
    const auto demo = (*catalog)->Get("demo");
    std::mt19937 rng(42);
    auto margins = survey::MarginDraws(*demo);
    std::uniform_int_distribution<int> week(1, 52);
    const auto start = Clock::now();
    std::vector<std::string> batch;
    for (size_t i = 0; i < n; ++i) {
      char period[16];
      std::snprintf(period, sizeof period, "%d-W%02d", 2025 + static_cast<int>(i % 2), week(rng));
      batch.push_back(survey::EncodeStored(*demo, Synthetic(*demo, margins, rng), period));
      if (batch.size() == 10'000 || i + 1 == n) {
        if ((*store)->PutResponses("demo", batch)) return 1;
        batch.clear();
      }
    }
    std::printf("stored %zu responses in %.0f ms (synced batches of 10,000)\n", n,
                Ms(Clock::now() - start));
  }

  {
    // The floor under the rebuild: opening and decrypting alone, one and two threads.
    auto probe = store::Store::Open({.dir = dir, .create = true}, crypto::DataKey::FromBytes(key));
    for (int threads : {1, 2}) {
      const auto start = Clock::now();
      auto scanned = (*probe)->ScanResponses([](std::string_view, std::string_view) {}, threads);
      std::printf("scan and decrypt only, %d thread(s): %.0f ms for %llu responses\n", threads,
                  Ms(Clock::now() - start), static_cast<unsigned long long>(scanned->opened));
    }
  }
  const size_t rss_before = RssBytes();
  const auto open_start = Clock::now();
  auto store = store::Store::Open({.dir = dir, .create = true}, crypto::DataKey::FromBytes(key));
  auto catalog = survey::SurveyCatalog::Load(**store);
  survey::SurveyIndexes indexes;
  auto rebuilt = indexes.Rebuild(**store, **catalog);
  const double rebuild_ms = Ms(Clock::now() - open_start);
  const size_t rss_after = RssBytes();
  size_t columns_bytes = 0;
  indexes.Read(
      "demo", [&](const stats::ResponseIndex& index) { columns_bytes = index.BytesPerResponse(); });
  std::printf("start-up rebuild: %.0f ms for %llu responses (open, decrypt, decode, index)\n",
              rebuild_ms, static_cast<unsigned long long>(rebuilt->indexed));
  std::printf(
      "index memory: %zu bytes per response in columns; resident growth %.1f bytes per response\n",
      columns_bytes, static_cast<double>(rss_after - rss_before) / static_cast<double>(n));

  const auto demo = (*catalog)->Get("demo");
  survey::ResultsCache cache;
  const auto build_start = Clock::now();
  const auto release = cache.GetNow(demo, indexes, today).value();
  std::printf(
      "release build (counts, suppression, LP protection of every table): %.0f ms; %zu cells "
      "suppressed (%zu secondary)%s\n",
      Ms(Clock::now() - build_start), release->suppressed_cells(), release->secondary_cells(),
      release->fully_protected() ? "" : " NOT FULLY PROTECTED");

  // Weighting on and off (issue 14): the same index and spec, without and with the template's
  // population margins (raking every month, quarter and rolling window; weighted tallies).
  indexes.Read("demo", [&](const stats::ResponseIndex& index) {
    for (const bool weighted : {false, true}) {
      stats::ReleaseSpec spec = survey::ReleaseSpecOf(*demo, today);
      if (!weighted) spec.population.clear();
      const auto start = Clock::now();
      const stats::Release r = stats::Release::Build(spec, index);
      size_t converged = 0;
      for (const auto& w : r.weighting()) converged += w.converged;
      std::printf("release build, weighting %s: %.0f ms (%zu of %zu periods raked converged)\n",
                  weighted ? "on " : "off", Ms(Clock::now() - start), converged,
                  r.weighting().size());
    }
  });

  std::vector<web::ResultsView> views;
  for (auto level : {stats::Level::kMonth, stats::Level::kQuarter, stats::Level::kRolling}) {
    views.push_back({level, ""});
  }
  for (const char* dim :
       {"ward", "age", "gender", "ethnicity", "sexual_orientation", "disability"}) {
    views.push_back({stats::Level::kQuarter, dim});
    views.push_back({stats::Level::kRolling, dim});
  }
  std::vector<double> latencies;
  size_t bytes = 0;
  for (int round = 0; round < 50; ++round) {
    for (const auto& view : views) {
      const auto start = Clock::now();
      const auto r = cache.GetNow(demo, indexes, today).value();
      bytes += web::ResultsJson(*demo, *r, view).size();
      latencies.push_back(Ms(Clock::now() - start));
    }
  }
  std::sort(latencies.begin(), latencies.end());
  std::printf(
      "results query (cached release, JSON of one view, %zu views x 50): p50 %.2f ms, p99 %.2f ms, "
      "mean body %zu bytes\n",
      views.size(), latencies[latencies.size() / 2], latencies[latencies.size() * 99 / 100],
      bytes / latencies.size());
  // As served (server/render_cache.h): each view rendered and compressed once per release, then
  // copied; the 50 rounds' first is the cold render.
  server::RenderCache renders;
  std::vector<double> served;
  size_t served_bytes = 0;
  for (int round = 0; round < 50; ++round) {
    for (const auto& view : views) {
      const auto start = Clock::now();
      const auto r = cache.GetNow(demo, indexes, today).value();
      const auto body = renders.Get(r, std::to_string(int(view.level)) + view.by,
                                    [&] { return web::ResultsJson(*demo, *r, view); });
      std::string copy = body->gzip;  // what the response carries
      served.push_back(Ms(Clock::now() - start));
      served_bytes += copy.size();
    }
  }
  std::vector<double> warm(served.begin() + views.size(), served.end());
  std::sort(warm.begin(), warm.end());
  std::printf(
      "results query as served (render cache, gzip): first of each view p50 %.2f ms; later ones "
      "p50 %.3f ms, p99 %.3f ms, mean gzip body %zu bytes; %zu views hold %zu bytes\n",
      [&] {
        std::vector<double> cold(served.begin(), served.begin() + views.size());
        std::sort(cold.begin(), cold.end());
        return cold[cold.size() / 2];
      }(),
      warm[warm.size() / 2], warm[warm.size() * 99 / 100], served_bytes / served.size(),
      renders.entries(), renders.bytes());
  // The dashboard: the whole page (every measure's headline, trend and breakdowns with tables
  // and SVG charts) and its CSV, from the cached release.
  // The dashboard's pages and CSV, each from the cached release: the summary (English and
  // Turkish), one measure's page, and the CSV of every measure page's figures.
  struct DashboardCase {
    const char* name;
    const char* measure;
    const char* lang;
    bool csv;
  };
  for (const DashboardCase& d : {DashboardCase{"summary page (en)", "", "en", false},
                                 DashboardCase{"summary page (tr)", "", "tr", false},
                                 DashboardCase{"measure page good_job", "good_job", "en", false},
                                 DashboardCase{"figures CSV, every measure", "", "en", true}}) {
    std::vector<double> page_ms, gzip_ms;
    size_t page_bytes = 0, gzip_bytes = 0;
    for (int round = 0; round < 50; ++round) {
      web::DashboardView view;
      view.measure = d.measure;
      view.lang = d.lang;
      const auto start = Clock::now();
      const auto r = cache.GetNow(demo, indexes, today).value();
      const std::string body = d.csv                  ? web::DashboardCsv(*demo, *r, view)
                               : view.measure.empty() ? web::RenderDashboard(*demo, *r, view)
                                                      : *web::RenderMeasurePage(*demo, *r, view);
      const auto rendered = Clock::now();
      page_ms.push_back(Ms(rendered - start));
      // What the wire carries to a browser that accepts gzip (server/gzip.h, as served).
      gzip_bytes += server::Gzip(body).size();
      gzip_ms.push_back(Ms(Clock::now() - rendered));
      page_bytes += body.size();
    }
    std::sort(page_ms.begin(), page_ms.end());
    std::sort(gzip_ms.begin(), gzip_ms.end());
    std::printf(
        "dashboard %s (cached release, x 50): p50 %.2f ms, p99 %.2f ms, %zu bytes; gzip %zu bytes "
        "in p50 %.2f ms more\n",
        d.name, page_ms[page_ms.size() / 2], page_ms[page_ms.size() * 99 / 100],
        page_bytes / page_ms.size(), gzip_bytes / page_ms.size(), gzip_ms[gzip_ms.size() / 2]);
  }
  store->reset();
  if (argc <= 2) fs::remove_all(dir);
  return 0;
}
