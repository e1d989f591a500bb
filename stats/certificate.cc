#include "stats/certificate.h"

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <unordered_map>

namespace candour::stats {
namespace {

// A search explores at most this many partial sets (a hypercube of a 3-way table is found in
// 8; the budget is for the choice among many, and for chains through time). Larger budgets
// were measured to find costlier certificates, not cheaper ones, at up to 4 times the time.
constexpr size_t kFreeBudget = 200;
constexpr size_t kPricedBudget = 200;
// A certificate holds at most this many cells (a profile's move carries every measure's base
// and rest cells through the windows: about 130 on the demo).
constexpr size_t kMaxCells = 400;

}  // namespace

bool Certifies(const Certificate& c, const std::vector<ProtectCell>& cells,
               const std::vector<Relation>& relations) {
  if (c.moves.empty() || c.moves.front().sign != 1) return false;
  std::unordered_map<uint32_t, int> sign;
  for (size_t k = 0; k < c.moves.size(); ++k) {
    const Move& m = c.moves[k];
    const ProtectCell& cell = cells[m.cell];
    if (!cell.suppressed || cell.fixed || (m.sign != 1 && m.sign != -1)) return false;
    if (!sign.emplace(m.cell, m.sign).second) return false;
    if (k > 0 && cell.value < (m.sign > 0 ? c.with : c.against)) return false;
  }
  for (const Relation& r : relations) {
    long balance = 0;
    if (auto it = sign.find(r.total); it != sign.end()) balance -= it->second;
    for (uint32_t p : r.parts) {
      if (auto it = sign.find(p); it != sign.end()) balance += it->second;
    }
    if (balance != 0) return false;
  }
  return true;
}

CertificateFinder::CertificateFinder(const std::vector<ProtectCell>& cells,
                                     const std::vector<Relation>& relations)
    : cells_(cells),
      relations_(relations),
      terms_(cells.size()),
      sign_(cells.size(), 0),
      balance_(relations.size(), 0),
      open_position_(relations.size(), -1) {
  for (uint32_t r = 0; r < relations.size(); ++r) {
    auto add = [&](uint32_t cell, int8_t coef) {
      std::vector<Term>& t = terms_[cell];
      // A cell on both sides of one relation (a total that is its own only part) cancels out.
      if (!t.empty() && t.back().relation == r) {
        t.back().coef = static_cast<int8_t>(t.back().coef + coef);
        if (t.back().coef == 0) t.pop_back();
        return;
      }
      t.push_back({r, coef});
    };
    add(relations[r].total, -1);
    for (uint32_t p : relations[r].parts) add(p, 1);
  }
  for (const auto& t : terms_) max_terms_ = std::max(max_terms_, t.size());
}

void CertificateFinder::Apply(uint32_t cell, int8_t sign, int direction) {
  sign_[cell] = direction > 0 ? sign : 0;
  for (const Term& t : terms_[cell]) {
    const uint32_t r = t.relation;
    const int before = balance_[r];
    balance_[r] += direction * t.coef * sign;
    if (before == 0 && balance_[r] != 0) {
      open_position_[r] = static_cast<int32_t>(open_.size());
      open_.push_back(r);
    } else if (before != 0 && balance_[r] == 0) {
      const auto at = static_cast<size_t>(open_position_[r]);
      open_[at] = open_.back();
      open_position_[open_[at]] = static_cast<int32_t>(at);
      open_.pop_back();
      open_position_[r] = -1;
    }
  }
}

bool CertificateFinder::Viable(uint32_t cell, int8_t sign, uint32_t relation,
                               Candidate& out) const {
  const ProtectCell& c = cells_[cell];
  if (sign_[cell] != 0 || c.fixed) return false;
  if (!c.suppressed && !use_published_) return false;
  if (c.value < (sign > 0 ? with_ : against_)) return false;
  int gain = 0;
  for (const Term& t : terms_[cell]) {
    const int before = balance_[t.relation], after = before + t.coef * sign;
    if (std::abs(after) > 1) return false;
    if (t.relation == relation) continue;
    if (before == 0 && after != 0) ++gain;
    if (before != 0 && after == 0) --gain;
  }
  out = {cell, sign, c.suppressed ? 0.0 : ComplementPrice(c), gain};
  return true;
}

void CertificateFinder::Dfs(double price, size_t depth) {
  if (++nodes_ > (use_published_ ? kPricedBudget : kFreeBudget)) return;
  // The unbalanced relation with the fewest ways to balance it: a dead end shows at once.
  const size_t open = open_.size();
  std::vector<Candidate> best, candidates;
  bool chosen = false;
  for (const uint32_t r : open_) {
    const int b = balance_[r];
    candidates.clear();
    // A member with coefficient k and sign s changes the balance by k x s: it must be -b.
    // A relation with as many ways as the best so far cannot replace it: its scan stops there
    // (the choice and the dead ends found are the same as from a full scan).
    const size_t enough = chosen ? best.size() : SIZE_MAX;
    auto consider = [&](uint32_t cell, int coef) {
      Candidate c;
      if (Viable(cell, static_cast<int8_t>(-b * coef), r, c)) candidates.push_back(c);
      return candidates.size() < enough;
    };
    const Relation& rel = relations_[r];
    if (consider(rel.total, -1)) {
      for (uint32_t p : rel.parts) {
        if (!consider(p, 1)) break;
      }
    }
    if (candidates.empty()) return;
    if (!chosen || candidates.size() < best.size()) {
      best.swap(candidates);
      chosen = true;
    }
    // One way to balance it: no relation has fewer but none, and a dead end elsewhere shows
    // one level down. Scanning the rest of the open relations (hundreds, deep in a chain
    // through the windows) at every node is where a large survey's release spends its time
    // (Dfs and Viable: 97% of the 5,000-response build); this saves about a seventh of it.
    if (best.size() == 1) break;
  }
  if (open == 0) {
    if (!best_ || price < best_->price) {
      Found f{{moves_, with_, against_}, {}, price};
      for (const Move& m : moves_) {
        if (!cells_[m.cell].suppressed) f.published.push_back(m.cell);
      }
      best_ = std::move(f);
    }
    return;
  }
  if (depth + (open + max_terms_ - 1) / max_terms_ > kMaxCells) return;
  std::sort(best.begin(), best.end(), [](const Candidate& a, const Candidate& b) {
    return a.price != b.price ? a.price < b.price : a.gain < b.gain;
  });
  for (const Candidate& c : best) {
    if (best_ && price + c.price >= best_->price) break;
    Apply(c.cell, c.sign, 1);
    moves_.push_back({c.cell, c.sign});
    Dfs(price + c.price, depth + 1);
    moves_.pop_back();
    Apply(c.cell, c.sign, -1);
    if (nodes_ > (use_published_ ? kPricedBudget : kFreeBudget)) return;
    if (best_ && (!use_published_ || best_->price == 0)) return;
  }
}

std::optional<CertificateFinder::Found> CertificateFinder::Find(uint32_t cell, uint64_t with,
                                                                uint64_t against,
                                                                bool use_published) {
  with_ = with;
  against_ = against;
  use_published_ = use_published;
  nodes_ = 0;
  best_.reset();
  moves_.clear();
  if (cells_[cell].suppressed && !cells_[cell].fixed) {
    Apply(cell, 1, 1);
    moves_.push_back({cell, 1});
    Dfs(0, 1);
    Apply(cell, 1, -1);
  }
  return std::move(best_);
}

}  // namespace candour::stats
