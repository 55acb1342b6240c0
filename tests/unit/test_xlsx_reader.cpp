// open_xlsx: workbooks written at test time with libxlsxwriter (as Excel-like files) and, for
// damaged or unusual workbooks libxlsxwriter cannot produce, zipped by hand with libzip.
#include <gtest/gtest.h>
#include <unistd.h>
#include <xlsxwriter.h>
#include <zip.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "read/table.h"

namespace fs = std::filesystem;
using hrtrack::Problem;
using hrtrack::read::open_xlsx;
using hrtrack::read::Row;
using hrtrack::read::TableOptions;
using hrtrack::read::TableReader;

namespace {

class XlsxReaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::temp_directory_path() /
           ("hrtrack_xlsx_" + std::to_string(::getpid()) + "_" + info->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string path(const std::string& name) const { return (dir_ / name).string(); }

  // The data rows of a reader.
  static std::vector<Row> rows(TableReader& r) {
    std::vector<Row> out;
    Row row;
    while (r.next(row)) out.push_back(row);
    return out;
  }

  // Writes the standard test sheet (shared strings, or inline strings in constant_memory mode).
  std::string write_sample(const std::string& name, bool constant_memory) {
    std::string p = path(name);
    lxw_workbook_options o{};
    o.constant_memory = constant_memory ? LXW_TRUE : LXW_FALSE;
    lxw_workbook* wb = workbook_new_opt(p.c_str(), &o);
    EXPECT_NE(wb, nullptr);
    lxw_worksheet* ws = workbook_add_worksheet(wb, "Recommendations");
    worksheet_write_string(ws, 0, 0, "Text", nullptr);
    worksheet_write_string(ws, 0, 1, "Session", nullptr);
    worksheet_write_string(ws, 0, 2, "Note", nullptr);
    // Row 2: Unicode text, an integer, text.
    worksheet_write_string(ws, 1, 0, "Ratifier la Convention — 日本語 ✓ Ωμέγα", nullptr);
    worksheet_write_number(ws, 1, 1, 42, nullptr);
    worksheet_write_string(ws, 1, 2, "first", nullptr);
    // Row 3: an empty cell in the middle, a decimal.
    worksheet_write_string(ws, 2, 0, "second", nullptr);
    worksheet_write_number(ws, 2, 2, 3.25, nullptr);
    // Row 4: only the first column (the rest is padded to the header's width).
    worksheet_write_string(ws, 3, 0, "third", nullptr);
    // Row 5 empty; row 6: a multi-line text and a boolean.
    worksheet_write_string(ws, 5, 0, "line one\nline two", nullptr);
    worksheet_write_boolean(ws, 5, 1, 1, nullptr);
    EXPECT_EQ(workbook_close(wb), LXW_NO_ERROR);
    return p;
  }

  // Zips the given entries (name -> content) into a file.
  std::string write_zip(const std::string& name, const std::map<std::string, std::string>& files) {
    std::string p = path(name);
    int err = 0;
    zip_t* z = zip_open(p.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &err);
    EXPECT_NE(z, nullptr);
    for (const auto& [n, content] : files) {
      zip_source_t* s = zip_source_buffer(z, content.data(), content.size(), 0);
      EXPECT_GE(zip_file_add(z, n.c_str(), s, ZIP_FL_ENC_UTF_8), 0);
    }
    EXPECT_EQ(zip_close(z), 0);
    return p;
  }

  static std::string sheet_xml(const std::string& rows) {
    return R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>)"
           R"(<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">)"
           "<sheetData>" +
           rows + "</sheetData></worksheet>";
  }

  fs::path dir_;
};

std::string dump(const std::vector<Problem>& problems) {
  std::string out;
  for (const auto& p : problems) out += p.to_string() + "\n";
  return out;
}

