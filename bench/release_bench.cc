// Release benchmark: builds the releases of generated surveys and prints, for each, the figures
// published, sensitive and withheld, withheld / sensitive (1.0 is the floor), the build time,
// and (for the demo) how many trend months with a base of 100 or more are withheld.
//
//   release_bench            the demo (built-in template, 6,000 demo responses), then the
//                            Hackney-like survey (21 wards, 19 Census ethnic groups, a ward by
//                            ethnicity cross-tab) at 600 and 5,000 responses
//   release_bench demo [N]   the demo only, with N demo responses (default 6,000, as serve)
//   release_bench N...       the Hackney-like survey at N responses
//   --threads N first        build N questions at once (default: one per hardware thread)
//   --today YYYY-MM-DD first the day the release is built on (default 2026-11-25)
//   --no-crosstab first      the Hackney-like survey without its cross-tab
//   --no-headline-retry      protect as before session 26: no second attempt with the latest
//                            12 months' whole-population figures published (to compare)
// A survey with population margins is also built without them (weighting off) and the raking
// summarised; TRIM=F and SWEEPS=N set the trimming cap and the sweep limit (defaults 5, 1000).
#include <boost/json.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iterator>
#include <random>
#include <string>
#include <string_view>

#include "stats/release.h"
#include "survey/demo_data.h"
#include "survey/index_coder.h"
#include "survey/release_cache.h"
#include "survey/stored_response.h"
#include "survey/submission.h"
#include "survey/survey.h"
#include "survey/template.h"

