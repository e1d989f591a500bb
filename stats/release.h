// Release: every figure the service publishes for one survey, computed from the response
// index over completed periods only, with small-count and secondary suppression applied once,
// so that the same cell gives the same figure in every view (API, CSV, dashboard).
//
// What is published, per single-choice question:
//   - its answer distribution (each option, base, and for each measure positive and negative)
//     by month, quarter and rolling 12 months (demographic questions: by rolling 12 months
//     only);
//   - for each measure, positive/negative/base by each dimension's groups (including "not
//     stated") by quarter and rolling 12 months.
// Every published period is fixed once it is complete: no view spans a growing range (an
// "all completed months" total would tell, release after release, each new month's count).
// Everything is additive (options to base, groups to the total, months to quarters to
// windows), and Protect is run over all those relations of a question at once, so no
// combination of published figures narrows a suppressed one below the standard.
// Thread-safe: immutable after Build.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "stats/period.h"
#include "stats/protect.h"
#include "stats/raking.h"
#include "stats/response_index.h"

namespace candour::stats {

struct MeasureSpec {
  std::string id;
  std::vector<bool> positive;  // per option of the question
};

struct QuestionSpec {
  std::string id;
  std::vector<std::string> options;
  std::vector<bool> missing;  // per option: outside every base ("Don't know", ...)
  std::vector<MeasureSpec> measures;
  // Publish the distribution by rolling 12 months only (no months or quarters): for
  // demographic questions, whose monthly profile serves nobody and whose rare groups would
  // withhold most of the table. Their months and quarters stay in the system, unpublished, so
  // that overlapping windows are audited together.
  bool profile_only = false;
  // Who the question is for: respondents whose answer to `when_question` (another indexed
  // question) has a code in `when_codes` (1-based option codes). Answers from anyone else are
  // not counted (the service no longer stores them; older ones may exist). Empty: everyone.
  std::string when_question;
  std::vector<uint8_t> when_codes;
};

struct DimensionSpec {
  std::string id;
  std::vector<std::string> options;  // groups; "missing" options fold into "not_stated"
  std::vector<bool> missing;
  // A declared cross-tab of two dimensions (listed earlier in ReleaseSpec::dimensions): its id
  // is "a*b", its groups every pair "ga*gb" of their groups (with not_stated), none missing.
  std::string cross_a, cross_b;
};

// A population margin for weighting (stats/weighting.h): one dimension's population total per
// option, in option order; 0 for an option never weighted to a total (a missing answer, or a
// group outside the population): its respondents keep the weight their other margins give.
struct WeightingSpec {
  std::string dimension;  // a single dimension of ReleaseSpec::dimensions
  std::vector<double> totals;
};

struct ReleaseSpec {
  PeriodKind kind = PeriodKind::kWeek;
  uint64_t threshold = 10;  // counts 1..threshold-1 are suppressed
  uint64_t min_base = 30;   // no share or interval on a smaller base
  std::vector<QuestionSpec> questions;
  std::vector<DimensionSpec> dimensions;
  std::chrono::sys_days today{};
  // A month is published this many days after it ends (stats::PeriodFrozen): responses for
  // it are refused from then on, so its figures never change.
  int grace_days = 21;
  // What earlier releases published, by figure key (Release::Published): a figure published
  // before with the same value stays published and is never chosen to protect another (the
  // public already has it); one withheld before stays withheld; an "all completed months"
  // total that releases before 2026-12 published stays in the system as a constraint. So comparing
  // today's figures with yesterday's reveals nothing that today's alone do not.
  std::map<std::string, std::optional<uint64_t>> previous;
  // Population margins: when any are given, every measure cell also carries weighted figures
  // (MeasureCell::weighted), each period's respondents raked to them. Default: none.
  std::vector<WeightingSpec> population;
  RakingOptions raking;  // tolerance, sweep limit and trimming cap (defaults in raking.h)
};

inline constexpr char kNotStated[] = "not_stated";
inline constexpr char kAllGroups[] = "all";
// The period key of the "all completed months" totals that releases before 2026-12 published
// ("all:2025-01..2026-10"): still read from their history as constraints, never published.
inline constexpr char kAllPeriods[] = "all";

// Why a figure is withheld (kept internally; what is published is one reason for all).
enum class Suppression { kNone, kSmallCount, kDisclosesGroup, kProtectsOther };
// The one reason published for every withheld figure, e.g. "small numbers: fewer than 10
// responses, or a figure that would reveal them".
std::string WithheldReason(uint64_t threshold);

struct Figure {
  uint64_t count = 0;  // meaningless when suppressed: never publish it
  Suppression suppressed = Suppression::kNone;
  bool published() const { return suppressed == Suppression::kNone; }
};

// A measure cell's weighted figures: its period's respondents raked to the population margins,
// the weighted share with a Wilson interval on the Kish effective sample size n_eff, and the
// group's weighted gap to everyone else who stated a group (Newcombe on n_eff). Shown only
// where the unweighted positive, negative and base are published and n_eff >= min_base (the
// gap only where the unweighted gap is shown too). What is shown is rounded for display (shares,
// intervals and gaps to whole percent, n_eff down to a whole number), so that it cannot be
// set against a published unweighted base to work out a withheld count.
struct WeightedFigures {
  bool shown = false;
  double share = 0, low = 0, high = 0, n_eff = 0;  // rounded; meaningless unless shown
  bool small_base = false;                         // not shown because n_eff < min_base
  bool has_gap = false;
  double gap = 0, gap_low = 0, gap_high = 0;  // rounded; meaningless unless has_gap
  bool gap_significant = false;
  // Unrounded, for change tests (web/change.h) only: never published as they are.
  double exact_share = 0, exact_n_eff = 0;
};

// How one period's raking went: never silent when a limit was reached.
struct WeightingReport {
  std::string period;
  bool converged = false;
  int sweeps = 0, trim_rounds = 0, empty_groups = 0;
  double max_error = 0, max_weight_ratio = 0;  // as in RakingResult
};

// Positive, negative and base of one measure in one period and group.
struct MeasureCell {
  Figure positive, negative, base;
  // The share and its Wilson interval are shown only when positive and negative are published
  // and base >= min_base.
  bool share_shown = false;
  double share = 0, low = 0, high = 0;
  std::optional<WeightedFigures> weighted;  // set when the release is weighted
};

// kRolling: the rolling 12 months ending at each complete quarter, labelled as an ISO 8601
// interval of months ("2025-10/2026-09"), the figure officials read; the financial year is the
// window ending in March, the calendar year the one ending in December.
enum class Level { kMonth, kQuarter, kRolling };
const char* LevelName(Level level);  // "month", "quarter", "rolling"
std::optional<Level> ParseLevel(std::string_view name);

class Release {
 public:
  static Release Build(const ReleaseSpec& spec, const ResponseIndex& index);

