#include "stats/response_index.h"

#include <cassert>

namespace candour::stats {

ResponseIndex::ResponseIndex(std::vector<ColumnSpec> columns) : columns_(std::move(columns)) {
  for (const ColumnSpec& c : columns_) {
    if (c.kind == ColumnSpec::Kind::kCode) {
      assert(c.cardinality <= 255);
      slot_.push_back(codes_.size());
      codes_.emplace_back();
    } else {
      assert(c.cardinality <= 64);
      slot_.push_back(masks_.size());
      masks_.emplace_back();
    }
  }
}

int ResponseIndex::ColumnOf(std::string_view id) const {
  for (size_t i = 0; i < columns_.size(); ++i) {
    if (columns_[i].id == id) return static_cast<int>(i);
  }
  return -1;
}

uint16_t ResponseIndex::Intern(std::string_view label, std::vector<std::string>* labels,
                               std::map<std::string, uint16_t, std::less<>>* ids) {
  if (auto it = ids->find(label); it != ids->end()) return it->second;
  // 65,535 distinct periods or source tags is beyond any survey; the last id absorbs overflow.
  const auto id = static_cast<uint16_t>(std::min<size_t>(labels->size(), 0xFFFF));
  if (labels->size() <= 0xFFFF) {
    labels->emplace_back(label);
    ids->emplace(std::string(label), id);
  }
  return id;
}

void ResponseIndex::Add(std::string_view period, std::string_view source,
                        std::span<const uint64_t> codes) {
  assert(codes.size() == columns_.size());
  period_ids_.push_back(Intern(period, &period_labels_, &period_index_));
  source_ids_.push_back(Intern(source, &source_labels_, &source_index_));
  for (size_t c = 0; c < columns_.size(); ++c) {
    if (columns_[c].kind == ColumnSpec::Kind::kCode) {
      assert(codes[c] <= columns_[c].cardinality);
      codes_[slot_[c]].push_back(static_cast<uint8_t>(codes[c]));
    } else {
      masks_[slot_[c]].push_back(codes[c]);
    }
  }
}

size_t ResponseIndex::BytesPerResponse() const {
  return sizeof(uint16_t) * 2 + codes_.size() * sizeof(uint8_t) + masks_.size() * sizeof(uint64_t);
}

}  // namespace candour::stats