namespace {

using namespace candour;
using Clock = std::chrono::steady_clock;
namespace json = boost::json;

std::chrono::sys_days kToday{std::chrono::year{2026} / 11 / 25};  // --today YYYY-MM-DD

bool g_crosstab = true;  // the Hackney-like survey's ward by ethnicity cross-tab (--no-crosstab)
size_t g_threads = 0;    // questions built at once (--threads N); 0: one per hardware thread
bool g_headline_retry = true;  // --no-headline-retry: stats::ReleaseOptions::headline_retry

double Seconds(Clock::duration d) { return std::chrono::duration<double>(d).count(); }

json::object Option(const std::string& id, const std::string& label, bool missing = false) {
  json::object o{{"id", id}, {"label", {{"en", label}}}};
  if (missing) o["missing"] = true;
  return o;
}

// The built-in template with Hackney's 21 wards, the 19 ethnic groups of the 2021 Census, and
// one ward by ethnicity cross-tab.
survey::Survey Hackney() {
  json::value v = json::parse(survey::TrustAndConfidenceTemplate());
  json::object& o = v.as_object();
  o["id"] = "hackney";
  const char* wards[] = {"Brownswood",
                         "Cazenove",
                         "Clissold",
                         "Dalston",
                         "De Beauvoir",
                         "Hackney Central",
                         "Hackney Downs",
                         "Hackney Wick",
                         "Haggerston",
                         "Homerton",
                         "Hoxton East and Shoreditch",
                         "Hoxton West",
                         "King's Park",
                         "Lea Bridge",
                         "London Fields",
                         "Shacklewell",
                         "Springfield",
                         "Stamford Hill West",
                         "Stoke Newington",
                         "Victoria",
                         "Woodberry Down"};
  const char* groups[] = {"Bangladeshi",
                          "Chinese",
                          "Indian",
                          "Pakistani",
                          "Other Asian",
                          "African",
                          "Caribbean",
                          "Other Black",
                          "White and Asian",
                          "White and Black African",
                          "White and Black Caribbean",
                          "Other Mixed",
                          "English, Welsh, Scottish, Northern Irish or British",
                          "Irish",
                          "Gypsy or Irish Traveller",
                          "Roma",
                          "Other White",
                          "Arab",
                          "Any other ethnic group"};
  for (json::value& q : o["questions"].as_array()) {
    const std::string id(q.at("id").as_string());
    if (id != "ward" && id != "ethnicity") continue;
    json::array options;
    int i = 0;
    for (const char* label : id == "ward"
                                 ? std::vector<const char*>(std::begin(wards), std::end(wards))
                                 : std::vector<const char*>(std::begin(groups), std::end(groups))) {
      options.push_back(Option(id.substr(0, 1) + std::to_string(i++), label));
    }
    options.push_back(Option("prefer_not", "Prefer not to say", true));
    q.as_object()["options"] = std::move(options);
  }
  if (g_crosstab) o["crosstabs"] = json::array{json::array{"ward", "ethnicity"}};
  // The template's example margins name its own wards and groups: these get equal shares of
  // the same population (a flat margin, still raked).
  json::object& population = o["population"].as_object();
  for (const auto& [id, n] : {std::pair<const char*, size_t>{"ward", std::size(wards)},
                              std::pair<const char*, size_t>{"ethnicity", std::size(groups)}}) {
    json::object totals;
    for (size_t i = 0; i < n; ++i) {
      std::string option(1, id[0]);
      option += std::to_string(i);
      totals[option] = 208000.0 / static_cast<double>(n);
    }
    population[id] = std::move(totals);
  }
  auto s = survey::ParseSurvey(json::serialize(v));
  if (!s) {
    std::fprintf(stderr, "definition: %s\n", s.error().c_str());
    std::exit(1);
  }
  return *s;
}

// Responses spread over the two years before kToday, with skewed ward and group sizes as in a
// real borough (a few large groups, many small ones).
stats::ResponseIndex Generated(const survey::Survey& s, size_t n, uint32_t seed) {
  stats::ResponseIndex index(survey::IndexColumns(s));
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> u(0, 1);
  std::uniform_int_distribution<int> days_back(1, 730);
  for (size_t i = 0; i < n; ++i) {
    std::map<std::string, survey::AnswerValue> answers;
    const double lean = u(rng) - 0.5;
    for (const survey::Question& q : s.questions) {
      if (q.type != survey::QuestionType::kSingle || u(rng) < 0.07) continue;
      const size_t k = q.options.size();
      size_t pick;
      if (q.dimension) {
        // Zipf-like group sizes.
        pick = std::min(static_cast<size_t>(std::pow(u(rng), 2.0) * static_cast<double>(k)), k - 1);
      } else {
        const double t = std::clamp(0.5 + lean + (u(rng) - 0.5) * 0.8, 0.0, 0.999);
        pick = std::min(static_cast<size_t>((1 - t) * static_cast<double>(k)), k - 1);
      }
      answers.emplace(q.id, q.options[pick].id);
    }
    const auto day = kToday - std::chrono::days{days_back(rng)};
    index.Add(stats::PeriodOf(s.period, std::chrono::year_month_day{day}), "",
              survey::IndexCodes(s, answers));
  }
  return index;
}

void Report(const char* name, const survey::Survey& s, const stats::ResponseIndex& index) {
  stats::ReleaseSpec spec = survey::ReleaseSpecOf(s, kToday);
  if (const char* t = std::getenv("TRIM")) spec.raking.trim_factor = std::atof(t);
  if (const char* t = std::getenv("SWEEPS")) spec.raking.max_sweeps = std::atoi(t);
  double unweighted_seconds = 0;
  if (!spec.population.empty()) {  // the same release without weighting, for comparison
    stats::ReleaseSpec off = spec;
    off.population.clear();
    const auto off_start = Clock::now();
    (void)stats::Release::Build(off, index);  // timed only: its figures are the same counts
    unweighted_seconds = Seconds(Clock::now() - off_start);
  }
  const auto start = Clock::now();
  stats::ReleaseOptions options;
  options.threads = g_threads;
  options.headline_retry = g_headline_retry;
  const stats::Release r = stats::BuildRelease(spec, index, options);
  const double seconds = Seconds(Clock::now() - start);
  if (!spec.population.empty()) {
    size_t converged = 0, sweeps = 0, trimmed = 0;
    for (const stats::WeightingReport& w : r.weighting()) {
      converged += w.converged;
      sweeps += static_cast<size_t>(w.sweeps);
      trimmed += w.trim_rounds > 0;
    }
    std::printf(
        "%-28s weighting on: %.3f s, off: %.3f s; %zu periods raked, %zu converged, %zu trimmed, "
        "%zu sweeps in all\n",
        name, seconds, unweighted_seconds, r.weighting().size(), converged, trimmed, sweeps);
  }
  struct {
    size_t figures = 0, published = 0, sensitive = 0, withheld = 0, lp_solves = 0;
  } c;
  for (const auto& [question, system] : r.systems()) {
    for (size_t i = 0; i < system.cells.size(); ++i) {
      if (system.keys[i].empty()) continue;
      ++c.figures;
      c.withheld += system.cells[i].suppressed ? 1 : 0;
      c.published += system.cells[i].suppressed ? 0 : 1;
      c.sensitive += system.cells[i].need != stats::Need::kNone ? 1 : 0;
    }
  }
  size_t big_withheld = 0, big = 0, headlines = 0, headlines_withheld = 0;
  const auto& windows = r.Periods(stats::Level::kRolling);
  for (const survey::Measure& m : s.measures) {
    // The headline officials read first: each measure's latest rolling 12 months.
    if (windows.empty()) break;
    const stats::MeasureCell* cell = r.Measure(m.id, "", windows.back(), stats::kAllGroups);
    if (!cell) continue;
    ++headlines;
    headlines_withheld += cell->share_shown ? 0 : 1;
    if (!cell->share_shown)
      std::printf(
          "  headline withheld: %s %s, base %llu (%d), positive %llu (%d), negative %llu (%d)\n",
          m.id.c_str(), windows.back().c_str(), static_cast<unsigned long long>(cell->base.count),
          static_cast<int>(cell->base.suppressed),
          static_cast<unsigned long long>(cell->positive.count),
          static_cast<int>(cell->positive.suppressed),
          static_cast<unsigned long long>(cell->negative.count),
          static_cast<int>(cell->negative.suppressed));
  }
  for (const survey::Measure& m : s.measures) {
    for (const std::string& month : r.Periods(stats::Level::kMonth)) {
      const stats::MeasureCell* cell = r.Measure(m.id, "", month, stats::kAllGroups);
      if (!cell || !cell->base.published() || cell->base.count < 100) continue;
      ++big;
      big_withheld += cell->share_shown ? 0 : 1;
      // Which, and why: Suppression 1 a small count, 2 would disclose a group, 3 a complement.
      if (!cell->share_shown)
        std::printf(
            "  trend month withheld: %s %s, base %llu, positive %llu (%d), negative %llu (%d)\n",
            m.id.c_str(), month.c_str(), static_cast<unsigned long long>(cell->base.count),
            static_cast<unsigned long long>(cell->positive.count),
            static_cast<int>(cell->positive.suppressed),
            static_cast<unsigned long long>(cell->negative.count),
            static_cast<int>(cell->negative.suppressed));
    }
  }
  std::printf(
      "%-28s %7zu responses: %6zu figures, %6zu published, %6zu sensitive, %6zu withheld, "
      "withheld/sensitive %.2f, %.2f s; trend months with base >= 100: %zu, "
      "share withheld in %zu; latest rolling 12 months withheld in %zu of %zu%s\n",
      name, index.size(), c.figures, c.published, c.sensitive, c.withheld,
      static_cast<double>(c.withheld) / static_cast<double>(std::max<size_t>(1, c.sensitive)),
      seconds, big, big_withheld, headlines_withheld, headlines,
      r.fully_protected() ? "" : " NOT PROTECTED");
  std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
  while (argc > 1 && std::string_view(argv[1]).starts_with("--")) {
    const std::string flag = argv[1];
    int used = 2;
    if (flag == "--no-crosstab") {
      g_crosstab = false;
      used = 1;
    } else if (flag == "--no-headline-retry") {
      g_headline_retry = false;
      used = 1;
    } else if (flag == "--threads" && argc > 2) {
      g_threads = std::stoul(argv[2]);
    } else if (flag == "--today" && argc > 2) {
      int y = 0;
      unsigned m = 0, d = 0;
      if (std::sscanf(argv[2], "%d-%u-%u", &y, &m, &d) != 3 ||
          !std::chrono::year_month_day{std::chrono::year{y} / m / d}.ok()) {
        std::fprintf(stderr, "--today: expected YYYY-MM-DD, got %s\n", argv[2]);
        return 2;
      }
      kToday = std::chrono::sys_days{std::chrono::year{y} / m / d};
    } else {
      std::fprintf(stderr,
                   "usage: release_bench [--threads N] [--today YYYY-MM-DD] [--no-crosstab] "
                   "[--no-headline-retry] [demo [N] | N...]\n");
      return 2;
    }
    argv[used] = argv[0];
    argc -= used;
    argv += used;
  }
  const survey::Survey hackney = Hackney();
  if (argc > 1 && std::string(argv[1]) != "demo") {
    for (int i = 1; i < argc; ++i) {
      const size_t n = std::stoul(argv[i]);
      Report("hackney-like", hackney, Generated(hackney, n, 7));
    }
    return 0;
  }
  {
    auto demo = survey::ParseSurvey(survey::TrustAndConfidenceTemplate());
    stats::ResponseIndex index(survey::IndexColumns(*demo));
    const size_t count = argc > 2 ? std::stoul(argv[2]) : 6000;
    for (const std::string& stored : survey::DemoResponses(*demo, kToday, count)) {
      auto decoded = survey::DecodeStored(stored);
      if (decoded)
        index.Add(decoded->period, decoded->src, survey::IndexCodes(*demo, decoded->answers));
    }
    Report("demo (built-in template)", *demo, index);
  }
  if (argc > 1) return 0;
  for (size_t n : {600u, 5000u}) Report("hackney-like", hackney, Generated(hackney, n, 7));
  return 0;
}
