#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "read/json_stream.h"
#include "read/table.h"

using namespace hrtrack;
using namespace hrtrack::read;

namespace {
std::string write_tmp(const std::string& name, const std::string& bytes) {
  auto p =
      std::filesystem::temp_directory_path() / ("hrtrack-rd-" + std::to_string(::getpid()) + name);
  std::ofstream(p, std::ios::binary) << bytes;
  return p.string();
}
std::vector<std::vector<std::string>> all_rows(TableReader& t) {
  std::vector<std::vector<std::string>> out;
  Row r;
  while (t.next(r)) out.push_back(r.cells);
  return out;
}
}  // namespace

TEST(CsvReader, QuotesNewlinesCrlfAndBom) {
  std::vector<Problem> p;
  auto path =
      write_tmp("a.csv", "\xEF\xBB\xBFh1,h2\r\n\"a,1\",\"say \"\"hi\"\"\nthere\"\r\nx,\r\n");
  auto t = open_csv(path, p);
  EXPECT_EQ(t->header(), (std::vector<std::string>{"h1", "h2"}));
  auto rows = all_rows(*t);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0], (std::vector<std::string>{"a,1", "say \"hi\"\nthere"}));
  EXPECT_EQ(rows[1], (std::vector<std::string>{"x", ""}));
  EXPECT_TRUE(p.empty());
}

TEST(CsvReader, RowNumbersCountRecordsNotLines) {
  std::vector<Problem> p;
  auto path = write_tmp("b.csv", "h1,h2\n\"multi\nline\",ok\nbad\xFF,z\n");
  auto t = open_csv(path, p);
  Row r;
  ASSERT_TRUE(t->next(r));
  EXPECT_EQ(r.number, 2);
  ASSERT_TRUE(t->next(r));
  EXPECT_EQ(r.number, 3);
  EXPECT_TRUE(r.bad);
  ASSERT_EQ(p.size(), 1u);
  EXPECT_EQ(p[0].row, 3);
  EXPECT_EQ(p[0].column, "h1");
}

TEST(CsvReader, FieldLimitKeepsMemoryBounded) {
  std::vector<Problem> p;
  TableOptions o;
  o.max_field_bytes = 10;
  auto path = write_tmp("c.csv", "h\n" + std::string(1000, 'x') + "\n");
  auto t = open_csv(path, p, o);
  Row r;
  ASSERT_TRUE(t->next(r));
  EXPECT_EQ(r.cells[0].size(), 10u);
  EXPECT_TRUE(r.bad);
  ASSERT_EQ(p.size(), 1u);
  EXPECT_NE(p[0].reason.find("1000 bytes"), std::string::npos);
}

TEST(JsonStream, DeliversRecordsOneByOne) {
  std::vector<Problem> p;
  auto path = write_tmp("a.json", R"([{"a": 1, "b": [1, {"c": "x"}]}, {"a": 2}, "scalar"])");
  std::vector<std::string> seen;
  bool ok = read_json_array(
      path,
      [&](nlohmann::ordered_json&& j, long i, bool) {
        seen.push_back(std::to_string(i) + j.dump());
      },
      p);
  EXPECT_TRUE(ok);
  EXPECT_EQ(seen, (std::vector<std::string>{R"(1{"a":1,"b":[1,{"c":"x"}]})", R"(2{"a":2})",
                                            R"(3"scalar")"}));
}

TEST(JsonStream, TruncatedFileIsReportedWithRecordIndex) {
  std::vector<Problem> p;
  auto path = write_tmp("b.json", R"([{"a": 1}, {"a": 2}, {"a": "cut sh)");
  long n = 0;
  EXPECT_FALSE(read_json_array(
      path, [&](nlohmann::ordered_json&&, long, bool) { ++n; }, p));
  EXPECT_EQ(n, 2);
  ASSERT_EQ(p.size(), 1u);
  EXPECT_EQ(p[0].row, 3);
  EXPECT_NE(p[0].reason.find("truncated"), std::string::npos);
}

TEST(JsonStream, InvalidUtf8AndWrongTopLevel) {
  std::vector<Problem> p;
  auto path = write_tmp("c.json", "[{\"a\": \"acc\x8Fs\"}]");
  EXPECT_FALSE(read_json_array(
      path, [](nlohmann::ordered_json&&, long, bool) {}, p));
  ASSERT_FALSE(p.empty());
  EXPECT_EQ(p[0].row, 1);
  p.clear();
  path = write_tmp("d.json", R"({"a": 1})");
  EXPECT_FALSE(read_json_array(
      path, [](nlohmann::ordered_json&&, long, bool) {}, p));
  ASSERT_FALSE(p.empty());
  EXPECT_NE(p[0].reason.find("array"), std::string::npos);
}

TEST(CsvReader, Utf16FileYieldsNoRows) {
  std::vector<Problem> p;
  auto path = write_tmp("u16.csv", std::string("\xFF\xFE", 2) + std::string("h\0,\0x\0\n\0", 8));
  auto t = open_csv(path, p);
  Row r;
  EXPECT_FALSE(t->next(r));
  ASSERT_EQ(p.size(), 1u);
  EXPECT_NE(p[0].reason.find("UTF-16"), std::string::npos);
}