TEST_F(XlsxReaderTest, ReadsHeaderAndCellsFromSharedStrings) {
  std::vector<Problem> problems;
  auto r = open_xlsx(write_sample("shared.xlsx", false), problems);
  EXPECT_EQ(r->header(), (std::vector<std::string>{"Text", "Session", "Note"}));
  auto rs = rows(*r);
  ASSERT_EQ(rs.size(), 4u);
  EXPECT_EQ(rs[0].number, 2);
  EXPECT_EQ(rs[0].cells,
            (std::vector<std::string>{"Ratifier la Convention — 日本語 ✓ Ωμέγα", "42", "first"}));
  EXPECT_EQ(rs[1].number, 3);
  EXPECT_EQ(rs[1].cells, (std::vector<std::string>{"second", "", "3.25"}));
  EXPECT_EQ(rs[2].number, 4);
  EXPECT_EQ(rs[2].cells, (std::vector<std::string>{"third", "", ""}));
  EXPECT_EQ(rs[3].number, 6);
  EXPECT_EQ(rs[3].cells, (std::vector<std::string>{"line one\nline two", "TRUE", ""}));
  for (const auto& row : rs) EXPECT_FALSE(row.bad) << "row " << row.number;
  EXPECT_TRUE(problems.empty()) << dump(problems);
  EXPECT_EQ(r->bytes_read(), r->bytes_total());
  EXPECT_EQ(r->bytes_total(), fs::file_size(path("shared.xlsx")));
}

TEST_F(XlsxReaderTest, ReadsInlineStrings) {
  std::string p = write_sample("inline.xlsx", true);
  // Make sure the file really uses inline strings, not the shared-string table.
  {
    int err = 0;
    zip_t* z = zip_open(p.c_str(), ZIP_RDONLY, &err);
    ASSERT_NE(z, nullptr);
    zip_file_t* f = zip_fopen(z, "xl/worksheets/sheet1.xml", 0);
    ASSERT_NE(f, nullptr);
    std::string xml(1 << 16, '\0');
    xml.resize(static_cast<std::size_t>(zip_fread(f, xml.data(), xml.size())));
    zip_fclose(f);
    zip_discard(z);
    EXPECT_NE(xml.find("t=\"inlineStr\""), std::string::npos);
  }
  std::vector<Problem> problems;
  auto r = open_xlsx(p, problems);
  EXPECT_EQ(r->header(), (std::vector<std::string>{"Text", "Session", "Note"}));
  auto rs = rows(*r);
  ASSERT_EQ(rs.size(), 4u);
  EXPECT_EQ(rs[0].cells[0], "Ratifier la Convention — 日本語 ✓ Ωμέγα");
  EXPECT_EQ(rs[0].cells[1], "42");
  EXPECT_EQ(rs[1].cells, (std::vector<std::string>{"second", "", "3.25"}));
  EXPECT_EQ(rs[3].number, 6);
  EXPECT_EQ(rs[3].cells[0], "line one\nline two");
  EXPECT_TRUE(problems.empty()) << dump(problems);
}

TEST_F(XlsxReaderTest, ConcatenatesRichTextRuns) {
  std::string p = path("rich.xlsx");
  lxw_workbook* wb = workbook_new(p.c_str());
  lxw_worksheet* ws = workbook_add_worksheet(wb, nullptr);
  lxw_format* bold = workbook_add_format(wb);
  format_set_bold(bold);
  worksheet_write_string(ws, 0, 0, "Text", nullptr);
  lxw_rich_string_tuple a{bold, const_cast<char*>("Bold ")};
  lxw_rich_string_tuple b{nullptr, const_cast<char*>("and plain")};
  lxw_rich_string_tuple* parts[] = {&a, &b, nullptr};
  ASSERT_EQ(worksheet_write_rich_string(ws, 1, 0, parts, nullptr), LXW_NO_ERROR);
  ASSERT_EQ(workbook_close(wb), LXW_NO_ERROR);

  std::vector<Problem> problems;
  auto r = open_xlsx(p, problems);
  auto rs = rows(*r);
  ASSERT_EQ(rs.size(), 1u);
  EXPECT_EQ(rs[0].cells, (std::vector<std::string>{"Bold and plain"}));
  EXPECT_TRUE(problems.empty()) << dump(problems);
}

