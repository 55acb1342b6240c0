// The limits of the CSV and JSON readers (read/limits.h): each one a Problem naming the row
// (record) and column (field), the reader going on or stopping as documented, never a crash.
// The limits are lowered here so that small inputs reach them; the XLSX ones are in
// test_xlsx_reader.cpp.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "read/json_stream.h"
#include "read/limits.h"
#include "read/table.h"

using namespace hrtrack;
using namespace hrtrack::read;
using ojson = nlohmann::ordered_json;

namespace {

std::string write_tmp(const std::string& name, const std::string& bytes) {
  auto p =
      std::filesystem::temp_directory_path() / ("hrtrack-lim-" + std::to_string(::getpid()) + name);
  std::ofstream(p, std::ios::binary) << bytes;
  return p.string();
}

std::string dump(const std::vector<Problem>& problems) {
  std::string out;
  for (const auto& p : problems) out += p.to_string() + "\n";
  return out;
}

bool has(const std::string& s, const std::string& part) {
  return s.find(part) != std::string::npos;
}

// "h\0,\0x\0\n\0" for "h,x\n": UTF-16 little- or big-endian, no byte order mark.
std::string utf16(const std::string& ascii, bool little) {
  std::string out;
  for (char c : ascii) {
    if (little) out += c;
    out += '\0';
    if (!little) out += c;
  }
  return out;
}

struct Record {
  long index;
  std::string json;
  bool bad;
};

// Reads a JSON array, returning what was delivered.
std::vector<Record> read_json(const std::string& name, const std::string& text,
                              std::vector<Problem>& problems, const JsonStreamOptions& opt = {},
                              bool* ok = nullptr) {
  std::vector<Record> out;
  bool r = read_json_array(
      write_tmp(name, text),
      [&](ojson&& j, long i, bool bad) {
        out.push_back({i, j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace), bad});
      },
      problems, opt);
  if (ok) *ok = r;
  return out;
}

}  // namespace

// ---------------- CSV ----------------

TEST(CsvLimits, DefaultsAreThoseOfASmallFile) {
  TableOptions o;
  EXPECT_EQ(o.max_rows, kSmallFileRows);
  EXPECT_EQ(o.max_file_bytes, kSmallFileBytes);
  TableOptions imp{ReaderLimits{}};
  EXPECT_EQ(imp.max_rows, 1048576);
  EXPECT_EQ(imp.max_file_bytes, 0u);
}

TEST(CsvLimits, Utf16WithoutBomGetsAHint) {
  for (bool little : {true, false}) {
    std::vector<Problem> p;
    auto t = open_csv(write_tmp("u16.csv", utf16("To,Text\nChile,Ratify.\n", little)), p);
    Row r;
    EXPECT_FALSE(t->next(r));
    EXPECT_TRUE(t->header().empty());
    ASSERT_EQ(p.size(), 1u) << dump(p);
    EXPECT_EQ(p[0].row, 0);
    EXPECT_TRUE(has(p[0].reason, "this looks like UTF-16; save it as UTF-8")) << p[0].reason;
  }
  // A plain ASCII file with a single NUL is not taken for UTF-16 (it gets the NUL problem).
  std::vector<Problem> p;
  auto t = open_csv(write_tmp("nul.csv", std::string("h\nab\0c\n", 7)), p);
  Row r;
  EXPECT_TRUE(t->next(r));
  ASSERT_EQ(p.size(), 1u) << dump(p);
  EXPECT_TRUE(has(p[0].reason, "NUL")) << p[0].reason;
}

TEST(CsvLimits, FieldsPastTheColumnLimitAreNotKept) {
  std::vector<Problem> p;
  TableOptions o;
  o.max_columns = 4;
  auto t = open_csv(write_tmp("cols.csv", "a,b\n1,2,3,4,5,6,7\nx,y\n"), p, o);
  Row r;
  ASSERT_TRUE(t->next(r));
  EXPECT_EQ(r.number, 2);
  EXPECT_TRUE(r.bad);
  EXPECT_EQ(r.cells, (std::vector<std::string>{"1", "2", "3", "4"}));
  ASSERT_TRUE(t->next(r));
  EXPECT_FALSE(r.bad);
  EXPECT_EQ(r.cells, (std::vector<std::string>{"x", "y"}));
  ASSERT_EQ(p.size(), 1u) << dump(p);
  EXPECT_EQ(p[0].row, 2);
  EXPECT_EQ(p[0].column, "#5");
  EXPECT_TRUE(has(p[0].reason, "more than 4 fields")) << p[0].reason;
}

