#include "survey/import.h"

#include <boost/json.hpp>

#include "stats/period.h"
#include "store/errc.h"
#include "survey/stored_response.h"
#include "survey/submission.h"
#include "survey/text_codec.h"

namespace candour::survey {
namespace {

namespace json = boost::json;

// Splits CSV text into records of fields (RFC 4180: quotes, doubled quotes, CRLF).
// Returns false on an unterminated quote. Each record keeps the line it started on.
struct CsvRecord {
  size_t line = 0;
  std::vector<std::string> fields;
};

bool SplitCsv(std::string_view text, std::vector<CsvRecord>* out) {
  CsvRecord record{1, {}};
  std::string field;
  bool quoted = false, field_started = false;
  size_t line = 1;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field.push_back('"');
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        if (c == '\n') ++line;
        field.push_back(c);
      }
      continue;
    }
    if (c == '"' && !field_started) {
      quoted = field_started = true;
    } else if (c == ',') {
      record.fields.push_back(std::move(field));
      field.clear();
      field_started = false;
    } else if (c == '\n' || c == '\r') {
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      record.fields.push_back(std::move(field));
      field.clear();
      field_started = false;
      if (!(record.fields.size() == 1 && record.fields[0].empty())) out->push_back(record);
      record = CsvRecord{++line, {}};
    } else {
      field_started = true;
      field.push_back(c);
    }
  }
  if (quoted) return false;
  if (field_started || !record.fields.empty()) {
    record.fields.push_back(std::move(field));
    out->push_back(std::move(record));
  }
  return true;
}

std::string At(size_t line) { return "line " + std::to_string(line) + ": "; }

// What every row of one import is read against.
struct Context {
  const Survey& survey;
  std::chrono::sys_days today;
  const crypto::BoxPublicKey* comments_key;
  ImportResult* result;
};

// Why a row for the (well-formed) `period` is refused: its month's figures are published.
std::string Frozen(const Survey& survey, const std::string& period) {
  std::string why = "period " + period + ": already published (";
  if (survey.period == stats::PeriodKind::kWeek) {
    why += "it falls in " + stats::PathOf(survey.period, period)->month + "; ";
  }
  why += "figures for a month are frozen ";
  if (survey.grace_days == 0) return why + "as soon as it ends)";
  return why + std::to_string(survey.grace_days) + (survey.grace_days == 1 ? " day" : " days") +
         " after it ends)";
}

void AddRow(const Context& c, size_t line, const std::string& period,
            boost::system::result<Submission, Rejection> parsed) {
  ImportResult* result = c.result;
  ++result->rows;
  const bool well_formed = stats::IsValidPeriod(c.survey.period, period);
  // First: such a row could never be stored, whatever its answers.
  if (well_formed && stats::PeriodFrozen(c.survey.period, period, c.today, c.survey.grace_days)) {
    result->refused.push_back(At(line) + Frozen(c.survey, period));
    return;
  }
  if (!parsed) {
    result->errors.push_back(At(line) + parsed.error().message);
    return;
  }
  if (!well_formed) {
    result->errors.push_back(At(line) + "period: expected a " +
                             (c.survey.period == stats::PeriodKind::kWeek ? "week like 2026-W40"
                                                                          : "month like 2026-10") +
                             ", got \"" + period.substr(0, 20) + "\"");
    return;
  }
  result->not_stored += parsed->not_stored.size();
  SealFreeText(c.survey, c.comments_key, &*parsed);
  result->plaintexts.push_back(EncodeStored(c.survey, *parsed, period));
}

void ParseJsonLines(const Context& ctx, std::string_view content) {
  const Survey& survey = ctx.survey;
  ImportResult* result = ctx.result;
  size_t line = 0;
  while (!content.empty()) {
    ++line;
    const size_t nl = content.find('\n');
    std::string_view text = content.substr(0, nl);
    content = nl == std::string_view::npos ? std::string_view() : content.substr(nl + 1);
    if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
    if (text.find_first_not_of(" \t") == std::string_view::npos) continue;
    if (auto dup = FindDuplicateJsonKey(text)) {  // the parse below would keep only one
      ++result->rows;
      result->errors.push_back(At(line) + *dup + ": duplicate key \"" + dup->substr(0, 40) + "\"");
      continue;
    }
    boost::system::error_code ec;
    json::value v = json::parse(text, ec);
    std::string period;
    if (!ec && v.is_object()) {
      if (const json::value* p = v.as_object().if_contains("period"); p && p->is_string()) {
        period = p->get_string();
      }
      v.as_object().erase("period");
    }
    // The rest is exactly a web submission's JSON body, with the same checks.
    AddRow(ctx, line, period, ParseJsonSubmission(survey, ec ? text : json::serialize(v)));
  }
}

