// ResponseIndex: every decoded response of one survey in compact, column-major form, so that
// statistics scan only the columns they need. Rebuilt at start-up from the store and extended
// as each submission is committed; never written to disk.
//
// Per response: a period id (2 bytes), a source id (2 bytes), and per indexed question one
// byte (single choice, scale) or eight (multiple choice). Code 0 means "not answered".
// Not thread-safe; callers synchronise (many readers or one writer).
#pragma once

#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace candour::stats {

struct ColumnSpec {
  enum class Kind { kCode, kBitmask };
  std::string id;
  Kind kind = Kind::kCode;
  // kCode: codes run 1..cardinality (at most 255). kBitmask: at most 64 options, bit i-1 set
  // for option i.
  uint32_t cardinality = 0;
};

class ResponseIndex {
 public:
  // REQUIRES: each kCode column has cardinality <= 255 and each kBitmask column <= 64.
  explicit ResponseIndex(std::vector<ColumnSpec> columns);

  // Adds one response. `codes` holds one value per column, in column order.
  // REQUIRES: codes.size() == columns().size(); each code within its column's range.
  void Add(std::string_view period, std::string_view source, std::span<const uint64_t> codes);

  size_t size() const { return period_ids_.size(); }
  const std::vector<ColumnSpec>& columns() const { return columns_; }
  // Column position of a question id, or -1.
  int ColumnOf(std::string_view id) const;

  // Row accessors, for computations that scan.
  uint16_t PeriodId(size_t row) const { return period_ids_[row]; }
  uint16_t SourceId(size_t row) const { return source_ids_[row]; }
  const std::string& PeriodLabel(uint16_t id) const { return period_labels_[id]; }
  const std::string& SourceLabel(uint16_t id) const { return source_labels_[id]; }
  size_t period_count() const { return period_labels_.size(); }
  // The code column `c` (REQUIRES kCode) or the bitmask column (REQUIRES kBitmask).
  const std::vector<uint8_t>& Codes(size_t c) const { return codes_[slot_[c]]; }
  const std::vector<uint64_t>& Masks(size_t c) const { return masks_[slot_[c]]; }

  // Bytes held per response by the columns (not counting the small label tables).
  size_t BytesPerResponse() const;

 private:
  uint16_t Intern(std::string_view label, std::vector<std::string>* labels,
                  std::map<std::string, uint16_t, std::less<>>* ids);

  std::vector<ColumnSpec> columns_;
  std::vector<size_t> slot_;  // column -> index into codes_ or masks_
  std::vector<std::vector<uint8_t>> codes_;
  std::vector<std::vector<uint64_t>> masks_;
  std::vector<uint16_t> period_ids_, source_ids_;
  std::vector<std::string> period_labels_, source_labels_;
  std::map<std::string, uint16_t, std::less<>> period_index_, source_index_;
};

}  // namespace candour::stats
