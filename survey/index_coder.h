// IndexCoder: how a survey's answers become the codes of its stats::ResponseIndex. Its columns
// are the single-choice, scale and multiple-choice questions (free text is never indexed; nor
// is a scale of more than kMaxCodes points). Code 0 means unanswered, and so does any answer
// the definition does not know: a question or option it lacks, a number out of its range, or a
// value of the wrong type. The one place that maps answers to codes.
// Thread-safe: immutable after construction. The survey must outlive the coder.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "stats/response_index.h"
#include "survey/submission.h"
#include "survey/survey.h"

namespace candour::survey {

class IndexCoder {
  struct StringHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  template <class T>
  using StringMap = std::unordered_map<std::string, T, StringHash, std::equal_to<>>;

 public:
  // Codes of a kCode column run 1..kMaxCodes (one byte, see stats/response_index.h); a
  // kBitmask column holds kMaxBits options. ParseSurvey refuses choice questions with more.
  static constexpr size_t kMaxCodes = 255;
  static constexpr size_t kMaxBits = 64;
  static_assert(kMaxSingleOptions <= kMaxCodes && kMaxMultiOptions <= kMaxBits);

  explicit IndexCoder(const Survey& survey);

  // One column of the index: a question and the code of each of its options (0-based).
  struct Column {
    size_t index = 0;  // position among columns()
    const Question* question = nullptr;
    StringMap<uint64_t> option;
  };

  const std::vector<stats::ColumnSpec>& columns() const { return specs_; }
  // The column of a question, or nullptr if it is not indexed (free text, unknown).
  const Column* Find(std::string_view question_id) const;

  // The code of one answer in its column; 0 when the definition does not know it.
  static uint64_t Single(const Column& c, std::string_view option_id);
  static uint64_t Scale(const Column& c, int64_t value);
  // The bit of one option of a multiple choice answer (OR them together); 0 if unknown.
  static uint64_t MultiBit(const Column& c, std::string_view option_id);

  // One code per column for decoded answers.
  std::vector<uint64_t> Codes(const std::map<std::string, AnswerValue>& answers) const;

 private:
  std::vector<stats::ColumnSpec> specs_;
  std::vector<Column> columns_;
  StringMap<size_t> by_id_;  // question id -> position in columns_
};

// The index columns of a survey (IndexCoder(survey).columns()).
std::vector<stats::ColumnSpec> IndexColumns(const Survey& survey);

// One code per index column for these answers (IndexCoder(survey).Codes(answers)).
std::vector<uint64_t> IndexCodes(const Survey& survey,
                                 const std::map<std::string, AnswerValue>& answers);

}  // namespace candour::survey