TEST_F(XlsxReaderTest, NotAZipIsAProblemNamingTheFile) {
  std::string p = path("notzip.xlsx");
  std::ofstream(p) << "Text,Session\nhello,1\n";
  std::vector<Problem> problems;
  auto r = open_xlsx(p, problems);
  EXPECT_TRUE(r->header().empty());
  Row row;
  EXPECT_FALSE(r->next(row));
  ASSERT_EQ(problems.size(), 1u) << dump(problems);
  EXPECT_EQ(problems[0].file, "notzip.xlsx");  // the name only, no directory
  EXPECT_EQ(problems[0].row, 0);
  EXPECT_FALSE(problems[0].warning);
  EXPECT_NE(problems[0].reason.find("not a zip archive"), std::string::npos) << problems[0].reason;
  std::string msg = problems[0].to_string();
  EXPECT_EQ(msg.rfind("notzip.xlsx: ", 0), 0u) << msg;
  EXPECT_EQ(msg.find(dir_.string()), std::string::npos) << msg;
}

// Damaged archives are problems, never exceptions, whatever error libzip reports.
TEST_F(XlsxReaderTest, DamagedZipIsAProblemNotAnException) {
  std::string good = write_sample("good.xlsx", false);
  std::string bytes;
  {
    std::ifstream in(good, std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), {});
  }
  ASSERT_GT(bytes.size(), 1000u);
  // A download cut short: the central directory at the end is missing.
  std::string cut = path("cut.xlsx");
  std::ofstream(cut, std::ios::binary) << bytes.substr(0, bytes.size() / 2);
  // Sizes 0xFFFFFFFF without the ZIP64 field they announce (libzip: "No such file", which
  // a reader must not take for a missing file).
  std::string z64 = path("zip64.xlsx");
  std::size_t cd = bytes.find(std::string("PK\x01\x02", 4));
  ASSERT_NE(cd, std::string::npos);
  std::string patched = bytes;
  patched.replace(cd + 20, 8, std::string(8, '\xFF'));
  std::ofstream(z64, std::ios::binary) << patched;

  for (const std::string& p : {cut, z64}) {
    std::vector<Problem> problems;
    std::unique_ptr<TableReader> r;
    ASSERT_NO_THROW(r = open_xlsx(p, problems)) << p;
    EXPECT_TRUE(r->header().empty());
    Row row;
    EXPECT_FALSE(r->next(row));
    ASSERT_EQ(problems.size(), 1u) << dump(problems);
    EXPECT_EQ(problems[0].file, fs::path(p).filename().string());
    EXPECT_NE(problems[0].reason.find("the XLSX file is damaged"), std::string::npos)
        << problems[0].reason;
  }
}

TEST_F(XlsxReaderTest, MissingFileThrows) {
  std::vector<Problem> problems;
  EXPECT_THROW(open_xlsx(path("nope.xlsx"), problems), hrtrack::Error);
}

TEST_F(XlsxReaderTest, CellOverLimitNamesRowAndColumn) {
  std::string p = path("big.xlsx");
  lxw_workbook* wb = workbook_new(p.c_str());
  lxw_worksheet* ws = workbook_add_worksheet(wb, nullptr);
  worksheet_write_string(ws, 0, 0, "Session", nullptr);
  worksheet_write_string(ws, 0, 1, "Text", nullptr);
  worksheet_write_string(ws, 1, 0, "1", nullptr);
  worksheet_write_string(ws, 1, 1, "short", nullptr);
  worksheet_write_string(ws, 2, 0, "2", nullptr);
  worksheet_write_string(ws, 2, 1, "ééééééééééé", nullptr);  // 22 bytes
  ASSERT_EQ(workbook_close(wb), LXW_NO_ERROR);

  std::vector<Problem> problems;
  TableOptions opt;
  opt.max_field_bytes = 9;
  auto r = open_xlsx(p, problems, opt);
  auto rs = rows(*r);
  ASSERT_EQ(rs.size(), 2u);
  EXPECT_FALSE(rs[0].bad);
  EXPECT_EQ(rs[0].cells[1], "short");
  EXPECT_TRUE(rs[1].bad);
  EXPECT_EQ(rs[1].cells[1], "éééé");  // cut on a character boundary, not kept whole
  ASSERT_EQ(problems.size(), 1u) << dump(problems);
  EXPECT_EQ(problems[0].row, 3);
  EXPECT_EQ(problems[0].column, "Text");
  EXPECT_NE(problems[0].reason.find("22 bytes"), std::string::npos) << problems[0].reason;
  EXPECT_NE(problems[0].reason.find("9-byte limit"), std::string::npos) << problems[0].reason;
  EXPECT_NE(problems[0].to_string().find("row 3, column 'Text'"), std::string::npos)
      << problems[0].to_string();
}

