#include "stats/protect.h"

#include <glpk.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>
#include <optional>
#include <tuple>
#include <unordered_map>
#include <unordered_set>

#include "stats/certificate.h"

namespace candour::stats {
namespace {

constexpr double kEps = 1e-6;

// GLPK keeps an environment per thread that outlives its problems; a thread that ends without
// freeing it leaks it. Each public entry point frees it when done (no GLPK object survives).
struct GlpkEnvironment {
  GlpkEnvironment() { glp_term_out(GLP_OFF); }  // glp_adv_basis reports on the terminal
  ~GlpkEnvironment() { glp_free_env(); }
};

bool Free(const ProtectCell& c) { return c.suppressed && !c.fixed; }

// The free cells fall into independent parts: two free cells are linked when a relation holds
// both. A cell's range depends only on its part (every other unknown is in no relation with
// it, directly or through other unknowns), so each part is its own small LP: solving the
// whole system as one LP cost a refactorisation of every unknown per solve.
struct Component {
  std::vector<uint32_t> cells;      // the free cells, ascending
  std::vector<uint32_t> relations;  // the relations holding any of them, ascending
};

std::vector<Component> Components(const std::vector<ProtectCell>& cells,
                                  const std::vector<Relation>& relations) {
  std::vector<uint32_t> parent(cells.size());
  for (uint32_t i = 0; i < parent.size(); ++i) parent[i] = i;
  auto find = [&](uint32_t x) {
    while (parent[x] != x) x = parent[x] = parent[parent[x]];
    return x;
  };
  std::vector<int> relation_root(relations.size(), -1);
  for (size_t r = 0; r < relations.size(); ++r) {
    int first = -1;
    auto link = [&](uint32_t c) {
      if (!Free(cells[c])) return;
      if (first < 0) {
        first = static_cast<int>(c);
      } else {
        const uint32_t a = find(static_cast<uint32_t>(first)), b = find(c);
        if (a != b) parent[std::max(a, b)] = std::min(a, b);
      }
    };
    link(relations[r].total);
    for (uint32_t p : relations[r].parts) link(p);
    relation_root[r] = first;
  }
  std::vector<int> index(cells.size(), -1);
  std::vector<Component> out;
  for (uint32_t i = 0; i < cells.size(); ++i) {
    if (!Free(cells[i])) continue;
    const uint32_t root = find(i);
    if (index[root] < 0) {
      index[root] = static_cast<int>(out.size());
      out.emplace_back();
    }
    out[static_cast<size_t>(index[root])].cells.push_back(i);
  }
  for (uint32_t r = 0; r < relations.size(); ++r) {
    if (relation_root[r] < 0) continue;
    const uint32_t root = find(static_cast<uint32_t>(relation_root[r]));
    out[static_cast<size_t>(index[root])].relations.push_back(r);
  }
  return out;
}

// The LP over one component's free cells: one equality row per relation that holds one.
class Lp {
 public:
  // `crash`: start from GLPK's crash basis instead of all slacks (see below).
  Lp(const std::vector<ProtectCell>& cells, const std::vector<Relation>& relations,
     const Component& component, bool crash = false)
      : lp_(glp_create_prob(), glp_delete_prob) {
    int columns = 0;
    for (uint32_t i : component.cells) column_[i] = ++columns;
    if (columns > 0) glp_add_cols(lp_.get(), columns);
    for (int c = 1; c <= columns; ++c) glp_set_col_bnds(lp_.get(), c, GLP_LO, 0.0, 0.0);
    std::vector<int> ia = {0}, ja = {0};
    std::vector<double> ar = {0};
    for (const uint32_t ri : component.relations) {
      const Relation& r = relations[ri];
      double rhs = 0;
      std::vector<std::pair<int, double>> terms;
      auto add = [&](uint32_t cell, double coef) {
        if (const auto it = column_.find(cell); it != column_.end()) {
          terms.emplace_back(it->second, coef);
        } else {
          rhs -= coef * static_cast<double>(cells[cell].value);
        }
      };
      for (uint32_t p : r.parts) add(p, 1.0);
      add(r.total, -1.0);
      // A cell may stand on both sides (a total that is also its own only part): GLPK refuses
      // a column twice in a row, so coefficients are summed and zeros dropped.
      std::sort(terms.begin(), terms.end());
      std::vector<std::pair<int, double>> merged;
      for (const auto& t : terms) {
        if (!merged.empty() && merged.back().first == t.first) {
          merged.back().second += t.second;
        } else {
          merged.push_back(t);
        }
      }
      std::erase_if(merged, [](const auto& t) { return std::fabs(t.second) < kEps; });
      terms = std::move(merged);
      if (terms.empty()) continue;
      const int row = glp_add_rows(lp_.get(), 1);
      relation_of_row_.push_back(ri);
      glp_set_row_bnds(lp_.get(), row, GLP_FX, rhs, rhs);
      for (const auto& [col, coef] : terms) {
        ia.push_back(row);
        ja.push_back(col);
        ar.push_back(coef);
      }
    }
    glp_load_matrix(lp_.get(), static_cast<int>(ia.size()) - 1, ia.data(), ja.data(), ar.data());
    glp_init_smcp(&params_);
    params_.msg_lev = GLP_MSG_OFF;
    params_.presolve = GLP_OFF;
    // A starting basis from the matrix (GLPK's crash) instead of all slacks: the first solve
    // of a part of 3,000 withheld cells takes a tenth of the time (Hackney-like survey at 150
    // responses: 3.6 s of LP rounds per question down to 0.3 s). Only for the parts decided by
    // certificates: where the LP rounds choose complements, the optimum they reach (and the
    // relations that bind there) decides which cells are withheld, and from the crash basis
    // the browser suite's data set lost three measures' headline 12 months (one a base of
    // 1,100) that the slack basis keeps.
    if (crash) glp_adv_basis(lp_.get(), 0);
  }

