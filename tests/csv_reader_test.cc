// The tests' CSV reader (csv_reader.h) against hand-written RFC 4180 text.
#include "tests/csv_reader.h"

#include <gtest/gtest.h>

namespace candour::testing {
namespace {

using Records = std::vector<std::vector<std::string>>;

Records Read(std::string_view text) {
  std::string error;
  Records records = ReadCsvRecords(text, &error);
  EXPECT_EQ(error, "") << text;
  return records;
}

TEST(CsvReaderTest, PlainFieldsAndBothLineEnds) {
  EXPECT_EQ(Read("a,b\n1,2\n"), (Records{{"a", "b"}, {"1", "2"}}));
  EXPECT_EQ(Read("a,b\r\n1,2\r\n"), (Records{{"a", "b"}, {"1", "2"}}));
  EXPECT_EQ(Read("a,b\n1,2"), (Records{{"a", "b"}, {"1", "2"}}));  // no final line end
  EXPECT_EQ(Read(""), Records{});
}

TEST(CsvReaderTest, EmptyFieldsCount) {
  EXPECT_EQ(Read(",\n"), (Records{{"", ""}}));
  EXPECT_EQ(Read("a,,c,\n"), (Records{{"a", "", "c", ""}}));
  EXPECT_EQ(Read("a,"), (Records{{"a", ""}}));
  EXPECT_EQ(Read("\"\",x\n"), (Records{{"", "x"}}));
}

TEST(CsvReaderTest, QuotedCommasQuotesAndNewlines) {
  EXPECT_EQ(Read("\"small numbers: fewer than 10, or more\",x\n"),
            (Records{{"small numbers: fewer than 10, or more", "x"}}));
  EXPECT_EQ(Read("\"say \"\"hi\"\"\"\n"), (Records{{"say \"hi\""}}));
  EXPECT_EQ(Read("\"two\nlines\",\"cr\r\nlf\"\nnext\n"),
            (Records{{"two\nlines", "cr\r\nlf"}, {"next"}}));
  EXPECT_EQ(Read("\"\"\"\"\n"), (Records{{"\""}}));
}

TEST(CsvReaderTest, MalformedTextIsAnError) {
  std::string error;
  ReadCsvRecords("a,\"open\n", &error);
  EXPECT_EQ(error, "record 1: a quoted field is never closed");
  ReadCsvRecords("ok\na\"b\n", &error);
  EXPECT_EQ(error, "record 2: a quote inside an unquoted field");
  ReadCsvRecords("\"a\"b\n", &error);
  EXPECT_EQ(error, "record 1: text after a closing quote");
}

TEST(CsvReaderTest, EveryRowMustBeAsWideAsTheHeader) {
  const Csv good = ReadCsv("id,note\nq1,\"a, b\"\n");
  EXPECT_EQ(good.error, "");
  EXPECT_EQ(good.At(0, "note"), "a, b");
  EXPECT_EQ(good.Column("id"), 0u);
  // What the old results.csv did: a reason with a comma, unquoted.
  const Csv bad = ReadCsv("id,note\nq1,a, b\n");
  EXPECT_EQ(bad.error, "row 1 has 3 fields, the header 2");
  EXPECT_EQ(ReadCsv("").error, "no header");
}

}  // namespace
}  // namespace candour::testing
