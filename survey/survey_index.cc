#include "survey/survey_index.h"

#include <atomic>
#include <boost/json.hpp>
#include <unordered_map>

namespace candour::survey {
namespace {

namespace json = boost::json;

struct StringHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

// Decodes stored responses of one survey straight into index codes: the start-up hot path,
// run once per stored response (no intermediate maps, one arena per record).
class StoredDecoder {
 public:
  explicit StoredDecoder(const Survey& survey) : columns_(IndexColumns(survey).size()) {
    size_t column = 0;
    for (const Question& q : survey.questions) {
      if (q.type == QuestionType::kText ||
          (q.type == QuestionType::kScale && q.max - q.min >= 255)) {
        continue;
      }
      Column c{column++, &q, {}};
      for (size_t o = 0; o < q.options.size() && o < 255; ++o)
        c.option_code.emplace(q.options[o].id, o);
      by_id_.emplace(q.id, std::move(c));
    }
  }

  // False if the plaintext is not a stored response.
  bool Decode(std::string_view plaintext, std::string* period, std::string* src,
              std::vector<uint64_t>* codes) const {
    unsigned char buffer[4096];
    json::monotonic_resource arena(buffer, sizeof buffer);
    boost::system::error_code ec;
    const json::value v = json::parse(plaintext, ec, &arena);
    const json::object* o = ec ? nullptr : v.if_object();
    if (!o) return false;
    const json::value* p = o->if_contains("period");
    const json::value* s = o->if_contains("src");
    const json::value* answers = o->if_contains("answers");
    if (!p || !p->is_string() || !s || !s->is_string() || !answers || !answers->is_object()) {
      return false;
    }
    period->assign(p->get_string());
    src->assign(s->get_string());
    codes->assign(columns_, 0);
    for (const auto& kv : answers->get_object()) {
      auto it = by_id_.find(std::string_view(kv.key()));
      if (it == by_id_.end()) continue;
      const Column& c = it->second;
      const json::value& a = kv.value();
      uint64_t code = 0;
      if (c.question->type == QuestionType::kSingle && a.is_string()) {
        auto opt = c.option_code.find(std::string_view(a.get_string()));
        if (opt != c.option_code.end()) code = opt->second + 1;
      } else if (c.question->type == QuestionType::kScale && a.is_int64()) {
        const int64_t n = a.get_int64();
        if (n >= c.question->min && n <= c.question->max)
          code = static_cast<uint64_t>(n - c.question->min) + 1;
      } else if (c.question->type == QuestionType::kMulti && a.is_array()) {
        for (const json::value& e : a.get_array()) {
          if (!e.is_string()) continue;
          auto opt = c.option_code.find(std::string_view(e.get_string()));
          if (opt != c.option_code.end() && opt->second < 64) code |= uint64_t{1} << opt->second;
        }
      }
      (*codes)[c.column] = code;
    }
    return true;
  }