  // Optimises cell `i` in direction `dir` (GLP_MIN/GLP_MAX); +inf when unbounded above.
  double Optimise(size_t i, int dir) {
    const int col = column_.at(static_cast<uint32_t>(i));
    glp_set_obj_coef(lp_.get(), col, 1.0);
    glp_set_obj_dir(lp_.get(), dir);
    const int rc = Solve();
    double value = glp_get_obj_val(lp_.get());
    if (rc == 0 && glp_get_status(lp_.get()) == GLP_UNBND) {
      value = std::numeric_limits<double>::infinity();
    }
    glp_set_obj_coef(lp_.get(), col, 0.0);
    return value;
  }

  size_t solves() const { return solves_; }

  // Every feasible point certifies what it shows: a free cell at 0 can be 0, one at or above
  // the threshold can be that large. Read after each solve (a vertex has most cells at 0), so
  // that one solve settles many cells instead of one.
  void Certify(double threshold, std::vector<bool>& up, std::vector<bool>& down) const {
    if (glp_get_status(lp_.get()) != GLP_OPT && glp_get_status(lp_.get()) != GLP_FEAS &&
        glp_get_status(lp_.get()) != GLP_UNBND) {
      return;
    }
    for (const auto& [cell, col] : column_) {
      const double x = glp_get_col_prim(lp_.get(), col);
      if (x >= threshold - kEps) up[cell] = true;
      if (x <= kEps) down[cell] = true;
    }
  }

  // Settles as many `pending` cells as a few solves can: one that sends them all to 0 at once,
  // and one that lifts as many as it can to the threshold (maximising the sum of min(x, T)
  // through capped copies y <= x, y <= T, so that one unbounded cell cannot take the whole
  // objective). Repeated while it settles more. Only ever marks cells that a feasible point
  // shows, so the audit that follows decides exactly as it would without this.
  void CertifyBatch(const std::vector<uint32_t>& pending, double threshold, std::vector<bool>& up,
                    std::vector<bool>& down) {
    for (int pass = 0; pass < 3; ++pass) {
      bool any = false;
      for (uint32_t i : pending) {
        if (!down[i]) {
          glp_set_obj_coef(lp_.get(), column_.at(i), 1.0);
          any = true;
        }
      }
      if (!any) break;
      glp_set_obj_dir(lp_.get(), GLP_MIN);
      const size_t before = Count(pending, down);
      Solve();
      Certify(threshold, up, down);
      for (uint32_t i : pending) glp_set_obj_coef(lp_.get(), column_.at(i), 0.0);
      if (Count(pending, down) == before) break;
    }
    for (int pass = 0; pass < 3; ++pass) {
      std::vector<int> lifted;
      for (uint32_t i : pending) {
        if (!up[i]) lifted.push_back(column_.at(i));
      }
      if (lifted.empty()) break;
      std::unique_ptr<glp_prob, void (*)(glp_prob*)> capped(glp_create_prob(), glp_delete_prob);
      glp_copy_prob(capped.get(), lp_.get(), GLP_OFF);
      const int n = static_cast<int>(lifted.size());
      const int first_col = glp_add_cols(capped.get(), n);
      const int first_row = glp_add_rows(capped.get(), n);
      for (int k = 0; k < n; ++k) {
        const int y = first_col + k, row = first_row + k;
        glp_set_col_bnds(capped.get(), y, GLP_DB, 0.0, threshold);
        glp_set_obj_coef(capped.get(), y, 1.0);
        const int ind[] = {0, y, lifted[static_cast<size_t>(k)]};
        const double val[] = {0, 1.0, -1.0};
        glp_set_mat_row(capped.get(), row, 2, ind, val);
        glp_set_row_bnds(capped.get(), row, GLP_UP, 0.0, 0.0);
      }
      glp_set_obj_dir(capped.get(), GLP_MAX);
      ++solves_;
      if (glp_simplex(capped.get(), &params_) != 0 || glp_get_status(capped.get()) != GLP_OPT) {
        break;
      }
      const size_t before = Count(pending, up);
      for (const auto& [cell, col] : column_) {
        const double x = glp_get_col_prim(capped.get(), col);
        if (x >= threshold - kEps) up[cell] = true;
        if (x <= kEps) down[cell] = true;
      }
      if (Count(pending, up) == before) break;
    }
  }

