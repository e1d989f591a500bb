#include "survey/stored_response.h"

#include <boost/json.hpp>

#include "survey/errc.h"

namespace candour::survey {
namespace {

namespace json = boost::json;

// The five fields of a stored response, pointing into a parsed value.
struct Envelope {
  const json::string* survey = nullptr;
  int64_t version = 0;
  const json::string* period = nullptr;
  const json::string* src = nullptr;
  const json::object* answers = nullptr;
};

bool ReadEnvelope(const json::value& v, Envelope* e) {
  const json::object* o = v.if_object();
  if (!o) return false;
  const json::value* version = o->if_contains("version");
  if (!version || !version->is_int64()) return false;
  e->version = version->get_int64();
  auto string_at = [o](std::string_view key) {
    const json::value* s = o->if_contains(key);
    return s ? s->if_string() : nullptr;
  };
  e->survey = string_at("survey");
  e->period = string_at("period");
  e->src = string_at("src");
  const json::value* answers = o->if_contains("answers");
  e->answers = answers ? answers->if_object() : nullptr;
  return e->survey && e->period && e->src && e->answers;
}

// What EncodeStored writes for an answer: a string, an integer, or an array of strings.
bool IsStoredAnswer(const json::value& a) {
  if (a.is_string() || a.is_int64()) return true;
  const json::array* ids = a.if_array();
  if (!ids) return false;
  for (const json::value& id : *ids) {
    if (!id.is_string()) return false;
  }
  return true;
}

}  // namespace

std::string EncodeStored(const Survey& survey, const Submission& submission,
                         std::string_view period) {
  json::object answers;
  for (const auto& [id, value] : submission.answers) {
    if (const auto* text = std::get_if<std::string>(&value)) {
      answers.emplace(id, *text);
    } else if (const auto* ids = std::get_if<std::vector<std::string>>(&value)) {
      json::array a;
      for (const std::string& o : *ids) a.emplace_back(o);
      answers.emplace(id, std::move(a));
    } else {
      answers.emplace(id, std::get<int64_t>(value));
    }
  }
  json::object o;
  o.emplace("survey", survey.id);
  o.emplace("version", survey.version);
  o.emplace("period", period);
  o.emplace("src", submission.src);
  o.emplace("answers", std::move(answers));
  return json::serialize(o);
}

boost::system::result<StoredResponse> DecodeStored(std::string_view plaintext) {
  boost::system::error_code ec;
  const json::value v = json::parse(plaintext, ec);
  Envelope e;
  if (ec || !ReadEnvelope(v, &e)) return Errc::kMalformedResponse;
  StoredResponse r{
      std::string(*e.survey), e.version, std::string(*e.period), std::string(*e.src), {}};
  for (const auto& kv : *e.answers) {
    const json::value& a = kv.value();
    if (!IsStoredAnswer(a)) return Errc::kMalformedResponse;
    if (a.is_string()) {
      r.answers.emplace(kv.key(), std::string(a.get_string()));
    } else if (a.is_int64()) {
      r.answers.emplace(kv.key(), a.get_int64());
    } else {
      std::vector<std::string> ids;
      for (const json::value& id : a.get_array()) ids.emplace_back(id.get_string());
      r.answers.emplace(kv.key(), std::move(ids));
    }
  }
  return r;
}

boost::system::error_code StoredCodesDecoder::Decode(std::string_view plaintext,
                                                     std::string* period, std::string* src,
                                                     std::vector<uint64_t>* codes) const {
  // Run once per stored response at start-up: one stack arena per record, no maps.
  unsigned char buffer[4096];
  json::monotonic_resource arena(buffer, sizeof buffer);
  boost::system::error_code ec;
  const json::value v = json::parse(plaintext, ec, &arena);
  Envelope e;
  if (ec || !ReadEnvelope(v, &e)) return Errc::kMalformedResponse;
  period->assign(*e.period);
  src->assign(*e.src);
  codes->assign(coder_.columns().size(), 0);
  for (const auto& kv : *e.answers) {
    const json::value& a = kv.value();
    if (!IsStoredAnswer(a)) return Errc::kMalformedResponse;
    const IndexCoder::Column* c = coder_.Find(kv.key());
    if (!c) continue;
    uint64_t& code = (*codes)[c->index];
    if (a.is_string()) {
      code = IndexCoder::Single(*c, a.get_string());
    } else if (a.is_int64()) {
      code = IndexCoder::Scale(*c, a.get_int64());
    } else {
      for (const json::value& id : a.get_array()) code |= IndexCoder::MultiBit(*c, id.get_string());
    }
  }
  return {};
}

}  // namespace candour::survey