void ParseCsv(const Context& ctx, std::string_view content) {
  const Survey& survey = ctx.survey;
  ImportResult* result = ctx.result;
  std::vector<CsvRecord> records;
  if (!SplitCsv(content, &records)) {
    result->errors.push_back("the file ends inside a quoted field");
    return;
  }
  if (records.empty()) return;
  const std::vector<std::string>& header = records.front().fields;
  int period_column = -1;
  for (size_t c = 0; c < header.size(); ++c) {
    if (header[c] == "period") period_column = static_cast<int>(c);
  }
  if (period_column < 0) {
    result->errors.push_back(At(records.front().line) + "header: expected a \"period\" column");
    return;
  }
  for (size_t r = 1; r < records.size(); ++r) {
    const CsvRecord& rec = records[r];
    if (rec.fields.size() != header.size()) {
      ++result->rows;
      result->errors.push_back(At(rec.line) + "expected " + std::to_string(header.size()) +
                               " fields as in the header, got " +
                               std::to_string(rec.fields.size()));
      continue;
    }
    // The rest is exactly a web form's body, with the same checks.
    std::string form;
    for (size_t c = 0; c < header.size(); ++c) {
      if (static_cast<int>(c) == period_column || rec.fields[c].empty()) continue;
      const Question* q = survey.FindQuestion(header[c]);
      std::vector<std::string_view> values = {rec.fields[c]};
      if (q && q->type == QuestionType::kMulti) {
        values.clear();
        std::string_view rest = rec.fields[c];
        while (!rest.empty()) {
          const size_t semi = rest.find(';');
          values.push_back(rest.substr(0, semi));
          rest = semi == std::string_view::npos ? "" : rest.substr(semi + 1);
        }
      }
      for (std::string_view v : values) {
        if (!form.empty()) form.push_back('&');
        form.append(PercentEncode(header[c])).append("=").append(PercentEncode(v));
      }
    }
    AddRow(ctx, rec.line, rec.fields[static_cast<size_t>(period_column)],
           ParseFormSubmission(survey, form));
  }
}

}  // namespace

ImportResult ParseImport(const Survey& survey, std::string_view content, ImportFormat format,
                         std::chrono::sys_days today, const crypto::BoxPublicKey* comments_key) {
  ImportResult result;
  const Context context{survey, today, comments_key, &result};
  if (format == ImportFormat::kCsv) {
    ParseCsv(context, content);
  } else {
    ParseJsonLines(context, content);
  }
  if (!result.refused.empty()) {
    // All or nothing: what is left cannot be stored without the refused rows.
    result.plaintexts.clear();
    result.not_stored = 0;
  }
  return result;
}

namespace {

std::string ImportKey(std::string_view digest) { return "import/" + std::string(digest); }

}  // namespace

boost::system::result<std::optional<ImportRecord>> FindImport(store::Store& store,
                                                              std::string_view digest) {
  auto stored = store.GetMeta(ImportKey(digest));
  if (!stored) return stored.error();
  if (!*stored) return std::optional<ImportRecord>();
  boost::system::error_code ec;
  const json::value v = json::parse(**stored, ec);
  const json::object* o = ec ? nullptr : v.if_object();
  const json::value* survey = o ? o->if_contains("survey") : nullptr;
  const json::value* rows = o ? o->if_contains("rows") : nullptr;
  const json::value* times = o ? o->if_contains("times") : nullptr;
  if (!survey || !survey->is_string() || !rows || !times) return store::Errc::kCorrupt;
  ImportRecord record{std::string(survey->as_string()), rows->to_number<uint64_t>(ec), 0};
  if (!ec) record.times = times->to_number<uint64_t>(ec);
  if (ec) return store::Errc::kCorrupt;
  return std::optional<ImportRecord>(std::move(record));
}

boost::system::error_code StoreImport(store::Store& store, std::string_view survey_id,
                                      const std::vector<std::string>& plaintexts,
                                      std::string_view digest,
                                      const std::optional<ImportRecord>& prior) {
  const uint64_t rows = plaintexts.size();
  const json::object record = {{"survey", survey_id},
                               {"rows", prior ? prior->rows + rows : rows},
                               {"times", prior ? prior->times + 1 : uint64_t{1}}};
  return store.PutResponsesAndMetas(survey_id, plaintexts,
                                    {{ImportKey(digest), json::serialize(record)}});
}

}  // namespace candour::survey
