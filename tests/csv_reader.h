// ReadCsv: a small RFC 4180 reader for the tests, written apart from web/csv.h's writer so
// that a test reads the server's CSV as a spreadsheet would, not as the writer meant it.
// Rows end with LF or CRLF; a field may be quoted, with doubled quotes inside and commas, CR
// and LF kept as they are. A malformed CSV (an unclosed quote, a quote inside an unquoted
// field, text after a closing quote) or a row whose width differs from the header's is an
// error, which says where.
// Thread-safe: pure functions.
#pragma once

#include <cstddef>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

namespace candour::testing {

struct Csv {
  std::string error;  // empty if the text is a well-formed CSV
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;  // after the header

  // The index of column `name`, or the header's width if there is none.
  size_t Column(std::string_view name) const {
    size_t i = 0;
    while (i < header.size() && header[i] != name) ++i;
    return i;
  }
  // Row `row`'s field in column `name` ("" and a message if there is no such column).
  std::string At(size_t row, std::string_view name) const {
    const size_t c = Column(name);
    return c < header.size() && row < rows.size() ? rows[row][c] : "<no " + std::string(name) + ">";
  }
};

// Every record of `text`, the header included; `error` is set (and the records so far kept)
// if it is malformed.
inline std::vector<std::vector<std::string>> ReadCsvRecords(std::string_view text,
                                                            std::string* error) {
  std::vector<std::vector<std::string>> records;
  std::vector<std::string> record;
  std::string field;
  size_t i = 0;
  auto fail = [&](const std::string& what) {
    *error = "record " + std::to_string(records.size() + 1) + ": " + what;
    return records;
  };
  while (i < text.size()) {
    // One field, quoted or not, then a comma, a line end or the end of the text.
    if (text[i] == '"') {
      for (++i;; ++i) {
        if (i >= text.size()) return fail("a quoted field is never closed");
        if (text[i] != '"') {
          field.push_back(text[i]);
        } else if (i + 1 < text.size() && text[i + 1] == '"') {
          field.push_back('"');
          ++i;
        } else {
          ++i;
          break;
        }
      }
    } else {
      while (i < text.size() && text[i] != ',' && text[i] != '\n' && text[i] != '\r') {
        if (text[i] == '"') return fail("a quote inside an unquoted field");
        field.push_back(text[i++]);
      }
    }
    record.push_back(std::move(field));
    field.clear();
    if (i == text.size()) break;
    if (text[i] == ',') {
      if (++i == text.size()) record.emplace_back();  // a last field that is empty
      continue;
    }
    if (text.substr(i, 2) == "\r\n") {
      i += 2;
    } else if (text[i] == '\n') {
      ++i;
    } else {
      return fail("text after a closing quote");
    }
    records.push_back(std::move(record));
    record.clear();
  }
  if (!record.empty()) records.push_back(std::move(record));
  return records;
}

// The header and rows of `text`, each row as wide as the header.
inline Csv ReadCsv(std::string_view text) {
  Csv csv;
  auto records = ReadCsvRecords(text, &csv.error);
  if (records.empty()) {
    if (csv.error.empty()) csv.error = "no header";
    return csv;
  }
  csv.header = std::move(records.front());
  csv.rows.assign(std::make_move_iterator(records.begin() + 1),
                  std::make_move_iterator(records.end()));
  for (size_t r = 0; r < csv.rows.size() && csv.error.empty(); ++r) {
    if (csv.rows[r].size() != csv.header.size()) {
      csv.error = "row " + std::to_string(r + 1) + " has " + std::to_string(csv.rows[r].size()) +
                  " fields, the header " + std::to_string(csv.header.size());
    }
  }
  return csv;
}

}  // namespace candour::testing
