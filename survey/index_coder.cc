#include "survey/index_coder.h"

#include <algorithm>

namespace candour::survey {

IndexCoder::IndexCoder(const Survey& survey) {
  for (const Question& q : survey.questions) {
    stats::ColumnSpec spec{q.id, stats::ColumnSpec::Kind::kCode, 0};
    switch (q.type) {
      case QuestionType::kSingle:
        spec.cardinality = static_cast<uint32_t>(std::min(q.options.size(), kMaxCodes));
        break;
      case QuestionType::kScale:
        if (q.max - q.min >= static_cast<int64_t>(kMaxCodes)) continue;
        spec.cardinality = static_cast<uint32_t>(q.max - q.min + 1);
        break;
      case QuestionType::kMulti:
        spec.kind = stats::ColumnSpec::Kind::kBitmask;
        spec.cardinality = static_cast<uint32_t>(std::min(q.options.size(), kMaxBits));
        break;
      case QuestionType::kText:
        continue;
    }
    Column column{columns_.size(), &q, {}};
    for (size_t o = 0; o < spec.cardinality && o < q.options.size(); ++o) {
      column.option.emplace(q.options[o].id, o);
    }
    by_id_.emplace(q.id, columns_.size());
    columns_.push_back(std::move(column));
    specs_.push_back(std::move(spec));
  }
}

const IndexCoder::Column* IndexCoder::Find(std::string_view question_id) const {
  auto it = by_id_.find(question_id);
  return it == by_id_.end() ? nullptr : &columns_[it->second];
}

uint64_t IndexCoder::Single(const Column& c, std::string_view option_id) {
  if (c.question->type != QuestionType::kSingle) return 0;
  auto it = c.option.find(option_id);
  return it == c.option.end() ? 0 : it->second + 1;
}

uint64_t IndexCoder::Scale(const Column& c, int64_t value) {
  const Question& q = *c.question;
  if (q.type != QuestionType::kScale || value < q.min || value > q.max) return 0;
  return static_cast<uint64_t>(value - q.min) + 1;
}

uint64_t IndexCoder::MultiBit(const Column& c, std::string_view option_id) {
  if (c.question->type != QuestionType::kMulti) return 0;
  auto it = c.option.find(option_id);
  return it == c.option.end() ? 0 : uint64_t{1} << it->second;
}

std::vector<uint64_t> IndexCoder::Codes(const std::map<std::string, AnswerValue>& answers) const {
  std::vector<uint64_t> codes(columns_.size(), 0);
  for (const auto& [id, value] : answers) {
    const Column* c = Find(id);
    if (!c) continue;
    uint64_t& code = codes[c->index];
    if (const auto* option = std::get_if<std::string>(&value)) {
      code = Single(*c, *option);
    } else if (const auto* number = std::get_if<int64_t>(&value)) {
      code = Scale(*c, *number);
    } else {
      for (const std::string& o : std::get<std::vector<std::string>>(value))
        code |= MultiBit(*c, o);
    }
  }
  return codes;
}

std::vector<stats::ColumnSpec> IndexColumns(const Survey& survey) {
  return IndexCoder(survey).columns();
}

std::vector<uint64_t> IndexCodes(const Survey& survey,
                                 const std::map<std::string, AnswerValue>& answers) {
  return IndexCoder(survey).Codes(answers);
}

}  // namespace candour::survey