  // The relations whose constraints bind at the last optimum (non-zero dual value): these are
  // what holds the optimised cell back.
  std::vector<uint32_t> Binding() const {
    std::vector<std::pair<double, uint32_t>> found;
    for (size_t row = 0; row < relation_of_row_.size(); ++row) {
      const double dual = glp_get_row_dual(lp_.get(), static_cast<int>(row) + 1);
      if (std::fabs(dual) > kEps) found.emplace_back(-std::fabs(dual), relation_of_row_[row]);
    }
    std::sort(found.begin(), found.end());
    std::vector<uint32_t> out;
    for (const auto& f : found) out.push_back(f.second);
    return out;
  }

 private:
  int Solve() {
    int rc = glp_simplex(lp_.get(), &params_);
    if (rc != 0) {  // a stale basis: start again from the standard one
      glp_std_basis(lp_.get());
      rc = glp_simplex(lp_.get(), &params_);
    }
    ++solves_;
    return rc;
  }

  static size_t Count(const std::vector<uint32_t>& cells, const std::vector<bool>& flag) {
    return static_cast<size_t>(
        std::count_if(cells.begin(), cells.end(), [&](uint32_t i) { return flag[i]; }));
  }

  std::unique_ptr<glp_prob, void (*)(glp_prob*)> lp_;
  std::unordered_map<uint32_t, int> column_;  // free cell -> LP column (1-based)
  std::vector<uint32_t> relation_of_row_;     // LP row (0-based) -> relation
  glp_smcp params_{};
  size_t solves_ = 0;
};

// The published, non-fixed cell sharing a relation with `cell` that best protects it: one
// that can give up `need` (smallest such), else the largest. Relations that pin the cell (it
// is their only unknown) are searched first. -1 when there is none.
int PickPartner(size_t cell, uint64_t need, const std::vector<ProtectCell>& cells,
                const std::vector<std::vector<uint32_t>>& relations_of,
                const std::vector<Relation>& relations, const std::vector<uint32_t>& binding) {
  auto price = [&](uint32_t c) { return ComplementPrice(cells[c]); };
  auto better = [&](uint32_t a, int b) {
    if (b < 0) return true;
    const uint64_t va = cells[a].value, vb = cells[static_cast<size_t>(b)].value;
    const bool a_ok = va >= need, b_ok = vb >= need;
    if (a_ok != b_ok) return a_ok;
    if (!a_ok) return va > vb;
    const double pa = price(a), pb = price(static_cast<uint32_t>(b));
    return pa != pb ? pa < pb : va < vb;
  };
  // The tightest relation first: pinning ones (the cell their only unknown) before others,
  // then fewer parts (a quarter's three months before the whole span's months), so that the
  // compensating change closes inside the smallest table. Within it, parts before the total:
  // a withheld total spreads to every relation above it.
  std::vector<uint32_t> order = relations_of[cell];
  auto unknowns = [&](uint32_t r) {
    size_t n = Free(cells[relations[r].total]) ? 1 : 0;
    for (uint32_t p : relations[r].parts) n += Free(cells[p]) ? 1 : 0;
    return n;
  };
  std::stable_sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
    const bool pa = unknowns(a) <= 1, pb = unknowns(b) <= 1;
    if (pa != pb) return pa;
    return relations[a].parts.size() < relations[b].parts.size();
  });
  // The best published cell among these relations' parts (or, failing that, totals).
  auto first_in = [&](const std::vector<uint32_t>& candidates) {
    // The cheapest published cell of the first of these relations that has one (parts before
    // totals).
    for (const bool totals : {false, true}) {
      for (uint32_t r : candidates) {
        const Relation& rel = relations[r];
        int best = -1;
        auto consider = [&](uint32_t other) {
          if (other == cell || cells[other].suppressed || cells[other].fixed) return;
          if (better(other, best)) best = static_cast<int>(other);
        };
        if (totals) {
          consider(rel.total);
        } else {
          for (uint32_t p : rel.parts) consider(p);
        }
        if (best >= 0) return best;
      }
    }
    return -1;
  };
  // Best of all: a relation that binds at the optimum the cell failed, strongest first.
  if (const int best = first_in(binding); best >= 0) return best;
  if (const int best = first_in(order); best >= 0) return best;
  // Nothing next to the cell: reach further, through suppressed cells, to the nearest
  // published one (its suppression can open a longer path of compensating changes).
  std::vector<bool> seen(cells.size(), false);
  std::vector<size_t> frontier = {cell};
  seen[cell] = true;
  while (!frontier.empty()) {
    std::vector<size_t> next;
    int best = -1;
    for (size_t c : frontier) {
      for (uint32_t r : relations_of[c]) {
        auto visit = [&](uint32_t other) {
          if (seen[other]) return;
          seen[other] = true;
          if (cells[other].fixed) return;
          if (!cells[other].suppressed) {
            if (better(other, best)) best = static_cast<int>(other);
          } else {
            next.push_back(other);
          }
        };
        for (uint32_t p : relations[r].parts) visit(p);
        visit(relations[r].total);
      }
    }
    if (best >= 0) return best;
    frontier = std::move(next);
  }
  return -1;
}