TEST(CsvLimits, RowBytesLimitNamesRowAndColumn) {
  std::vector<Problem> p;
  TableOptions o;
  o.max_field_bytes = 8;
  o.max_row_bytes = 12;
  auto t = open_csv(write_tmp("rowb.csv", "h1,h2,h3\n12345678,12345678,z\nok,ok,ok\n"), p, o);
  Row r;
  ASSERT_TRUE(t->next(r));
  EXPECT_TRUE(r.bad);
  EXPECT_EQ(r.cells.size(), 3u);
  EXPECT_EQ(r.cells[0], "12345678");
  EXPECT_LE(r.cells[0].size() + r.cells[1].size() + r.cells[2].size(), 12u);
  ASSERT_TRUE(t->next(r));
  EXPECT_FALSE(r.bad);
  ASSERT_EQ(p.size(), 1u) << dump(p);
  EXPECT_EQ(p[0].row, 2);
  EXPECT_EQ(p[0].column, "h2");
  EXPECT_TRUE(has(p[0].reason, "12-byte limit")) << p[0].reason;
}

TEST(CsvLimits, MoreRowsThanTheLimitRefusesTheFile) {
  std::vector<Problem> p;
  TableOptions o;
  o.max_rows = 3;  // the header and two data rows
  auto t = open_csv(write_tmp("rows.csv", "h\n1\n2\n3\n4\n"), p, o);
  Row r;
  int n = 0;
  while (t->next(r)) ++n;
  EXPECT_EQ(n, 2);
  ASSERT_EQ(p.size(), 1u) << dump(p);
  EXPECT_EQ(p[0].row, 0);  // about the file: the import is refused
  EXPECT_TRUE(has(p[0].reason, "more than 3 rows")) << p[0].reason;
  EXPECT_TRUE(has(p[0].reason, "row 4")) << p[0].reason;
}

TEST(CsvLimits, FileSizeLimit) {
  std::vector<Problem> p;
  TableOptions o;
  o.max_file_bytes = 10;
  auto t = open_csv(write_tmp("size.csv", "h\n1234567890\n"), p, o);
  Row r;
  EXPECT_FALSE(t->next(r));
  EXPECT_TRUE(t->header().empty());
  ASSERT_EQ(p.size(), 1u) << dump(p);
  EXPECT_EQ(p[0].row, 0);
  EXPECT_TRUE(has(p[0].reason, "13 bytes")) << p[0].reason;
  EXPECT_TRUE(has(p[0].reason, "10-byte limit")) << p[0].reason;
}

// ---------------- JSON ----------------

TEST(JsonLimits, DeepNestingIsAProblemNotACrash) {
  const std::size_t depth = 1000000;
  std::string deep = "[{\"a\": 1}, " + std::string(depth, '[') + std::string(depth, ']') + "]";
  std::vector<Problem> p;
  bool ok = true;
  auto recs = read_json("deep.json", deep, p, {}, &ok);
  EXPECT_FALSE(ok);
  ASSERT_EQ(recs.size(), 1u);  // record 1; record 2 is never delivered
  ASSERT_EQ(p.size(), 1u) << dump(p);
  EXPECT_EQ(p[0].row, 2);
  EXPECT_TRUE(has(p[0].reason, "nested more than 64 levels")) << p[0].reason;
}

TEST(JsonLimits, DepthAtTheLimitIsRead) {
  // The top-level array is level 1: 63 more levels are allowed, 64 are not.
  for (int extra : {63, 64}) {
    std::string s = "[" + std::string(static_cast<std::size_t>(extra), '[') +
                    std::string(static_cast<std::size_t>(extra), ']') + "]";
    std::vector<Problem> p;
    auto recs = read_json("depth.json", s, p);
    EXPECT_EQ(recs.size(), extra == 63 ? 1u : 0u) << extra;
    EXPECT_EQ(p.size(), extra == 63 ? 0u : 1u) << extra << dump(p);
  }
}

TEST(JsonLimits, DeepNestingInAFieldNamesTheField) {
  std::string s = "[{\"Text\": \"x\", \"Themes\": " + std::string(100, '[') + "]}]";
  std::vector<Problem> p;
  read_json("deepf.json", s, p);
  ASSERT_EQ(p.size(), 1u) << dump(p);
  EXPECT_EQ(p[0].row, 1);
  EXPECT_EQ(p[0].column, "Themes");
  EXPECT_TRUE(has(p[0].reason, "nested more than 64 levels")) << p[0].reason;
}