  const ReleaseSpec& spec() const { return spec_; }
  // Complete periods of a level, in order.
  const std::vector<std::string>& Periods(Level level) const;
  // Levels at which group breakdowns are published.
  static bool BreakdownLevel(Level level) {
    return level == Level::kQuarter || level == Level::kRolling;
  }

  // The answer distribution of a question: option id (or "base", "<measure>:positive",
  // "<measure>:negative") -> figure. nullptr when unknown.
  const Figure* Distribution(const std::string& question, const std::string& period,
                             const std::string& node) const;
  // A measure's cell for a period and group (kAllGroups, or a group of `dimension`).
  const MeasureCell* Measure(const std::string& measure, const std::string& dimension,
                             const std::string& period, const std::string& group) const;
  // Groups of a dimension as published (its options that are not missing, then kNotStated).
  std::vector<std::string> Groups(const std::string& dimension) const;

  // Every figure of this release by key ("question|dimension|group|period|answer"): its value
  // when published, nullopt when withheld. What the next release must stay consistent with.
  const std::map<std::string, std::optional<uint64_t>>& Published() const { return published_; }

  // True when the build was cancelled (ReleaseOptions::cancel) before it finished: the release
  // is incomplete and nothing in it may be served or saved.
  bool cancelled() const { return cancelled_; }

  // Whether the survey declares population margins: every measure cell then has `weighted`.
  bool weighted() const { return !spec_.population.empty(); }
  // How the raking of each period went (stats/weighting.h), in the order of Periods(month),
  // quarter, rolling; empty when not weighted.
  const std::vector<WeightingReport>& weighting() const { return weighting_; }

  bool fully_protected() const { return fully_protected_; }
  size_t suppressed_cells() const { return suppressed_cells_; }
  size_t secondary_cells() const { return secondary_cells_; }

  // For audits: every published figure of a question as the linear system it belongs to.
  struct System {
    std::vector<ProtectCell> cells;
    std::vector<Relation> relations;
    std::vector<std::string> keys;  // per cell: its figure key (empty for internal cells)
  };
  const std::map<std::string, System>& systems() const { return systems_; }

 private:
  ReleaseSpec spec_;
  std::map<Level, std::vector<std::string>> periods_;
  std::map<std::string, Figure> distribution_;   // key: question|period|node
  std::map<std::string, MeasureCell> measures_;  // key: measure|dimension|period|group
  std::map<std::string, System> systems_;        // by question id
  std::map<std::string, std::optional<uint64_t>> published_;
  std::vector<WeightingReport> weighting_;
  bool fully_protected_ = true;
  bool cancelled_ = false;
  size_t suppressed_cells_ = 0, secondary_cells_ = 0;

  friend class ReleaseBuilder;
  friend void AddWeightedFigures(const ResponseIndex&, Release*, const std::atomic<bool>*);
  friend Release BuildRelease(const ReleaseSpec&, const ResponseIndex&,
                              const struct ReleaseOptions&);
};

// A stated group's gap: its share minus that of everyone else who stated a group, with
// Newcombe's hybrid score interval, in `period` (a breakdown level). Only from published
// figures: nullopt unless the group's, the whole's and (for a single dimension) "not stated"'s
// positive and base are published and both the group's and the others' base are at least
// min_base. So it reveals nothing the published figures do not.
struct GapCell {
  double difference = 0, low = 0, high = 0;
  bool significant = false;  // the interval excludes 0
};
std::optional<GapCell> GapOf(const Release& release, const std::string& measure,
                             const std::string& dimension, const std::string& period,
                             const std::string& group);

// Test hook: when false, Build skips secondary suppression (a deliberately broken suppressor
// for the auditor test to catch). Default: true.
struct ReleaseOptions {
  bool secondary_suppression = true;
  // When set and it becomes true, BuildRelease stops within milliseconds and returns a release
  // whose cancelled() is true (shutdown). Must outlive the build. Default: null, never cancelled.
  const std::atomic<bool>* cancel = nullptr;
  // Questions built at once (each is its own system); 0: one per hardware thread.
  size_t threads = 0;
  // Where protection withholds one of the whole population's figures for the latest rolling 12
  // months, try again with them published (see release.cc); false for the method before, to
  // compare (tests, release_bench).
  bool headline_retry = true;
};
Release BuildRelease(const ReleaseSpec& spec, const ResponseIndex& index,
                     const ReleaseOptions& options);

}  // namespace candour::stats