// What an attacker sees without a solver, fixed before any LP: a relation with one unknown
// gives it away, and a small part of a relation whose total is known can grow only by what
// the other unknown parts can give up. Each such relation gets the partner that costs least,
// preferring one whose own relations already hold an unknown (so that the change it makes can
// close there rather than open a new relation). A complement alone in a relation is given
// away too, and so protects nothing through it: `partners` marks the complements, which get
// the same care. These are necessary conditions only: the LP audit that follows decides; this
// pass spares it the rounds that would find the obvious one cell at a time (on the demo, 2.2
// to 1.9 withheld per sensitive figure, at half the solver time). Returns the number of
// cells it suppressed.
size_t LocalPass(std::vector<ProtectCell>& cells, const std::vector<Relation>& relations,
                 const std::vector<std::vector<uint32_t>>& relations_of, uint64_t threshold,
                 std::vector<bool>& partners) {
  std::vector<uint32_t> unknowns(relations.size(), 0);
  auto count = [&](uint32_t r) {
    uint32_t n = Free(cells[relations[r].total]) ? 1 : 0;
    for (uint32_t p : relations[r].parts) n += Free(cells[p]) ? 1 : 0;
    return n;
  };
  for (uint32_t r = 0; r < relations.size(); ++r) unknowns[r] = count(r);
  auto price = [&](uint32_t c) { return ComplementPrice(cells[c]); };
  // Relations of `c` other than `r` that would be left with `c` as their only unknown.
  auto opened = [&](uint32_t c, uint32_t r) {
    size_t n = 0;
    for (uint32_t o : relations_of[c]) n += (o != r && unknowns[o] == 0) ? 1 : 0;
    return n;
  };
  auto suppress = [&](uint32_t c) {
    cells[c].suppressed = true;
    partners[c] = true;
    for (uint32_t o : relations_of[c]) unknowns[o] = count(o);
  };
  // The best published, non-fixed cell of relation r that can give up `need` (parts first,
  // the total only when no part will do); -1 if none.
  auto partner = [&](uint32_t r, uint64_t need, bool parts_only) {
    int best = -1;
    std::tuple<bool, size_t, double> best_key;
    auto consider = [&](uint32_t c) {
      if (cells[c].suppressed || cells[c].fixed) return;
      const std::tuple<bool, size_t, double> key{cells[c].value < need, opened(c, r), price(c)};
      if (best < 0 || key < best_key) {
        best = static_cast<int>(c);
        best_key = key;
      }
    };
    for (uint32_t p : relations[r].parts) consider(p);
    if (best >= 0 && !std::get<0>(best_key)) return best;
    if (!parts_only) consider(relations[r].total);
    return best;
  };
  size_t added = 0;
  for (bool again = true; again;) {
    again = false;
    for (uint32_t r = 0; r < relations.size(); ++r) {
      const Relation& rel = relations[r];
      if (unknowns[r] == 0) continue;
      if (unknowns[r] == 1) {
        // Only a sensitive unknown matters here: a complement or internal cell that is given
        // away protects nothing through this relation, which the LP finds if it needed to.
        uint32_t only = rel.total;
        for (uint32_t p : rel.parts) only = Free(cells[p]) ? p : only;
        if (cells[only].need == Need::kNone && !partners[only]) continue;
        if (const int c = partner(r, 0, false); c >= 0) {
          suppress(static_cast<uint32_t>(c));
          ++added;
          again = true;
        }
        continue;
      }
      if (Free(cells[rel.total])) continue;
      // The known total holds the parts: a sensitive part reaches the threshold only if the
      // other unknown parts can give up the difference.
      uint64_t free_sum = 0;
      for (uint32_t p : rel.parts) free_sum += Free(cells[p]) ? cells[p].value : 0;
      for (uint32_t p : rel.parts) {
        if (!Free(cells[p]) || cells[p].need == Need::kNone || cells[p].value >= threshold) {
          continue;
        }
        const uint64_t want = threshold - cells[p].value;
        const uint64_t others = free_sum - cells[p].value;
        if (others >= want) continue;
        const int c = partner(r, want - others, true);
        if (c < 0) continue;
        suppress(static_cast<uint32_t>(c));
        free_sum += cells[static_cast<uint32_t>(c)].value;
        ++added;
        again = true;
      }
    }
  }
  return added;
}