TEST_F(XlsxReaderTest, SharedStringIndexOutOfRangeMarksTheRow) {
  std::string p =
      write_zip("badindex.xlsx",
                {{"xl/sharedStrings.xml", R"(<sst><si><t>Text</t></si><si><t>ok</t></si></sst>)"},
                 {"xl/worksheets/sheet1.xml",
                  sheet_xml(R"(<row r="1"><c r="A1" t="s"><v>0</v></c></row>)"
                            R"(<row r="2"><c r="A2" t="s"><v>7</v></c></row>)"
                            R"(<row r="3"><c r="A3" t="s"><v>1</v></c></row>)")}});
  std::vector<Problem> problems;
  auto r = open_xlsx(p, problems);
  EXPECT_EQ(r->header(), (std::vector<std::string>{"Text"}));
  auto rs = rows(*r);
  ASSERT_EQ(rs.size(), 2u);
  EXPECT_TRUE(rs[0].bad);
  EXPECT_EQ(rs[0].number, 2);
  EXPECT_FALSE(rs[1].bad);
  EXPECT_EQ(rs[1].cells, (std::vector<std::string>{"ok"}));
  ASSERT_EQ(problems.size(), 1u) << dump(problems);
  EXPECT_EQ(problems[0].file, "badindex.xlsx");
  EXPECT_EQ(problems[0].row, 2);
  EXPECT_EQ(problems[0].column, "Text");
  EXPECT_NE(problems[0].reason.find("has 2 shared strings"), std::string::npos)
      << problems[0].reason;
}

TEST_F(XlsxReaderTest, MalformedSheetXmlStops) {
  std::string p = write_zip("broken.xlsx", {{"xl/worksheets/sheet1.xml",
                                             sheet_xml(R"(<row r="1"><c r="A1" t="inlineStr">)"
                                                       R"(<is><t>Text</t></is></c></row>)"
                                                       R"(<row r="2"><c r="A2"><v>1</v></row>)")}});
  std::vector<Problem> problems;
  auto r = open_xlsx(p, problems);
  EXPECT_TRUE(r->header().empty());
  Row row;
  EXPECT_FALSE(r->next(row));
  ASSERT_EQ(problems.size(), 1u) << dump(problems);
  EXPECT_EQ(problems[0].file, "broken.xlsx");
  EXPECT_EQ(problems[0].row, 2);
  EXPECT_NE(problems[0].reason.find("malformed XML in xl/worksheets/sheet1.xml"), std::string::npos)
      << problems[0].reason;
}

TEST_F(XlsxReaderTest, NoWorksheetIsAProblem) {
  std::string p = write_zip("empty.xlsx", {{"docProps/app.xml", "<Properties/>"}});
  std::vector<Problem> problems;
  auto r = open_xlsx(p, problems);
  Row row;
  EXPECT_FALSE(r->next(row));
  ASSERT_EQ(problems.size(), 1u) << dump(problems);
  EXPECT_NE(problems[0].reason.find("no worksheet"), std::string::npos) << problems[0].reason;
}

