// Secondary cell suppression over additive relations, checked exactly with linear programming.
//
// Cells are counts linked by relations "total = sum of parts". A published cell is known to
// everyone; a suppressed one is not. Protect adds suppressions until, for every suppressed cell,
// the relations and all published cells together still allow that cell to be 0 and to be at
// least `threshold` (the standard of PRODUCT.md section 5). It audits with the LP relaxation,
// which is what an attacker with a solver would use.
// Thread-safe: pure function (GLPK keeps its state per thread).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace candour::stats {

struct ProtectCell {
  uint64_t value = 0;
  bool suppressed = false;
  // A cell decided elsewhere: a constant here, taken at its true value even if suppressed
  // (fixing more than the attacker knows only narrows the ranges, so a pass stays sound), and
  // never chosen as a secondary suppression.
  bool fixed = false;
};

struct Relation {
  uint32_t total = 0;
  std::vector<uint32_t> parts;
};

struct ProtectStats {
  size_t secondary = 0;   // suppressions added
  size_t lp_solves = 0;
  bool protected_all = true;  // false if some cell could not be protected (see Protect)
};

// Adds secondary suppressions to `cells` (only to cells neither fixed nor already suppressed).
// If a failing cell shares relations only with fixed or suppressed cells, nothing local can
// protect it and protected_all is false: the caller must suppress more (e.g. the fixed total).
// REQUIRES: the values satisfy every relation.
ProtectStats Protect(std::vector<ProtectCell>& cells, const std::vector<Relation>& relations,
                     uint64_t threshold);

// The range a cell can take given the published cells (for audits and tests): [min, max],
// max < 0 meaning unbounded.
struct Range {
  double min = 0;
  double max = 0;
};
std::vector<Range> SuppressedRanges(const std::vector<ProtectCell>& cells,
                                    const std::vector<Relation>& relations);

}  // namespace candour::stats
