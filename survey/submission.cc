#include "survey/submission.h"

#include <algorithm>
#include <boost/json.hpp>
#include <cassert>
#include <charconv>
#include <cmath>
#include <utility>

#include "survey/errc.h"
#include "survey/text_codec.h"

namespace candour::survey {
namespace {

namespace json = boost::json;
using Result = boost::system::result<Submission, Rejection>;

Rejection Reject(std::string field, std::string what) {
  std::string message = field + ": " + what;
  return {std::move(field), std::move(message)};
}

// Shown in messages: truncated, so that a hostile body cannot make a huge error.
std::string Quote(std::string_view s) {
  std::string out(1, '"');
  out.append(s.substr(0, 40)).append(s.size() > 40 ? "...\"" : "\"");
  return IsValidUtf8(out) ? out : "(invalid text)";
}

std::string OptionList(const Question& q) {
  std::string out;
  for (const Option& o : q.options) out += (out.empty() ? "" : ", ") + o.id;
  return out;
}

std::optional<Rejection> CheckOption(const Question& q, std::string_view id) {
  if (q.OptionIndex(id) >= 0) return std::nullopt;
  return Reject(q.id, "unknown option " + Quote(id) + "; expected one of: " + OptionList(q));
}

std::optional<Rejection> CheckText(const Question& q, std::string_view text) {
  if (!IsValidUtf8(text)) return Reject(q.id, "text is not valid UTF-8");
  const size_t n = CountCodePoints(text);
  if (n > q.max_length) {
    return Reject(q.id, "text is too long (" + std::to_string(n) + " characters; at most " +
                            std::to_string(q.max_length) + ")");
  }
  return std::nullopt;
}

std::optional<Rejection> CheckScale(const Question& q, int64_t v) {
  if (v >= q.min && v <= q.max) return std::nullopt;
  return Reject(q.id, "number " + std::to_string(v) + " is out of range (" + std::to_string(q.min) +
                          " to " + std::to_string(q.max) + ")");
}

// Validates one JSON answer. Sets *out unless the answer is empty (null, "" or []).
std::optional<Rejection> ReadJsonAnswer(const Question& q, const json::value& v,
                                        std::optional<AnswerValue>* out) {
  if (v.is_null()) return std::nullopt;
  switch (q.type) {
    case QuestionType::kSingle:
      if (!v.is_string()) return Reject(q.id, "expected one option id as a string");
      if (auto r = CheckOption(q, v.get_string())) return r;
      *out = std::string(v.get_string());
      return std::nullopt;
    case QuestionType::kMulti: {
      if (!v.is_array()) return Reject(q.id, "expected an array of option ids");
      std::vector<std::string> ids;
      for (const json::value& e : v.get_array()) {
        if (!e.is_string()) return Reject(q.id, "expected an array of option ids (strings)");
        if (auto r = CheckOption(q, e.get_string())) return r;
        if (std::find(ids.begin(), ids.end(), e.get_string()) != ids.end()) {
          return Reject(q.id, "option " + Quote(e.get_string()) + " is given twice");
        }
        ids.emplace_back(e.get_string());
      }
      if (!ids.empty()) *out = std::move(ids);
      return std::nullopt;
    }
    case QuestionType::kScale: {
      int64_t n;
      if (v.is_int64())
        n = v.get_int64();
      else if (v.is_uint64())
        n = q.max + 1;  // certainly out of range
      else if (v.is_double() && std::isfinite(v.get_double()) && std::fabs(v.get_double()) < 1e15 &&
               v.get_double() == std::trunc(v.get_double()))
        n = static_cast<int64_t>(v.get_double());  // in range: the cast is defined
      else
        return Reject(q.id, "expected a whole number from " + std::to_string(q.min) + " to " +
                                std::to_string(q.max));
      if (auto r = CheckScale(q, n)) return r;
      *out = n;
      return std::nullopt;
    }
    case QuestionType::kText:
      if (!v.is_string()) return Reject(q.id, "expected text as a string");
      if (auto r = CheckText(q, v.get_string())) return r;
      if (!v.get_string().empty()) *out = std::string(v.get_string());
      return std::nullopt;
  }
  return Reject(q.id, "unsupported question type");
}

// Adds one form field's value to the submission.
std::optional<Rejection> AddFormAnswer(const Question& q, const std::string& value, Submission* s) {
  if (value.empty()) return std::nullopt;  // an untouched field
  auto it = s->answers.find(q.id);
  switch (q.type) {
    case QuestionType::kMulti: {
      if (auto r = CheckOption(q, value)) return r;
      if (it == s->answers.end()) it = s->answers.emplace(q.id, std::vector<std::string>{}).first;
      auto& ids = std::get<std::vector<std::string>>(it->second);
      if (std::find(ids.begin(), ids.end(), value) != ids.end()) {
        return Reject(q.id, "option " + Quote(value) + " is given twice");
      }
      ids.push_back(value);
      return std::nullopt;
    }
    case QuestionType::kSingle:
    case QuestionType::kScale:
    case QuestionType::kText:
      break;
  }
  if (it != s->answers.end()) return Reject(q.id, "answered more than once");
  if (q.type == QuestionType::kSingle) {
    if (auto r = CheckOption(q, value)) return r;
    s->answers.emplace(q.id, value);
  } else if (q.type == QuestionType::kScale) {
    int64_t n = 0;
    const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
    if (ec != std::errc() || end != value.data() + value.size()) {
      return Reject(q.id, "expected a whole number from " + std::to_string(q.min) + " to " +
                              std::to_string(q.max));
    }
    if (auto r = CheckScale(q, n)) return r;
    s->answers.emplace(q.id, n);
  } else {
    if (auto r = CheckText(q, value)) return r;
    s->answers.emplace(q.id, value);
  }
  return std::nullopt;
}

}  // namespace

bool IsValidSourceTag(std::string_view tag) {
  if (tag.empty() || tag.size() > 48 || tag.front() == '-') return false;
  return std::all_of(tag.begin(), tag.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
  });
}