// The first sheet listed in the workbook is read, wherever its part is; cells are placed by
// their references; prefixed element names, phonetic runs and _xHHHH_ escapes are handled;
// formatted but empty rows (before the header and after the data) and cells are dropped.
TEST_F(XlsxReaderTest, FollowsWorkbookRelationshipsAndPlacesCellsByReference) {
  std::string p = write_zip(
      "rels.xlsx",
      {{"xl/workbook.xml",
        R"(<x:workbook xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" )"
        R"(xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">)"
        R"(<x:sheets><x:sheet name="Data" sheetId="2" r:id="rId7"/>)"
        R"(<x:sheet name="Other" sheetId="1" r:id="rId1"/></x:sheets></x:workbook>)"},
       {"xl/_rels/workbook.xml.rels",
        R"(<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">)"
        R"(<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>)"
        R"(<Relationship Id="rId7" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="/xl/worksheets/data.xml"/>)"
        R"(<Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="strings.xml"/>)"
        R"(</Relationships>)"},
       {"xl/strings.xml",
        R"(<sst><si><r><t>日本</t></r><r><t xml:space="preserve"> text</t></r>)"
        R"(<rPh sb="0" eb="2"><t>ニホン</t></rPh></si><si><t>a_x000D_b_x005F_x0041_</t></si></sst>)"},
       {"xl/worksheets/sheet1.xml", sheet_xml(R"(<row r="1"><c r="A1"><v>999</v></c></row>)")},
       {"xl/worksheets/data.xml",
        sheet_xml(
            R"(<row r="2" spans="1:3"><c r="B2" s="1"/></row>)"
            R"(<row r="3"><c r="A3" t="inlineStr"><is><t>Id</t></is></c>)"
            R"(<c r="C3" t="inlineStr"><is><t>Value</t></is></c></row>)"
            R"(<row r="4"><c r="C4" t="s"><v>0</v></c><c r="A4"><v>1.50</v></c></row>)"
            R"(<row r="5"><c r="A5"><v>2.50</v></c><c r="C5" t="s"><v>1</v></c>)"
            R"(<c r="E5" s="1"/></row>)"
            R"(<row r="6"><c r="A6" s="2"/><c r="B6" t="inlineStr"><is><t></t></is></c></row>)")}});
  std::vector<Problem> problems;
  auto r = open_xlsx(p, problems);
  EXPECT_EQ(r->header(), (std::vector<std::string>{"Id", "", "Value"}));
  auto rs = rows(*r);
  ASSERT_EQ(rs.size(), 2u);
  // Row 4 has A4 after C4: out of order, reported and skipped.
  EXPECT_EQ(rs[0].number, 4);
  EXPECT_TRUE(rs[0].bad);
  EXPECT_EQ(rs[0].cells, (std::vector<std::string>{"", "", "日本 text"}));
  EXPECT_EQ(rs[1].number, 5);
  EXPECT_FALSE(rs[1].bad);
  EXPECT_EQ(rs[1].cells, (std::vector<std::string>{"2.50", "", "a\rb_x0041_"}));
  ASSERT_EQ(problems.size(), 1u) << dump(problems);
  EXPECT_EQ(problems[0].row, 4);
  EXPECT_EQ(problems[0].column, "Id");
}

// ---- limits (read/limits.h), lowered so that small workbooks reach them ----

std::string one_problem(const std::vector<Problem>& problems) {
  return problems.size() == 1 ? problems[0].reason : "(" + dump(problems) + ")";
}

TEST_F(XlsxReaderTest, DeepXmlIsAProblem) {
  std::string deep;
  for (int i = 0; i < 100; ++i) deep += "<x>";
  std::string p = write_zip(
      "deep.xlsx", {{"xl/worksheets/sheet1.xml",
                     sheet_xml(R"(<row r="1"><c r="A1" t="inlineStr"><is><t>Text</t></is></c>)"
                               R"(</row><row r="2"><c r="A2">)" +
                               deep + "</c></row>")}});
  std::vector<Problem> problems;
  auto r = open_xlsx(p, problems);
  Row row;
  EXPECT_FALSE(r->next(row));
  ASSERT_EQ(problems.size(), 1u) << dump(problems);
  EXPECT_NE(problems[0].reason.find("nested more than 64 levels"), std::string::npos)
      << problems[0].reason;
  EXPECT_EQ(problems[0].row, 2);
}

TEST_F(XlsxReaderTest, DoctypeIsRefused) {
  // Entity expansion ("billion laughs") needs a DTD; XLSX parts never have one.
  std::string lol =
      R"(<?xml version="1.0"?><!DOCTYPE sst [<!ENTITY a "aaaaaaaaaa">)"
      R"(<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><sst><si><t>&b;</t></si></sst>)";
  std::string p =
      write_zip("lol.xlsx", {{"xl/sharedStrings.xml", lol},
                             {"xl/worksheets/sheet1.xml",
                              sheet_xml(R"(<row r="1"><c r="A1" t="s"><v>0</v></c></row>)")}});
  std::vector<Problem> problems;
  auto r = open_xlsx(p, problems);
  EXPECT_TRUE(r->header().empty());
  ASSERT_EQ(problems.size(), 1u) << dump(problems);
  EXPECT_NE(problems[0].reason.find("DTD"), std::string::npos) << problems[0].reason;
  EXPECT_NE(problems[0].reason.find("xl/sharedStrings.xml"), std::string::npos);
}

