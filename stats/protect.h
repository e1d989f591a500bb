// Secondary cell suppression over additive relations, checked exactly with linear programming.
//
// Cells are counts linked by relations "total = sum of parts". A published cell is known to
// everyone; a suppressed one is not. Protect adds suppressions until, for every sensitive cell
// (a small count, or a zero that would show a group answering unanimously), the relations and
// all published cells together still allow what PRODUCT.md section 5 demands: a small count
// can be 0 and can be at least `threshold`; such a zero can be at least `threshold`. It audits
// with the LP relaxation, which is what an attacker with a solver would use.
//
// Complementary suppressions are not themselves held to the standard: they are large or zero,
// their value is not sensitive, and requiring it of them would withhold nearly everything
// (measured: whole questions withheld because of five small cells among 100,000 responses).
// Thread-safe: pure function (GLPK keeps its state per thread).
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace candour::stats {

// What a suppressed cell must keep uncertain.
enum class Need : uint8_t {
  kNone,         // a complement: no requirement of its own
  kZeroOrLarge,  // a small count: can be 0 and can be >= threshold
  kLarge,        // a zero that would disclose a group: can be >= threshold
};

struct ProtectCell {
  uint64_t value = 0;
  bool suppressed = false;
  Need need = Need::kNone;
  // A cell decided elsewhere: a constant here, taken at its true value even if suppressed
  // (fixing more than the attacker knows only narrows the ranges, so a pass stays sound), and
  // never chosen as a secondary suppression.
  bool fixed = false;
  // What withholding this cell to protect another costs, per unit of its value (0: 1): among
  // cells that can protect, the one of least value x cost is chosen.
  double cost = 0;
};

struct Relation {
  uint32_t total = 0;
  std::vector<uint32_t> parts;
};

struct ProtectStats {
  size_t secondary = 0;  // suppressions added
  size_t lp_solves = 0;
  size_t lp_work = 0;         // the LP rounds' solves, each counted by the cells of its part
  size_t certified = 0;       // sensitive cells shown safe by a certificate (stats/certificate.h)
  bool protected_all = true;  // false if some cell could not be protected (see Protect)
};

// Adds secondary suppressions to `cells` (only to cells neither fixed nor already suppressed).
// If a failing cell shares relations only with fixed or suppressed cells, nothing local can
// protect it and protected_all is false: the caller must suppress more (e.g. the fixed total).
// REQUIRES: the values satisfy every relation.
// When `cancel` is set and becomes true, Protect returns within one LP solve with
// protected_all false: the cells are then half done and must not be published.
// Where the unknowns (after the obvious is mended) fall into a part of more than
// `lp_part_limit` cells, complements are chosen by certificates before any LP round (see
// protect.cc for why and what was measured); tests lower it to exercise that path.
// Protect gives up (protected_all false, cells half done) once the LP audit's work, its solves
// each counted by the cells of its part (ProtectStats::lp_work), exceeds `lp_work_limit`: for
// an attempt worth only a bounded cost. The count, unlike a clock, gives the same release on
// every machine. `complements` are withheld before protection starts, as complements (the final
// pass may publish them again): a start from an earlier attempt's choice.
constexpr size_t kLpPartLimit = 2000;
ProtectStats Protect(std::vector<ProtectCell>& cells, const std::vector<Relation>& relations,
                     uint64_t threshold, const std::atomic<bool>* cancel = nullptr,
                     size_t lp_part_limit = kLpPartLimit, size_t lp_work_limit = SIZE_MAX,
                     const std::vector<uint32_t>& complements = {});

// The range a cell can take given the published cells (for audits and tests): [min, max],
// max < 0 meaning unbounded.
struct Range {
  double min = 0;
  double max = 0;
};
std::vector<Range> SuppressedRanges(const std::vector<ProtectCell>& cells,
                                    const std::vector<Relation>& relations);

}  // namespace candour::stats
