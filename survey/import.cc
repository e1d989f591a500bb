#include "survey/import.h"

#include <algorithm>
#include <boost/json.hpp>
#include <map>

#include "stats/period.h"
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

// Valid rows' line and period, for the revision rule.
struct RowInfo {
  size_t line;
  std::string period;
};

void AddRow(const Survey& survey, size_t line, const std::string& period,
            boost::system::result<Submission, Rejection> parsed, ImportResult* result,
            std::vector<RowInfo>* rows, const crypto::BoxPublicKey* key) {
  ++result->rows;
  if (!parsed) {
    result->errors.push_back(At(line) + parsed.error().message);
    return;
  }
  if (!stats::IsValidPeriod(survey.period, period)) {
    result->errors.push_back(
        At(line) + "period: expected a " +
        (survey.period == stats::PeriodKind::kWeek ? "week like 2026-W40" : "month like 2026-10") +
        ", got \"" + period.substr(0, 20) + "\"");
    return;
  }
  result->not_stored += parsed->not_stored.size();
  SealFreeText(survey, key, &*parsed);
  result->plaintexts.push_back(EncodeStored(survey, *parsed, period));
  rows->push_back({line, period});
}

void ParseJsonLines(const Survey& survey, std::string_view content, ImportResult* result,
                    std::vector<RowInfo>* rows, const crypto::BoxPublicKey* key) {
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
    AddRow(survey, line, period, ParseJsonSubmission(survey, ec ? text : json::serialize(v)),
           result, rows, key);
  }
}

void ParseCsv(const Survey& survey, std::string_view content, ImportResult* result,
              std::vector<RowInfo>* rows, const crypto::BoxPublicKey* key) {
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
    AddRow(survey, rec.line, rec.fields[static_cast<size_t>(period_column)],
           ParseFormSubmission(survey, form), result, rows, key);
  }
}

}  // namespace

ImportResult ParseImport(const Survey& survey, std::string_view content, ImportFormat format,
                         std::chrono::sys_days today, uint64_t threshold,
                         const crypto::BoxPublicKey* comments_key) {
  ImportResult result;
  std::vector<RowInfo> rows;
  if (format == ImportFormat::kCsv) {
    ParseCsv(survey, content, &result, &rows, comments_key);
  } else {
    ParseJsonLines(survey, content, &result, &rows, comments_key);
  }
  // The revision rule, by published month (as the release counts completeness).
  std::map<std::string, size_t> per_month;
  std::vector<std::string> month_of(rows.size());
  for (size_t i = 0; i < rows.size(); ++i) {
    const auto path = stats::PathOf(survey.period, rows[i].period);
    const auto last = path ? stats::LastDayOf(survey.period, path->month) : std::nullopt;
    if (last && *last + std::chrono::days{1} < today) {
      month_of[i] = path->month;
      ++per_month[path->month];
    }
  }
  std::vector<std::string> kept;
  std::vector<std::pair<size_t, std::string>> refused;
  for (size_t i = 0; i < rows.size(); ++i) {
    const std::string& month = month_of[i];
    if (!month.empty() && per_month[month] < threshold) {
      refused.emplace_back(rows[i].line,
                           At(rows[i].line) + "period: " + rows[i].period + " falls in " + month +
                               ", whose figures are already published; " +
                               "they change only when at least " + std::to_string(threshold) +
                               " new responses arrive for it together (this file has " +
                               std::to_string(per_month[month]) + ")");
    } else {
      kept.push_back(std::move(result.plaintexts[i]));
    }
  }
  result.plaintexts = std::move(kept);
  if (!refused.empty()) {
    // Keep the errors in line order with the others.
    for (auto& [line, message] : refused) result.errors.push_back(std::move(message));
    std::stable_sort(result.errors.begin(), result.errors.end(),
                     [](const std::string& a, const std::string& b) {
                       auto line_of = [](const std::string& e) {
                         return e.starts_with("line ") ? std::stoul(e.substr(5)) : 0ul;
                       };
                       return line_of(a) < line_of(b);
                     });
  }
  return result;
}

}  // namespace candour::survey