TEST_F(XlsxReaderTest, HugeTagIsRefused) {
  TableOptions opt;
  opt.max_xml_markup_bytes = 100000;
  std::string p = write_zip("tag.xlsx", {{"xl/worksheets/sheet1.xml",
                                          sheet_xml(R"(<row r="1" x=")" + std::string(300000, 'a') +
                                                    R"("><c r="A1"><v>1</v></c></row>)")}});
  std::vector<Problem> problems;
  auto r = open_xlsx(p, problems, opt);
  EXPECT_TRUE(r->header().empty());
  EXPECT_NE(one_problem(problems).find("100000 bytes"), std::string::npos) << dump(problems);
}

TEST_F(XlsxReaderTest, RatioLimitRefusesAZipBomb) {
  TableOptions opt;
  opt.max_ratio = 50;
  opt.ratio_grace_bytes = 1 << 20;
  // 8 MB of one repeated cell deflate about 300 times.
  std::string xml = R"(<row r="1"><c r="A1" t="inlineStr"><is><t>Text</t></is></c></row>)";
  std::string cell = R"(<c s="1"><v>1</v></c>)";
  std::string many;
  while (many.size() < (8u << 20)) many += cell;
  xml += "<row r=\"2\">" + many + "</row>";
  std::string p = write_zip("bomb.xlsx", {{"xl/worksheets/sheet1.xml", sheet_xml(xml)}});
  ASSERT_LT(fs::file_size(p), (8u << 20) / 100);
  std::vector<Problem> problems;
  auto r = open_xlsx(p, problems, opt);
  Row row;
  EXPECT_FALSE(r->next(row));
  ASSERT_EQ(problems.size(), 1u) << dump(problems);
  std::string why = problems[0].reason;
  EXPECT_NE(why.find("xl/worksheets/sheet1.xml"), std::string::npos) << why;
  EXPECT_NE(why.find("more than 50 times"), std::string::npos) << why;
  EXPECT_EQ(problems[0].row, 0);
  // With the default limits the same workbook is read (8 MB is within the grace size).
  problems.clear();
  auto r2 = open_xlsx(p, problems);
  auto rs = rows(*r2);
  EXPECT_EQ(rs.size(), 1u);
}

TEST_F(XlsxReaderTest, PartSizeLimit) {
  TableOptions opt;
  opt.max_part_bytes = 1000;
  std::string p = write_zip(
      "part.xlsx",
      {{"xl/worksheets/sheet1.xml", sheet_xml(R"(<row r="1"><c r="A1" t="inlineStr"><is><t>)" +
                                              std::string(2000, 'x') + "</t></is></c></row>")}});
  std::vector<Problem> problems;
  auto r = open_xlsx(p, problems, opt);
  EXPECT_TRUE(r->header().empty());
  EXPECT_NE(one_problem(problems).find("larger than 1000 bytes"), std::string::npos)
      << dump(problems);
}

TEST_F(XlsxReaderTest, SharedStringLimits) {
  std::string sheet = sheet_xml(R"(<row r="1"><c r="A1" t="s"><v>0</v></c></row>)");
  std::string sst = "<sst><si><t>Text</t></si><si><t>abcdef</t></si><si><t>x</t></si></sst>";
  std::string p =
      write_zip("sst.xlsx", {{"xl/sharedStrings.xml", sst}, {"xl/worksheets/sheet1.xml", sheet}});
  for (int which = 0; which < 2; ++which) {
    TableOptions opt;
    if (which == 0)
      opt.max_shared_strings = 2;
    else
      opt.max_shared_string_bytes = 8;
    std::vector<Problem> problems;
    auto r = open_xlsx(p, problems, opt);
    EXPECT_TRUE(r->header().empty());
    std::string why = one_problem(problems);
    EXPECT_NE(why.find(which == 0 ? "more than 2 shared strings" : "more than 8 bytes"),
              std::string::npos)
        << why;
  }
}

TEST_F(XlsxReaderTest, SharedStringOverTheFieldLimitIsCutAndReportedWithItsSize) {
  std::string sst = "<sst><si><t>Text</t></si><si><t>" + std::string(5000, 'y') + "</t></si></sst>";
  std::string p =
      write_zip("sstlong.xlsx", {{"xl/sharedStrings.xml", sst},
                                 {"xl/worksheets/sheet1.xml",
                                  sheet_xml(R"(<row r="1"><c r="A1" t="s"><v>0</v></c></row>)"
                                            R"(<row r="2"><c r="A2" t="s"><v>1</v></c></row>)")}});
  TableOptions opt;
  opt.max_field_bytes = 100;
  std::vector<Problem> problems;
  auto r = open_xlsx(p, problems, opt);
  auto rs = rows(*r);
  ASSERT_EQ(rs.size(), 1u);
  EXPECT_TRUE(rs[0].bad);
  EXPECT_EQ(rs[0].cells[0], std::string(100, 'y'));
  ASSERT_EQ(problems.size(), 1u) << dump(problems);
  EXPECT_NE(problems[0].reason.find("5000 bytes"), std::string::npos) << problems[0].reason;
  EXPECT_EQ(problems[0].column, "Text");
}

TEST_F(XlsxReaderTest, RowBytesAndColumnLimits) {
  std::string p = write_zip(
      "wide.xlsx",
      {{"xl/worksheets/sheet1.xml",
        sheet_xml(R"(<row r="1"><c r="A1" t="inlineStr"><is><t>a</t></is></c>)"
                  R"(<c r="B1" t="inlineStr"><is><t>b</t></is></c></row>)"
                  R"(<row r="2"><c r="A2"><v>12345678</v></c><c r="B2"><v>12345678</v></c></row>)"
                  R"(<row r="3"><c r="A3"><v>1</v></c><c r="B3"><v>2</v></c><c r="C3"><v>3</v></c>)"
                  R"(</row><row r="4"><c r="A4"><v>ok</v></c></row>)")}});
  TableOptions opt;
  opt.max_field_bytes = 8;
  opt.max_row_bytes = 12;
  opt.max_columns = 2;
  std::vector<Problem> problems;
  auto r = open_xlsx(p, problems, opt);
  auto rs = rows(*r);
  ASSERT_EQ(rs.size(), 3u);
  EXPECT_TRUE(rs[0].bad);
  EXPECT_EQ(rs[0].cells, (std::vector<std::string>{"12345678", ""}));
  EXPECT_TRUE(rs[1].bad);
  EXPECT_EQ(rs[1].cells, (std::vector<std::string>{"1", "2"}));
  EXPECT_FALSE(rs[2].bad);
  ASSERT_EQ(problems.size(), 2u) << dump(problems);
  EXPECT_EQ(problems[0].row, 2);
  EXPECT_EQ(problems[0].column, "b");
  EXPECT_NE(problems[0].reason.find("12-byte limit"), std::string::npos) << problems[0].reason;
  EXPECT_EQ(problems[1].row, 3);
  EXPECT_NE(problems[1].reason.find("more than 2 columns"), std::string::npos)
      << problems[1].reason;
}

TEST_F(XlsxReaderTest, MoreRowsThanTheLimitRefusesTheWorkbook) {
  std::string rows;
  for (int i = 1; i <= 5; ++i)
    rows += "<row r=\"" + std::to_string(i) + "\"><c r=\"A" + std::to_string(i) + "\"><v>" +
            std::to_string(i) + "</v></c></row>";
  std::string p = write_zip("rows.xlsx", {{"xl/worksheets/sheet1.xml", sheet_xml(rows)}});
  TableOptions opt;
  opt.max_rows = 4;
  std::vector<Problem> problems;
  auto r = open_xlsx(p, problems, opt);
  Row row;
  EXPECT_FALSE(r->next(row));  // refused before any row is delivered
  ASSERT_EQ(problems.size(), 1u) << dump(problems);
  EXPECT_NE(problems[0].reason.find("more than 4 rows"), std::string::npos) << problems[0].reason;
  EXPECT_EQ(problems[0].row, 0);
}

}  // namespace