Result ParseJsonSubmission(const Survey& survey, std::string_view body) {
  if (auto dup = FindDuplicateJsonKey(body)) {
    return Reject(*dup, "duplicate key " + Quote(*dup) + " in the JSON body");
  }
  boost::system::error_code ec;
  json::value v = json::parse(body, ec);
  if (ec) return Reject("body", "not valid JSON (" + ec.message() + ")");
  const json::object* o = v.if_object();
  if (!o) return Reject("body", "expected a JSON object with \"answers\"");
  Submission s;
  for (const auto& kv : *o) {
    if (kv.key() == "answers" || kv.key() == "src" || kv.key() == "lang" || kv.key() == "code") {
      continue;
    }
    return Reject(std::string(kv.key()),
                  "unknown field; expected \"answers\" and optionally \"src\" and \"code\"");
  }
  if (const json::value* code = o->if_contains("code"); code && !code->is_null()) {
    if (!code->is_string() || code->get_string().size() > 64) {
      return Reject("code", "expected the code printed on your card");
    }
    s.code = code->get_string();
  }
  if (const json::value* src = o->if_contains("src"); src && !src->is_null()) {
    if (!src->is_string() || !IsValidSourceTag(src->get_string())) {
      return Reject("src", "expected a source tag of 1-48 of a-z, 0-9 and '-'");
    }
    s.src = src->get_string();
  }
  const json::value* answers = o->if_contains("answers");
  if (!answers || !answers->is_object()) {
    return Reject("answers", "expected an object of answers by question id");
  }
  for (const auto& kv : answers->get_object()) {
    const Question* q = survey.FindQuestion(kv.key());
    if (!q)
      return Reject(std::string(kv.key()), "unknown question in survey \"" + survey.id + "\"");
    std::optional<AnswerValue> value;
    if (auto r = ReadJsonAnswer(*q, kv.value(), &value)) return *r;
    if (value) s.answers.emplace(q->id, std::move(*value));
  }
  DropUnmetConditions(survey, &s);
  return s;
}