TEST(JsonLimits, NulInAStringIsAProblemNamingRecordAndField) {
  std::vector<Problem> p;
  auto recs = read_json("nul.json",
                        R"([{"Text": "ok"}, {"Body": "UPR", "Text": "a\u0000b"},)"
                        R"( {"variants": [{"lang": "fr", "text": "\u0000"}]}])",
                        p);
  ASSERT_EQ(recs.size(), 3u);
  EXPECT_FALSE(recs[0].bad);
  EXPECT_TRUE(recs[1].bad);
  EXPECT_TRUE(recs[2].bad);
  ASSERT_EQ(p.size(), 2u) << dump(p);
  EXPECT_EQ(p[0].row, 2);
  EXPECT_EQ(p[0].column, "Text");
  EXPECT_TRUE(has(p[0].reason, "NUL")) << p[0].reason;
  EXPECT_EQ(p[1].row, 3);
  EXPECT_EQ(p[1].column, "variants.text");
}

TEST(JsonLimits, DuplicateKeyIsAProblemNamingRecordAndKey) {
  std::vector<Problem> p;
  auto recs = read_json(
      "dup.json", R"([{"Text": "a", "Body": "x"}, {"Text": "a", "Body": "x", "Text": "b"}])", p);
  ASSERT_EQ(recs.size(), 2u);
  EXPECT_FALSE(recs[0].bad);
  EXPECT_TRUE(recs[1].bad);
  ASSERT_EQ(p.size(), 1u) << dump(p);
  EXPECT_EQ(p[0].row, 2);
  EXPECT_EQ(p[0].column, "Text");
  EXPECT_FALSE(p[0].warning);
  EXPECT_TRUE(has(p[0].reason, "duplicate key 'Text'")) << p[0].reason;
}

TEST(JsonLimits, StringOverTheLimitNamesTheField) {
  std::vector<Problem> p;
  JsonStreamOptions o;
  o.max_field_bytes = 10;
  auto recs =
      read_json("long.json", R"([{"Body": "UPR", "Text": "0123456789abc"}, {"Text": "ok"}])", p, o);
  ASSERT_EQ(recs.size(), 2u);
  EXPECT_TRUE(recs[0].bad);
  EXPECT_FALSE(recs[1].bad);
  ASSERT_EQ(p.size(), 1u) << dump(p);
  EXPECT_EQ(p[0].row, 1);
  EXPECT_EQ(p[0].column, "Text");
  EXPECT_TRUE(has(p[0].reason, "13 bytes, over the 10-byte limit")) << p[0].reason;
}

TEST(JsonLimits, HugeStringIsCutWhileItIsRead) {
  // 20 MB in one string, limit 1000: the record is rejected, what is kept is at most the limit
  // (the reader does not hold the whole string), and the next record is read.
  std::string s = "[{\"Text\": \"" + std::string(20 << 20, 'a') + "\"}, {\"Text\": \"ok\"}]";
  std::vector<Problem> p;
  JsonStreamOptions o;
  o.max_field_bytes = 1000;
  auto recs = read_json("huge.json", s, p, o);
  ASSERT_EQ(recs.size(), 2u);
  EXPECT_TRUE(recs[0].bad);
  EXPECT_LE(recs[0].json.size(), 1100u);
  EXPECT_FALSE(recs[1].bad);
  ASSERT_EQ(p.size(), 1u) << dump(p);
  EXPECT_EQ(p[0].column, "Text");
  EXPECT_TRUE(has(p[0].reason, "over the 1000-byte limit")) << p[0].reason;
}

TEST(JsonLimits, EscapesCountAsDecoded) {
  // 1000 x "\u00e9": 6000 bytes as written, 2000 bytes of UTF-8 once decoded, and a surrogate
  // pair at the end: within a 2004-byte limit.
  std::string esc;
  for (int i = 0; i < 1000; ++i) esc += "\\u00e9";
  esc += "\\ud83d\\ude00";
  std::vector<Problem> p;
  JsonStreamOptions o;
  o.max_field_bytes = 2004;
  auto recs = read_json("esc.json", "[{\"Text\": \"" + esc + "\"}]", p, o);
  ASSERT_EQ(recs.size(), 1u);
  EXPECT_FALSE(recs[0].bad) << dump(p);
  EXPECT_TRUE(p.empty()) << dump(p);
}

TEST(JsonLimits, KeyOverTheLimit) {
  std::vector<Problem> p;
  JsonStreamOptions o;
  o.max_field_bytes = 10;
  auto recs = read_json("key.json", R"([{"abcdefghijklmnop": 1}])", p, o);
  ASSERT_EQ(recs.size(), 1u);
  EXPECT_TRUE(recs[0].bad);
  ASSERT_EQ(p.size(), 1u) << dump(p);
  EXPECT_TRUE(has(p[0].reason, "key")) << p[0].reason;
}