// Whether every sensitive cell of `lp`'s component keeps its range (can reach the threshold,
// and 0 where it must), deciding as few cells by their own solve as it can.
bool Passes(Lp& lp, const std::vector<ProtectCell>& cells, const std::vector<uint32_t>& sensitive,
            double threshold, std::vector<bool>& up, std::vector<bool>& down) {
  lp.CertifyBatch(sensitive, threshold, up, down);
  for (const uint32_t i : sensitive) {
    if (!up[i]) {
      if (lp.Optimise(i, GLP_MAX) < threshold - kEps) return false;
      lp.Certify(threshold, up, down);
    }
    if (cells[i].need == Need::kZeroOrLarge && !down[i]) {
      if (lp.Optimise(i, GLP_MIN) > kEps) return false;
      lp.Certify(threshold, up, down);
    }
  }
  return true;
}

// The free cells linked to `seeds` (through relations holding free cells), with the relations
// holding them; nothing when there are more than `cap` of them.
std::optional<Component> ComponentAround(const std::vector<ProtectCell>& cells,
                                         const std::vector<Relation>& relations,
                                         const std::vector<std::vector<uint32_t>>& relations_of,
                                         const std::vector<uint32_t>& seeds, size_t cap) {
  Component out;
  std::unordered_set<uint32_t> seen;
  std::vector<uint32_t> queue;
  auto visit = [&](uint32_t c) {
    if (Free(cells[c]) && seen.insert(c).second) queue.push_back(c);
  };
  for (uint32_t c : seeds) visit(c);
  std::unordered_set<uint32_t> held;
  for (size_t next = 0; next < queue.size(); ++next) {
    if (queue.size() > cap) return std::nullopt;
    for (uint32_t r : relations_of[queue[next]]) {
      if (!held.insert(r).second) continue;
      visit(relations[r].total);
      for (uint32_t p : relations[r].parts) visit(p);
    }
  }
  out.cells = std::move(queue);
  std::sort(out.cells.begin(), out.cells.end());
  out.relations.assign(held.begin(), held.end());
  std::sort(out.relations.begin(), out.relations.end());
  return out;
}

// In the final pass, a complement near a cell decided by the LP is published again only if
// the LP over its part (of at most this many withheld cells) still passes.
constexpr size_t kRepublishCap = 600;

// The certificates found so far, and which cells each uses (so that publishing a cell again
// re-finds only the certificates that moved it).
struct Certificates {
  explicit Certificates(size_t cells) : used_by(cells) {}
  std::vector<Certificate> list;
  std::vector<std::vector<uint32_t>> used_by;  // per cell: certificates that held it (some may
                                               // since have been replaced)

