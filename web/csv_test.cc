#include "web/csv.h"

#include <gtest/gtest.h>

namespace candour::web {
namespace {

TEST(CsvTest, HeaderThenRowsEachEndingWithLf) {
  CsvWriter csv({"a", "b"});
  csv.Text("x").Integer(3);
  csv.EndRow();
  csv.Empty().Decimal(0.375);
  csv.EndRow();
  EXPECT_EQ(std::move(csv).str(), "a,b\nx,3\n,0.375000\n");
}

TEST(CsvTest, FieldsWithCommasQuotesOrLineBreaksAreQuoted) {
  CsvWriter csv({"f"});
  for (const char* text :
       {"small numbers: fewer than 10, or more", "say \"hi\"", "two\nlines", "cr\rhere", "plain"}) {
    csv.Text(text);
    csv.EndRow();
  }
  EXPECT_EQ(std::move(csv).str(),
            "f\n\"small numbers: fewer than 10, or more\"\n\"say \"\"hi\"\"\"\n\"two\nlines\"\n"
            "\"cr\rhere\"\nplain\n");
}

TEST(CsvTest, TextThatASpreadsheetWouldRunIsNeutralised) {
  CsvWriter csv({"f"});
  for (const char* text :
       {"=1+2", "+44 20", "-3", "@SUM(A1)", "\tx", "=HYPERLINK(\"a,b\")", "a=b", "2026-01", ""}) {
    csv.Text(text);
    csv.EndRow();
  }
  EXPECT_EQ(std::move(csv).str(),
            "f\n'=1+2\n'+44 20\n'-3\n'@SUM(A1)\n'\tx\n\"'=HYPERLINK(\"\"a,b\"\")\"\na=b\n"
            "2026-01\n\n");
}

TEST(CsvTest, NumbersAreWrittenAsNumbers) {
  CsvWriter csv({"n", "share"});
  csv.Integer(0).Decimal(-0.5);  // our own numbers are never neutralised
  csv.EndRow();
  csv.Integer(18446744073709551615u).Decimal(1);
  csv.EndRow();
  EXPECT_EQ(std::move(csv).str(), "n,share\n0,-0.500000\n18446744073709551615,1.000000\n");
}

TEST(CsvTest, HeaderNamesAreFieldsToo) { EXPECT_EQ(CsvWriter({"a,b", "c"}).str(), "\"a,b\",c\n"); }

TEST(CsvTest, AHeaderChosenAtRunTimeIsWrittenTheSameWay) {
  CsvWriter csv(std::vector<std::string>{"Dönem kodu", "Oran, 0-1", "=x"});
  csv.Text("2026-Q3").Decimal(0.5).Integer(3).EndRow();
  EXPECT_EQ(std::move(csv).str(), "Dönem kodu,\"Oran, 0-1\",'=x\n2026-Q3,0.500000,3\n");
}

#ifndef NDEBUG
TEST(CsvDeathTest, ARowOfTheWrongWidthIsACallersBug) {
  EXPECT_DEATH(
      {
        CsvWriter csv({"a", "b"});
        csv.Text("x");
        csv.EndRow();
      },
      "header's number of fields");
  EXPECT_DEATH(
      {
        CsvWriter csv({"a"});
        csv.Text("x").Text("y");
      },
      "more fields");
}
#endif

}  // namespace
}  // namespace candour::web