TEST(JsonLimits, LongNumberStopsTheReading) {
  std::vector<Problem> p;
  JsonStreamOptions o;
  o.max_number_chars = 1000;
  bool ok = true;
  auto recs = read_json(
      "num.json", "[{\"a\": 1}, {\"UprSession\": " + std::string(5000, '7') + "}]", p, o, &ok);
  EXPECT_FALSE(ok);
  EXPECT_EQ(recs.size(), 1u);
  ASSERT_EQ(p.size(), 1u) << dump(p);
  EXPECT_EQ(p[0].row, 2);
  EXPECT_EQ(p[0].column, "UprSession");
  EXPECT_TRUE(has(p[0].reason, "a number of more than 1000 characters")) << p[0].reason;
  // A number of exactly the limit is read.
  p.clear();
  recs = read_json("num2.json", "[{\"a\": 0." + std::string(998, '7') + "}]", p, o);
  EXPECT_EQ(recs.size(), 1u);
  EXPECT_TRUE(p.empty()) << dump(p);
}

TEST(JsonLimits, TooManyValuesInARecord) {
  std::vector<Problem> p;
  JsonStreamOptions o;
  o.max_record_values = 10;
  auto recs =
      read_json("vals.json",
                R"([{"a": [1,2,3,4,5,6,7,8,9,10,11,12], "b": {"c": [1]}}, {"a": [1,2,3]}])", p, o);
  ASSERT_EQ(recs.size(), 2u);
  EXPECT_TRUE(recs[0].bad);
  EXPECT_FALSE(recs[1].bad);
  EXPECT_LE(recs[0].json.size(), 40u);
  ASSERT_EQ(p.size(), 1u) << dump(p);
  EXPECT_EQ(p[0].row, 1);
  EXPECT_EQ(p[0].column, "a");
  EXPECT_TRUE(has(p[0].reason, "more than 10 values")) << p[0].reason;
}

TEST(JsonLimits, RecordBytesLimit) {
  std::vector<Problem> p;
  JsonStreamOptions o;
  o.max_field_bytes = 8;
  o.max_row_bytes = 20;
  auto recs = read_json(
      "recb.json", R"([{"a": "12345678", "b": "12345678", "c": "12345678"}, {"a": "x"}])", p, o);
  ASSERT_EQ(recs.size(), 2u);
  EXPECT_TRUE(recs[0].bad);
  EXPECT_FALSE(recs[1].bad);
  ASSERT_EQ(p.size(), 1u) << dump(p);
  EXPECT_EQ(p[0].row, 1);
  EXPECT_EQ(p[0].column, "c");
  EXPECT_TRUE(has(p[0].reason, "20-byte limit")) << p[0].reason;
}

TEST(JsonLimits, MoreRecordsThanTheLimitRefusesTheFile) {
  std::vector<Problem> p;
  JsonStreamOptions o;
  o.max_rows = 2;
  bool ok = true;
  auto recs = read_json("recs.json", R"([{"a": 1}, {"a": 2}, {"a": 3}])", p, o, &ok);
  EXPECT_FALSE(ok);
  EXPECT_EQ(recs.size(), 2u);
  ASSERT_EQ(p.size(), 1u) << dump(p);
  EXPECT_EQ(p[0].row, 0);
  EXPECT_TRUE(has(p[0].reason, "more than 2 records")) << p[0].reason;
}

TEST(JsonLimits, TooManyErrorsStopTheReading) {
  // Each record has an error (a NUL); past the limit the reading stops.
  std::string s = "[";
  for (int i = 0; i < 10; ++i) s += std::string(i ? "," : "") + R"({"Text": "\u0000"})";
  s += "]";
  std::vector<Problem> p;
  JsonStreamOptions o;
  o.max_problems = 3;
  bool ok = true;
  auto recs = read_json("errs.json", s, p, o, &ok);
  EXPECT_FALSE(ok);
  EXPECT_EQ(recs.size(), 4u);
  ASSERT_EQ(p.size(), 5u) << dump(p);
  EXPECT_EQ(p.front().row, 0);  // first, where it is seen
  EXPECT_TRUE(has(p.front().reason, "more than 3 errors")) << p.front().reason;
}

TEST(JsonLimits, Utf16GetsAHint) {
  for (std::string bom : {std::string(), std::string("\xFF\xFE"), std::string("\xFE\xFF")}) {
    bool little = bom != "\xFE\xFF";
    std::vector<Problem> p;
    bool ok = true;
    auto recs = read_json("u16.json", bom + utf16(R"([{"Text": "Ratify."}])", little), p, {}, &ok);
    EXPECT_FALSE(ok);
    EXPECT_TRUE(recs.empty());
    ASSERT_EQ(p.size(), 1u) << dump(p);
    EXPECT_TRUE(has(p[0].reason, "UTF-16")) << p[0].reason;
    EXPECT_TRUE(has(p[0].reason, "save it as UTF-8")) << p[0].reason;
  }
}