  void Add(Certificate c) {
    const auto id = static_cast<uint32_t>(list.size());
    for (const Move& m : c.moves) used_by[m.cell].push_back(id);
    list.push_back(std::move(c));
  }
  void Replace(uint32_t id, Certificate c) {
    for (const Move& m : c.moves) used_by[m.cell].push_back(id);
    list[id] = std::move(c);
  }
  // The certificates that move `cell` now.
  std::vector<uint32_t> Using(uint32_t cell) const {
    std::vector<uint32_t> out;
    for (uint32_t id : used_by[cell]) {
      const auto& moves = list[id].moves;
      if (std::any_of(moves.begin(), moves.end(), [&](const Move& m) { return m.cell == cell; }) &&
          std::find(out.begin(), out.end(), id) == out.end()) {
        out.push_back(id);
      }
    }
    return out;
  }
};

// Shows that sensitive cell `i` keeps its range by certificates: one that takes it both to 0
// and to the threshold, else one for each way. Withheld cells first; failing that, the
// cheapest published cells that complete one are withheld too (they become complements).
// False when no certificate was found: the LP audit then decides the cell.
bool CertifyCell(uint32_t i, std::vector<ProtectCell>& cells, CertificateFinder& finder,
                 uint64_t threshold, Certificates& certificates, std::vector<bool>& partner_of,
                 ProtectStats& stats, bool use_published = true) {
  const uint64_t v = std::min(cells[i].value, threshold);
  const uint64_t down = cells[i].need == Need::kZeroOrLarge ? v : 0;
  const uint64_t up = threshold - v;
  auto find = [&](uint64_t with, uint64_t against) {
    auto f = finder.Find(i, with, against, false);
    return f || !use_published ? f : finder.Find(i, with, against, true);
  };
  std::vector<CertificateFinder::Found> found;
  if (auto both = find(down, up)) {
    found.push_back(std::move(*both));
  } else if (down > 0) {
    auto lower = find(down, 0);
    if (!lower) return false;
    for (uint32_t c : lower->published) cells[c].suppressed = true;  // so the next search sees it
    auto upper = find(0, up);
    if (!upper) {
      for (uint32_t c : lower->published) cells[c].suppressed = false;
      return false;
    }
    found.push_back(std::move(*lower));
    found.push_back(std::move(*upper));
  } else {
    return false;
  }
  for (CertificateFinder::Found& f : found) {
    for (uint32_t c : f.published) {
      if (!partner_of[c]) ++stats.secondary;
      cells[c].suppressed = true;
      partner_of[c] = true;
    }
    certificates.Add(std::move(f.certificate));
  }
  return true;
}

// The final pass when every sensitive cell holds certificates: each complement, dearest first,
// is published again if every certificate that moves it can be found again without it (a
// certificate is all the proof a cell needs, so nothing else can fail). When some cells were
// decided by the LP instead, the LP around the complement must pass too.
size_t Republish(std::vector<ProtectCell>& cells, const std::vector<Relation>& relations,
                 const std::vector<std::vector<uint32_t>>& relations_of,
                 const std::vector<bool>& partners, const std::vector<bool>& by_lp,
                 CertificateFinder& finder, Certificates& certificates, double threshold,
                 ProtectStats& stats, const std::atomic<bool>* cancel) {
  std::vector<uint32_t> order;
  for (uint32_t i = 0; i < cells.size(); ++i) {
    if (partners[i] && cells[i].suppressed) order.push_back(i);
  }
  std::stable_sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
    return ComplementPrice(cells[a]) > ComplementPrice(cells[b]);
  });
  const bool any_lp = std::any_of(by_lp.begin(), by_lp.end(), [](bool b) { return b; });
  std::vector<bool> up(cells.size(), false), down(cells.size(), false);
  size_t published = 0;
  for (const uint32_t c : order) {
    if (cancel && cancel->load()) break;
    cells[c].suppressed = false;
    // Where the LP decided some cells, the part around the complement must be small enough
    // for the LP to judge it again: checked first, since it is cheap and, in a large part,
    // decides alone (re-finding its certificates first cost 1.5-3 s per question of the
    // Hackney-like survey at 150 responses, to keep every complement anyway).
    std::optional<Component> around;
    if (any_lp) {
      std::vector<uint32_t> seeds;
      for (uint32_t r : relations_of[c]) {
        seeds.push_back(relations[r].total);
        seeds.insert(seeds.end(), relations[r].parts.begin(), relations[r].parts.end());
      }
      around = ComponentAround(cells, relations, relations_of, seeds, kRepublishCap);
      if (!around) {
        cells[c].suppressed = true;
        continue;
      }
    }
    std::vector<std::pair<uint32_t, Certificate>> again;
    bool keep = false;
    for (const uint32_t id : certificates.Using(c)) {
      const Certificate& old = certificates.list[id];
      auto f = finder.Find(old.moves.front().cell, old.with, old.against, false);
      if (!f) {
        keep = true;
        break;
      }
      again.emplace_back(id, std::move(f->certificate));
    }
    if (!keep && around) {
      std::vector<uint32_t> decided;
      for (uint32_t i : around->cells) {
        if (by_lp[i]) decided.push_back(i);
        up[i] = down[i] = false;
      }
      if (!decided.empty()) {
        Lp lp(cells, relations, *around);
        keep = !Passes(lp, cells, decided, threshold, up, down);
        stats.lp_solves += lp.solves();
      }
    }
    if (keep) {
      cells[c].suppressed = true;
      continue;
    }
    for (auto& [id, cert] : again) certificates.Replace(id, std::move(cert));
    ++published;
  }
  return published;
}

}  // namespace

