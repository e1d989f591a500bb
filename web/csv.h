// CsvWriter: the one writer of every CSV Candour serves (results, dashboard figures, codes).
//
// Fields follow RFC 4180: a field holding a comma, a double quote, CR or LF is quoted, its
// quotes doubled. Rows end with LF, not the RFC's CRLF: every spreadsheet and CSV library
// reads LF, and a line-oriented tool (grep, wc -l) counts rows correctly.
//
// Text cells may hold what an organiser typed (titles, labels, ids, source tags), so a text
// cell that would start with =, +, -, @, tab or CR is prefixed with a single quote: a
// spreadsheet then shows it as text instead of running it as a formula ("CSV injection").
// Numbers we compute are written with Integer and Decimal, as numbers.
//
// Every row must have the header's number of fields; a row that does not is a caller's bug
// (asserted), so a reader can always trust the header.
// Thread-safe: a value; not shared between threads while it is written.
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

namespace candour::web {

class CsvWriter {
 public:
  // Starts the CSV with its header row. REQUIRES: at least one column.
  explicit CsvWriter(std::initializer_list<std::string_view> header);
  // The same with names chosen at run time (a header in the reader's language).
  explicit CsvWriter(const std::vector<std::string>& header);

  // One field each, left to right.
  CsvWriter& Text(std::string_view text);  // quoted when needed; neutralised as above
  CsvWriter& Integer(uint64_t value);
  CsvWriter& Decimal(double value);  // six decimals: 0.375000
  CsvWriter& Empty();

  // Ends the row. REQUIRES: the row has the header's number of fields.
  void EndRow();

  // The CSV. REQUIRES: no row is left open.
  std::string str() &&;

 private:
  template <typename Names>
  void Header(const Names& names);
  void Separate();

  std::string out_;
  size_t columns_ = 0;
  size_t fields_ = 0;  // in the current row
};

}  // namespace candour::web
