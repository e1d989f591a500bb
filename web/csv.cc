#include "web/csv.h"

#include <cassert>
#include <cstdio>

namespace candour::web {
namespace {

// A spreadsheet runs a cell starting with these as a formula (OWASP's list).
bool StartsFormula(std::string_view text) {
  return !text.empty() && std::string_view("=+-@\t\r").find(text.front()) != std::string_view::npos;
}

}  // namespace

template <typename Names>
void CsvWriter::Header(const Names& names) {
  columns_ = names.size();
  assert(columns_ > 0 && "a CSV needs a column");
  for (std::string_view name : names) Text(name);
  EndRow();
}

CsvWriter::CsvWriter(std::initializer_list<std::string_view> header) { Header(header); }
CsvWriter::CsvWriter(const std::vector<std::string>& header) { Header(header); }

void CsvWriter::Separate() {
  assert(fields_ < columns_ && "more fields than the header has columns");
  if (fields_++ > 0) out_.push_back(',');
}

CsvWriter& CsvWriter::Text(std::string_view text) {
  Separate();
  const bool formula = StartsFormula(text);
  if (text.find_first_of(",\"\r\n") == std::string_view::npos) {
    if (formula) out_.push_back('\'');
    out_.append(text);
    return *this;
  }
  out_.push_back('"');
  if (formula) out_.push_back('\'');
  for (char c : text) {
    if (c == '"') out_.push_back('"');
    out_.push_back(c);
  }
  out_.push_back('"');
  return *this;
}

CsvWriter& CsvWriter::Integer(uint64_t value) {
  Separate();
  out_.append(std::to_string(value));
  return *this;
}

CsvWriter& CsvWriter::Decimal(double value) {
  Separate();
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6f", value);
  out_.append(buf);
  return *this;
}

CsvWriter& CsvWriter::Empty() {
  Separate();
  return *this;
}

void CsvWriter::EndRow() {
  assert(fields_ == columns_ && "a row needs the header's number of fields");
  out_.push_back('\n');
  fields_ = 0;
}

std::string CsvWriter::str() && {
  assert(fields_ == 0 && "a row is left open");
  return std::move(out_);
}

}  // namespace candour::web