ProtectStats Protect(std::vector<ProtectCell>& cells, const std::vector<Relation>& relations,
                     uint64_t threshold, const std::atomic<bool>* cancel, size_t lp_part_limit,
                     size_t lp_work_limit, const std::vector<uint32_t>& complements) {
  const GlpkEnvironment environment;
  ProtectStats stats;
  std::vector<std::vector<uint32_t>> relations_of(cells.size());
  for (uint32_t r = 0; r < relations.size(); ++r) {
    for (uint32_t p : relations[r].parts) relations_of[p].push_back(r);
    relations_of[relations[r].total].push_back(r);
  }
  // Suppressing more only widens every range, so a cell that passes once passes for good.
  // Only sensitive cells are audited; complements need not pass anything.
  std::vector<bool> passed(cells.size(), false);
  // What some feasible point has shown a cell can reach (0, or the threshold): for the same
  // reason, it stays shown.
  std::vector<bool> up_ok(cells.size(), false), down_ok(cells.size(), false);
  const double t = static_cast<double>(threshold);
  std::vector<bool> partner_of(cells.size(), false);
  for (const uint32_t c : complements) {
    if (cells[c].suppressed || cells[c].fixed) continue;
    cells[c].suppressed = true;
    partner_of[c] = true;
    ++stats.secondary;
  }
  stats.secondary += LocalPass(cells, relations, relations_of, threshold, partner_of);
  // Two ways to choose complements, both sound (a cell passes only on a feasible point that
  // shows its range). Where the unknowns fall into small parts, the LP audit below chooses
  // them one round at a time and withholds least (demo: 1,446 withheld, where certificates
  // alone withhold 1,655). Where a part is large (the rolling windows of a survey with many
  // groups chain thousands of unknowns together), each round re-solves it and the rounds add
  // a complement per failing cell: certificates (stats/certificate.h) then decide almost
  // every cell without a solver and choose fewer complements (Hackney-like, 150 responses:
  // 32,885 withheld in 36 s, where the LP rounds withheld 39,893 in 372 s). The demo's
  // largest part is 1,580 unknowns; the Hackney-like survey's about 3,000 per question.
  CertificateFinder finder(cells, relations);
  Certificates certificates(cells.size());
  size_t largest = 0;
  for (const Component& c : Components(cells, relations))
    largest = std::max(largest, c.cells.size());
  if (largest > lp_part_limit) {
    for (uint32_t i = 0; i < cells.size(); ++i) {
      if (!Free(cells[i]) || cells[i].need == Need::kNone) continue;
      if (cancel && cancel->load()) {
        stats.protected_all = false;
        return stats;
      }
      passed[i] = CertifyCell(i, cells, finder, threshold, certificates, partner_of, stats);
      stats.certified += passed[i] ? 1 : 0;
    }
  }
  std::vector<bool> by_lp(cells.size(), false);
  for (;;) {
    std::vector<size_t> added;
    // A failing cell next to one just helped waits for the next round: the help may suffice.
    std::vector<bool> changed(relations.size(), false);
    size_t stuck = 0;
    // Cells suppressed during this round are audited in the next, in their new component.
    const auto components = Components(cells, relations);
    for (const Component& component : components) {
      const bool any = std::any_of(component.cells.begin(), component.cells.end(), [&](uint32_t i) {
        return !passed[i] && cells[i].need != Need::kNone;
      });
      if (!any) continue;
      // The LP's work, its solves each counted by the cells of its part, within the limit:
      // checked before the first solve and after each cell.
      auto over_budget = [&](size_t solves) {
        return stats.lp_work + std::max<size_t>(solves, 1) * component.cells.size() > lp_work_limit;
      };
      if (over_budget(0)) {
        stats.protected_all = false;
        return stats;
      }
      Lp lp(cells, relations, component, component.cells.size() > lp_part_limit);
      std::vector<uint32_t> pending;
      for (const uint32_t i : component.cells) {
        if (!passed[i] && cells[i].need != Need::kNone) pending.push_back(i);
      }
      if (cancel && cancel->load()) {
        stats.protected_all = false;
        return stats;
      }
      lp.CertifyBatch(pending, t, up_ok, down_ok);
      for (const uint32_t i : pending) {
        if ((cancel && cancel->load()) || over_budget(lp.solves())) {
          stats.lp_solves += lp.solves();  // what the attempt cost, though it gave up
          stats.lp_work += lp.solves() * component.cells.size();
          stats.protected_all = false;
          return stats;
        }
        const bool needs_down = cells[i].need == Need::kZeroOrLarge;
        bool up = up_ok[i];
        std::vector<uint32_t> binding;
        if (!up) {
          up = lp.Optimise(i, GLP_MAX) >= t - kEps;
          lp.Certify(t, up_ok, down_ok);
          if (!up) binding = lp.Binding();
        }
        bool down = !needs_down || down_ok[i];
        if (up && !down) {
          down = lp.Optimise(i, GLP_MIN) <= kEps;
          lp.Certify(t, up_ok, down_ok);
          if (!down) binding = lp.Binding();
        }
        if (up && down) {
          passed[i] = by_lp[i] = true;
          continue;
        }
        if (std::any_of(relations_of[i].begin(), relations_of[i].end(),
                        [&](uint32_t r) { return changed[r]; })) {
          continue;
        }
        const uint64_t v = cells[i].value;
        // Reaching the threshold needs a partner that can give up the difference; reaching 0
        // needs one that can take the cell's count, which any cell can: the smallest (a zero
        // best), because every partner must in turn be able to reach 0 itself.
        const uint64_t need = up ? 0 : threshold - std::min(v, threshold - 1);
        const int partner = PickPartner(i, need, cells, relations_of, relations, binding);
        if (partner < 0) {
          ++stuck;  // nothing local helps now; others' new suppressions may still
          continue;
        }
        cells[static_cast<size_t>(partner)].suppressed = true;
        partner_of[static_cast<size_t>(partner)] = true;
        added.push_back(static_cast<size_t>(partner));
        for (uint32_t r : relations_of[i]) changed[r] = true;
      }
      stats.lp_solves += lp.solves();
      stats.lp_work += lp.solves() * component.cells.size();
      if (stats.lp_work > lp_work_limit) {
        stats.protected_all = false;
        return stats;
      }
    }
    if (added.empty()) {
      stats.protected_all = stuck == 0;
      break;
    }
    stats.secondary += added.size();
    stats.secondary += LocalPass(cells, relations, relations_of, threshold, partner_of);
  }
  // In a large part, what the LP decided is certified again where withheld cells alone allow
  // it, so that the final pass can judge those cells by certificates too (it cannot afford the
  // LP there).
  for (uint32_t i = 0; largest > lp_part_limit && i < cells.size(); ++i) {
    if (by_lp[i] &&
        CertifyCell(i, cells, finder, threshold, certificates, partner_of, stats, false)) {
      by_lp[i] = false;
    }
  }
  if (stats.protected_all) {
    stats.secondary -= Republish(cells, relations, relations_of, partner_of, by_lp, finder,
                                 certificates, t, stats, cancel);
  }
  return stats;
}

std::vector<Range> SuppressedRanges(const std::vector<ProtectCell>& cells,
                                    const std::vector<Relation>& relations) {
  const GlpkEnvironment environment;
  std::vector<Range> out(cells.size());
  for (size_t i = 0; i < cells.size(); ++i) {
    if (!Free(cells[i])) {
      out[i] = {static_cast<double>(cells[i].value), static_cast<double>(cells[i].value)};
    }
  }
  for (const Component& component : Components(cells, relations)) {
    Lp lp(cells, relations, component);
    for (const uint32_t i : component.cells) {
      const double max = lp.Optimise(i, GLP_MAX);
      out[i] = {lp.Optimise(i, GLP_MIN), std::isinf(max) ? -1.0 : max};
    }
  }
  return out;
}

}  // namespace candour::stats