 private:
  struct Column {
    size_t column;
    const Question* question;
    std::unordered_map<std::string, size_t, StringHash, std::equal_to<>> option_code;
  };
  size_t columns_;
  std::unordered_map<std::string, Column, StringHash, std::equal_to<>> by_id_;
};

}  // namespace

std::vector<stats::ColumnSpec> IndexColumns(const Survey& survey) {
  std::vector<stats::ColumnSpec> columns;
  for (const Question& q : survey.questions) {
    switch (q.type) {
      case QuestionType::kSingle:
        columns.push_back({q.id, stats::ColumnSpec::Kind::kCode,
                           static_cast<uint32_t>(std::min<size_t>(q.options.size(), 255))});
        break;
      case QuestionType::kScale:
        if (q.max - q.min < 255) {
          columns.push_back(
              {q.id, stats::ColumnSpec::Kind::kCode, static_cast<uint32_t>(q.max - q.min + 1)});
        }
        break;
      case QuestionType::kMulti:
        columns.push_back({q.id, stats::ColumnSpec::Kind::kBitmask,
                           static_cast<uint32_t>(std::min<size_t>(q.options.size(), 64))});
        break;
      case QuestionType::kText:
        break;
    }
  }
  return columns;
}

std::vector<uint64_t> IndexCodes(const Survey& survey,
                                 const std::map<std::string, AnswerValue>& answers) {
  std::vector<uint64_t> codes;
  for (const Question& q : survey.questions) {
    if (q.type == QuestionType::kText || (q.type == QuestionType::kScale && q.max - q.min >= 255)) {
      continue;
    }
    uint64_t code = 0;
    auto it = answers.find(q.id);
    if (it != answers.end()) {
      if (q.type == QuestionType::kSingle) {
        if (const auto* id = std::get_if<std::string>(&it->second)) {
          const int i = q.OptionIndex(*id);
          if (i >= 0 && i < 255) code = static_cast<uint64_t>(i) + 1;
        }
      } else if (q.type == QuestionType::kScale) {
        if (const auto* v = std::get_if<int64_t>(&it->second); v && *v >= q.min && *v <= q.max) {
          code = static_cast<uint64_t>(*v - q.min) + 1;
        }
      } else if (const auto* ids = std::get_if<std::vector<std::string>>(&it->second)) {
        for (const std::string& id : *ids) {
          const int i = q.OptionIndex(id);
          if (i >= 0 && i < 64) code |= uint64_t{1} << i;
        }
      }
    }
    codes.push_back(code);
  }
  return codes;
}

std::optional<StoredResponse> DecodeStored(std::string_view plaintext) {
  boost::system::error_code ec;
  const json::value v = json::parse(plaintext, ec);
  const json::object* o = ec ? nullptr : v.if_object();
  if (!o) return std::nullopt;
  const json::value* survey = o->if_contains("survey");
  const json::value* version = o->if_contains("version");
  const json::value* period = o->if_contains("period");
  const json::value* src = o->if_contains("src");
  const json::value* answers = o->if_contains("answers");
  if (!survey || !survey->is_string() || !version || !version->is_int64() || !period ||
      !period->is_string() || !src || !src->is_string() || !answers || !answers->is_object()) {
    return std::nullopt;
  }
  StoredResponse r{std::string(survey->get_string()),
                   version->get_int64(),
                   std::string(period->get_string()),
                   std::string(src->get_string()),
                   {}};
  for (const auto& kv : answers->get_object()) {
    const json::value& a = kv.value();
    if (a.is_string()) {
      r.answers.emplace(kv.key(), std::string(a.get_string()));
    } else if (a.is_int64()) {
      r.answers.emplace(kv.key(), a.get_int64());
    } else if (a.is_array()) {
      std::vector<std::string> ids;
      for (const json::value& e : a.get_array()) {
        if (e.is_string()) ids.emplace_back(e.get_string());
      }
      r.answers.emplace(kv.key(), std::move(ids));
    }
  }
  return r;
}

std::shared_ptr<SurveyIndexes::Entry> SurveyIndexes::Find(const std::string& survey_id) const {
  std::lock_guard lock(mu_);
  auto it = entries_.find(survey_id);
  return it == entries_.end() ? nullptr : it->second;
}

std::shared_ptr<SurveyIndexes::Entry> SurveyIndexes::FindOrCreate(const Survey& survey) {
  std::lock_guard lock(mu_);
  auto& entry = entries_[survey.id];
  if (!entry) entry = std::make_shared<Entry>(std::make_shared<const Survey>(survey));
  return entry;
}

void SurveyIndexes::Add(const Survey& survey, std::string_view period, std::string_view src,
                        const std::map<std::string, AnswerValue>& answers) {
  for (;;) {
    std::shared_ptr<Entry> entry = FindOrCreate(survey);
    std::unique_lock lock(entry->mu);
    if (entry->retired) continue;  // Reindex swapped in a new one meanwhile
    entry->index.Add(period, src, IndexCodes(*entry->survey, answers));
    if (entry->pending) entry->pending->push_back({std::string(period), std::string(src), answers});
    return;
  }
}

boost::system::error_code SurveyIndexes::Reindex(store::Store& store,
                                                 std::shared_ptr<const Survey> survey) {
  std::shared_ptr<Entry> old = FindOrCreate(*survey);
  {
    std::unique_lock lock(old->mu);
    const auto before = IndexColumns(*old->survey), after = IndexColumns(*survey);
    const bool same =
        before.size() == after.size() &&
        std::equal(before.begin(), before.end(), after.begin(),
                   [](const stats::ColumnSpec& a, const stats::ColumnSpec& b) {
                     return a.id == b.id && a.kind == b.kind && a.cardinality == b.cardinality;
                   });
    if (same) {
      old->survey = std::move(survey);
      return {};
    }
    old->pending.emplace();  // from here on, Adds are also kept for the new index
  }
  auto fresh = std::make_shared<Entry>(survey);
  StoredDecoder decoder(*survey);
  std::mutex fresh_mu;
  auto scanned = store.ScanResponses(
      [&](std::string_view survey_id, std::string_view plaintext) {
        if (survey_id != survey->id) return;
        std::string period, src;
        std::vector<uint64_t> codes;
        if (!decoder.Decode(plaintext, &period, &src, &codes)) return;
        std::lock_guard lock(fresh_mu);
        fresh->index.Add(period, src, codes);
      },
      2);
  std::unique_lock lock(old->mu);
  if (!scanned) {
    old->pending.reset();
    return scanned.error();
  }
  // Responses committed while the scan ran; one committed just before it began can be in
  // both (a window of microseconds around an organiser's edit, until the next start-up).
  for (const Entry::Pending& p : *old->pending) {
    fresh->index.Add(p.period, p.src, IndexCodes(*survey, p.answers));
  }
  old->pending.reset();
  {
    std::lock_guard entries_lock(mu_);
    entries_[survey->id] = fresh;
  }
  old->retired = true;
  return {};
}

boost::system::result<RebuildStats> SurveyIndexes::Rebuild(store::Store& store,
                                                           const SurveyCatalog& catalog) {
  struct Target {
    std::shared_ptr<Entry> entry;
    StoredDecoder decoder;
  };
  std::map<std::string, Target, std::less<>> targets;
  for (const auto& s : catalog.List()) {
    targets.emplace(s->id, Target{FindOrCreate(*s), StoredDecoder(*s)});
  }
  std::atomic<uint64_t> indexed{0}, undecodable{0}, orphaned{0};
  // Two threads: decryption and decoding are the cost, and the index lock is held only to
  // append.
  auto scanned = store.ScanResponses(
      [&](std::string_view survey_id, std::string_view plaintext) {
        auto it = targets.find(survey_id);
        if (it == targets.end()) {
          ++orphaned;
          return;
        }
        std::string period, src;
        std::vector<uint64_t> codes;
        if (!it->second.decoder.Decode(plaintext, &period, &src, &codes)) {
          ++undecodable;
          return;
        }
        std::unique_lock lock(it->second.entry->mu);
        it->second.entry->index.Add(period, src, codes);
        ++indexed;
      },
      2);
  RebuildStats stats{indexed, undecodable, orphaned, 0};
  if (!scanned) return scanned.error();
  stats.forged = scanned->forged;
  return stats;
}

}  // namespace candour::survey
