// Certificates: moves that show a withheld cell's range without a solver.
//
// A certificate is a set of cells, each with a sign, such that moving every cell by sign x d
// keeps every relation (its parts minus its total unchanged). When all of them are withheld,
// the published cells cannot tell the true values from the moved ones: every value the move
// reaches without making a cell negative is one an attacker (with or without a solver) must
// allow. For a small cell s of value v (sign +1), moving down by v makes it 0 and moving up by
// T - v makes it T; both stay non-negative when every other cell moving with s holds at least
// v and every cell moving against it at least T - v. One certificate then shows what the
// disclosure standard asks of s, and checking it costs a walk over its cells' relations.
//
// In a two-way table the smallest certificates are 2 x 2 rectangles, in a k-way table the 2^k
// corners of a hypercube (Repsilber's hypercube method, used by statistical offices for this
// reason); the search here is generic over the relations, so it finds those and the longer
// chains that hierarchies (months in quarters in rolling windows) need.
// Not thread-safe: one finder per thread (it keeps its scratch state between searches).
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "stats/protect.h"

namespace candour::stats {

// What withholding `c` to protect another costs: its value (plus one, so that a zero still
// costs) times its cost per unit.
inline double ComplementPrice(const ProtectCell& c) {
  return (static_cast<double>(c.value) + 1) * (c.cost > 0 ? c.cost : 1);
}

struct Move {
  uint32_t cell = 0;
  int8_t sign = 0;  // +1 or -1
};

struct Certificate {
  std::vector<Move> moves;  // the first is the certified cell, sign +1
  uint64_t with = 0;        // every other +1 cell holds at least this
  uint64_t against = 0;     // every -1 cell holds at least this
};

// Whether `c` is a certificate over `cells` and `relations`: every relation balanced, every
// cell withheld and not fixed, and the values as it says. For tests and assertions.
bool Certifies(const Certificate& c, const std::vector<ProtectCell>& cells,
               const std::vector<Relation>& relations);

class CertificateFinder {
 public:
  CertificateFinder(const std::vector<ProtectCell>& cells, const std::vector<Relation>& relations);

  struct Found {
    Certificate certificate;
    std::vector<uint32_t> published;  // cells of it that are published now: to be withheld
    double price = 0;                 // their ComplementPrice, summed
  };

  // A certificate through `cell` with the given minimum values. With `use_published` false it
  // uses only withheld (not fixed) cells and returns the first found; with it true it may also
  // use published, not fixed cells, and returns the cheapest found within its search budget.
  // Nothing when none was found (which does not prove there is none).
  std::optional<Found> Find(uint32_t cell, uint64_t with, uint64_t against, bool use_published);

 private:
  struct Term {
    uint32_t relation;
    int8_t coef;  // +1 as a part, -1 as the total
  };
  struct Candidate {
    uint32_t cell;
    int8_t sign;
    double price;
    int gain;  // relations it leaves unbalanced minus those it balances
  };

  void Apply(uint32_t cell, int8_t sign, int direction);
  void Dfs(double price, size_t depth);
  bool Viable(uint32_t cell, int8_t sign, uint32_t relation, Candidate& out) const;

  const std::vector<ProtectCell>& cells_;
  const std::vector<Relation>& relations_;
  std::vector<std::vector<Term>> terms_;  // per cell, the relations holding it
  size_t max_terms_ = 1;
  // Scratch for one search.
  std::vector<int8_t> sign_;            // per cell: 0, or its sign in the set under construction
  std::vector<int> balance_;            // per relation: parts minus total of the moves so far
  std::vector<int32_t> open_position_;  // per relation: its place in open_, or -1
  std::vector<uint32_t> open_;          // the relations with a balance other than 0
  std::vector<Move> moves_;
  uint64_t with_ = 0, against_ = 0;
  bool use_published_ = false;
  size_t nodes_ = 0;
  std::optional<Found> best_;
};

}  // namespace candour::stats