Result ParseFormSubmission(const Survey& survey, std::string_view body) {
  std::string bad_field;
  auto pairs = ParseFormPairs(body, &bad_field);
  if (!pairs) return Reject(IsValidUtf8(bad_field) ? bad_field : "body", "malformed %-escape");
  Submission s;
  bool seen_src = false, seen_lang = false, seen_code = false;
  for (const auto& [key, value] : *pairs) {
    if (!IsValidUtf8(key)) return Reject("body", "a field name is not valid UTF-8");
    if (!IsValidUtf8(value)) return Reject(key, "value is not valid UTF-8");
    if (key == "src" || key == "lang") {
      bool& seen = key == "src" ? seen_src : seen_lang;
      if (seen) return Reject(key, "given more than once");
      seen = true;
      if (key == "src" && !value.empty() && !IsValidSourceTag(value)) {
        return Reject("src", "expected a source tag of 1-48 of a-z, 0-9 and '-'");
      }
      (key == "src" ? s.src : s.lang) = value;
      continue;
    }
    if (key == "code") {
      if (seen_code) return Reject(key, "given more than once");
      if (value.size() > 64) return Reject("code", "expected the code printed on your card");
      seen_code = true;
      s.code = value;
      continue;
    }
    const Question* q = survey.FindQuestion(key);
    if (!q) return Reject(key, "unknown question in survey \"" + survey.id + "\"");
    if (auto r = AddFormAnswer(*q, value, &s)) return *r;
  }
  DropUnmetConditions(survey, &s);
  return s;
}

bool ConditionMet(const Question& q, const std::map<std::string, AnswerValue>& answers) {
  if (!q.when) return true;
  auto it = answers.find(q.when->question);
  const std::string* given = it == answers.end() ? nullptr : std::get_if<std::string>(&it->second);
  return given &&
         std::find(q.when->answers.begin(), q.when->answers.end(), *given) != q.when->answers.end();
}

void DropUnmetConditions(const Survey& survey, Submission* submission) {
  // Conditions refer only to questions without one (ParseSurvey), so one pass decides all.
  for (const Question& q : survey.questions) {
    if (ConditionMet(q, submission->answers)) continue;
    if (submission->answers.erase(q.id) > 0) submission->not_stored.push_back(q.id);
  }
}

std::string NotStoredNote(const Survey& survey, const std::vector<std::string>& question_ids) {
  std::string out = "not stored: ";
  bool first = true;
  for (const std::string& id : question_ids) {
    const Question* q = survey.FindQuestion(id);
    assert(q && q->when && "only conditional questions are dropped");
    if (!q || !q->when) continue;
    if (!std::exchange(first, false)) out += "; ";
    out += "\"" + q->id + "\" is only for those who answered ";
    const std::vector<std::string>& answers = q->when->answers;
    for (size_t j = 0; j < answers.size(); ++j) {
      if (j > 0) out += j + 1 == answers.size() ? " or " : ", ";
      out += "\"" + answers[j] + "\"";
    }
    out += " to \"" + q->when->question + "\"";
  }
  return out;
}

namespace {
constexpr std::string_view kSealedPrefix = "sealed:";
}  // namespace

void SealFreeText(const Survey& survey, const crypto::BoxPublicKey* comments_key,
                  Submission* submission) {
  for (auto it = submission->answers.begin(); it != submission->answers.end();) {
    const Question* q = survey.FindQuestion(it->first);
    auto* text = std::get_if<std::string>(&it->second);
    if (!q || q->type != QuestionType::kText || !text) {
      ++it;
      continue;
    }
    if (!comments_key) {
      it = submission->answers.erase(it);
      continue;
    }
    const std::string sealed = crypto::SealToPublicKey(*text, *comments_key);
    std::string b64(sodium_base64_ENCODED_LEN(sealed.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
    sodium_bin2base64(b64.data(), b64.size(), reinterpret_cast<const unsigned char*>(sealed.data()),
                      sealed.size(), sodium_base64_VARIANT_ORIGINAL);
    b64.pop_back();  // the terminating NUL
    sodium_memzero(text->data(), text->size());
    *text = std::string(kSealedPrefix) + b64;
    ++it;
  }
}

boost::system::result<std::string> OpenFreeText(std::string_view stored,
                                                const crypto::BoxSecretKey& key) {
  if (!stored.starts_with(kSealedPrefix)) return Errc::kNotSealed;
  stored.remove_prefix(kSealedPrefix.size());
  std::string bytes(stored.size(), '\0');
  size_t len = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(bytes.data()), bytes.size(), stored.data(),
                        stored.size(), nullptr, &len, nullptr,
                        sodium_base64_VARIANT_ORIGINAL) != 0) {
    return Errc::kNotSealed;
  }
  bytes.resize(len);
  return crypto::OpenSealed(bytes, key);
}

}  // namespace candour::survey
