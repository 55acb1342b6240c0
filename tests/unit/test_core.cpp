#include <gtest/gtest.h>

#include "core/countries.h"
#include "core/crosswalk.h"
#include "core/error.h"
#include "core/filters.h"
#include "core/identity.h"
#include "core/record_json.h"
#include "core/text.h"

using namespace hrtrack;

TEST(Text, SplitTrimDropsEmptyParts) {
  EXPECT_EQ(split_trim(" a | b || c ", "|"), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(split_trim("Children: definition; general principles | x", " | "),
            (std::vector<std::string>{"Children: definition; general principles", "x"}));
}

TEST(Text, FindsInvalidUtf8) {
  EXPECT_FALSE(find_invalid_utf8("Côte d’Ivoire 人权 🕊"));
  EXPECT_EQ(find_invalid_utf8("acc\x8Fs"), 3u);
  EXPECT_EQ(find_invalid_utf8("\xC0\xAF"), 0u);        // overlong
  EXPECT_EQ(find_invalid_utf8("ab\xED\xA0\x80"), 2u);  // surrogate
  EXPECT_EQ(find_invalid_utf8("x\xE2\x82"), 1u);       // cut short
}

TEST(Text, NormaliseForIdentity) {
  EXPECT_EQ(normalise_for_identity("  Ratify  the\tOP-CAT. "), "ratify the op-cat.");
  EXPECT_EQ(normalise_for_identity("ÉLIMINER la Discrimination"),
            normalise_for_identity("éliminer  la discrimination"));
  EXPECT_NE(normalise_for_identity("eliminer"), normalise_for_identity("éliminer"));
}

TEST(Text, SdgCodes) {
  EXPECT_EQ(sdg_code_of("16.2 - Protect children from abuse"), "16.2");
  EXPECT_EQ(sdg_code_of("16 - PEACE, JUSTICE AND STRONG INSTITUTIONS"), "16");
  EXPECT_EQ(sdg_code_of("5.a"), "5.a");
  EXPECT_EQ(sdg_code_of("Goal sixteen"), "");
  Recommendation r;
  r.sdgs = {"16.2 - x", "5.2 - y", "16 - z", "16.9 - w"};
  derive_sdg_codes(r);
  EXPECT_EQ(r.sdg_targets, (std::vector<std::string>{"16.2", "5.2", "16.9"}));
  EXPECT_EQ(r.sdg_goals, (std::vector<std::string>{"16", "5"}));
}

TEST(Text, ShortenEscapesControlAndInvalidBytes) {
  EXPECT_EQ(shorten_for_display("a\nb"), "a\\x0Ab");
  EXPECT_EQ(shorten_for_display("acc\x8Fs"), "acc\\x8Fs");
  EXPECT_EQ(shorten_for_display("ééé", 4), "éé…");
}

TEST(Response, SynonymsMapToCanonical) {
  EXPECT_EQ(response_from_string("Accepted"), Response::Supported);
  EXPECT_EQ(response_from_string(" supported "), Response::Supported);
  EXPECT_EQ(response_from_string("Rejected"), Response::Noted);
  EXPECT_EQ(response_from_string("Under consideration"), Response::Pending);
  EXPECT_EQ(response_from_string(""), Response::None);
  EXPECT_FALSE(response_from_string("Maybe"));
}

TEST(Countries, UnAndSourceNames) {
  EXPECT_EQ(find_country("Slovenia")->iso3, "SVN");
  EXPECT_EQ(find_country("Iran (Islamic Republic of)")->iso3, "IRN");
  EXPECT_EQ(find_country("Cote d'Ivoire")->iso3, "CIV");
  EXPECT_EQ(find_country("Côte d’Ivoire")->iso3, "CIV");
  EXPECT_EQ(find_country("Democratic Republic of Congo")->iso3, "COD");
  EXPECT_EQ(find_country("Republic of Congo")->iso3, "COG");
  EXPECT_EQ(find_country("Macedonia FYR")->iso3, "MKD");
  EXPECT_EQ(find_country("per")->iso3, "PER");
  EXPECT_FALSE(find_country("Atlantis"));
  EXPECT_EQ(country_display_name("SVN", "fr"), "Slovénie");
  EXPECT_EQ(country_display_name("SVN", "es"), "Eslovenia");
}

// The UN's names (data/vocab/un_states.csv), not ICU's, wherever a State is named.
TEST(Countries, UnOfficialNames) {
  EXPECT_EQ(find_country("PRK")->name, "Democratic People's Republic of Korea");
  EXPECT_EQ(find_country("COD")->name, "Democratic Republic of the Congo");
  EXPECT_EQ(find_country("MMR")->name, "Myanmar");
  EXPECT_EQ(find_country("PSE")->name, "State of Palestine");
  EXPECT_EQ(find_country("BOL")->name, "Bolivia (Plurinational State of)");
  EXPECT_EQ(find_country("BOL")->formal_name, "the Plurinational State of Bolivia");
  EXPECT_TRUE(find_country("VAT")->un_state);
  EXPECT_FALSE(find_country("HKG")->un_state);  // not a State: ICU's name
  EXPECT_EQ(find_country("HKG")->name, "Hong Kong SAR China");
  EXPECT_EQ(country_display_name("PRK", "en"), "Democratic People's Republic of Korea");
  EXPECT_EQ(country_display_name("PRK", "fr"), "République populaire démocratique de Corée");
  EXPECT_EQ(country_display_name("COD", "fr-CH"), "République démocratique du Congo");
  EXPECT_EQ(country_display_name("MMR", "fr"), "Myanmar");
  EXPECT_EQ(country_display_name("PSE", "es"), "Estado de Palestina");
  EXPECT_EQ(country_display_name("PSE", "ru"), "Государство Палестина");
  EXPECT_EQ(country_display_name("PRK", "zh"), "朝鲜民主主义人民共和国");
  EXPECT_EQ(country_display_name("MMR", "ar"), "ميانمار");
  // A language the file leaves empty falls back to ICU (COG in Chinese differs between UNTERM
  // and M49); so does a language that is not a UN one.
  EXPECT_FALSE(country_display_name("COG", "zh").empty());
  EXPECT_EQ(country_display_name("SVN", "de"), "Slowenien");
  // Every name of the file finds its State, in every language.
  EXPECT_EQ(find_country("the Plurinational State of Bolivia")->iso3, "BOL");
  EXPECT_EQ(find_country("République démocratique du Congo")->iso3, "COD");
  EXPECT_EQ(find_country("Государство Палестина")->iso3, "PSE");
  EXPECT_EQ(find_country("North Korea")->iso3, "PRK");  // ICU's spelling still finds it
  int un = 0;
  for (const auto& c : all_countries()) un += c.un_state ? 1 : 0;
  EXPECT_EQ(un, 195);
}

TEST(Filters, OneVocabularyWithAliasesAndRanges) {
  EXPECT_EQ(find_filter_field("upr_cycle")->name, "cycle");
  EXPECT_EQ(find_filter_field("upr_session")->name, "session");
  EXPECT_EQ(find_filter_field("person")->name, "persons");
  EXPECT_EQ(find_filter_field("sdg_goal")->name, "sdg_goal");
  EXPECT_EQ(find_filter_field("colour"), nullptr);
  auto msg = unknown_filter_message("colour");
  EXPECT_NE(msg.find("unknown filter 'colour'; filters are state, region,"), std::string::npos);
  EXPECT_NE(msg.find("upr_cycle = cycle"), std::string::npos);
  EXPECT_EQ(parse_filter_range("year", "2010").lo, 2010);
  EXPECT_EQ(parse_filter_range("year", "2010..2012").hi, 2012);
  EXPECT_EQ(parse_filter_range("year", "..2012").lo, 0);
  EXPECT_GT(parse_filter_range("year", "2010..").hi, 100000);
  EXPECT_THROW(parse_filter_range("year", "soon"), InvalidArgument);
  EXPECT_THROW(parse_filter_range("year", "2012..2010"), InvalidArgument);
  EXPECT_THROW(parse_filter_range("year", ".."), InvalidArgument);
}

TEST(Identity, KeysInOrderOfStrength) {
  Recommendation r;
  r.state_iso3 = "SVN";
  r.text = "Ratify  the OP.";
  r.upr_session = 20;
  r.recommending_states = {"Croatia"};
  auto k = identity_keys(r);
  EXPECT_EQ(k.ext, "");
  EXPECT_EQ(k.doc, "");
  EXPECT_EQ(k.txt, "txt:SVN|20|Croatia|ratify the op.");
  EXPECT_EQ(k.primary(), k.txt);
  r.symbol = "A/HRC/28/15";
  r.paragraph = "115.1";
  EXPECT_EQ(identity_keys(r).primary(), "doc:SVN|A/HRC/28/15|115.1");
  r.annotation_id = "074B26B1-5D19";
  EXPECT_EQ(identity_keys(r).primary(), "ext:074b26b1-5d19");
  EXPECT_EQ(uid_for_key("x"), uid_for_key("x"));
  EXPECT_NE(uid_for_key("x"), uid_for_key("y"));
  EXPECT_EQ(uid_for_key("x").size(), 18u);
}

TEST(Identity, SubParagraphsAreTheirOwnParagraphs) {
  // "24(a)", "24 (a)", "24 a)" are one paragraph; "24 (a)" and "24 (b)" two (issue #10).
  EXPECT_EQ(normalise_paragraph("24(a)"), "24 (a)");
  EXPECT_EQ(normalise_paragraph(" 24 (a) "), "24 (a)");
  EXPECT_EQ(normalise_paragraph("24 a)"), "24 (a)");
  EXPECT_EQ(normalise_paragraph("24a)"), "24 (a)");
  EXPECT_EQ(normalise_paragraph("24 (a)(ii)"), "24 (a) (ii)");
  EXPECT_EQ(normalise_paragraph("115.1"), "115.1");
  EXPECT_EQ(normalise_paragraph("4"), "4");
  EXPECT_EQ(normalise_paragraph("24 (A)"), "24 (A)");  // not a sub-paragraph: as it is
  EXPECT_EQ(normalise_paragraph("(b)"), "(b)");
  EXPECT_EQ(parent_paragraph_of("24 (a)"), "24");
  EXPECT_EQ(parent_paragraph_of("24 (a) (ii)"), "24 (a)");
  EXPECT_EQ(parent_paragraph_of("115.1"), "");
  EXPECT_EQ(parent_paragraph_of("(b)"), "");
  Recommendation a;
  a.state_iso3 = "PER";
  a.symbol = "CRC/C/PER/CO/6-7";
  a.text = "Ensure";
  a.paragraph = "24(a)";
  Recommendation b = a;
  b.paragraph = "24 a)";
  Recommendation c = a;
  c.paragraph = "24 (b)";
  EXPECT_EQ(identity_keys(a).doc, "doc:PER|CRC/C/PER/CO/6-7|24 (a)");
  EXPECT_EQ(identity_keys(a).doc, identity_keys(b).doc);
  EXPECT_NE(identity_keys(a).doc, identity_keys(c).doc);
  derive_paragraph(a);
  EXPECT_EQ(a.paragraph, "24 (a)");
  EXPECT_EQ(a.parent_paragraph, "24");
  EXPECT_EQ(from_json(to_json(a)), a);
}

TEST(Identity, AnotherLanguageIsALanguageVersion) {
  Recommendation en;
  en.id = 7;
  en.uid = "R-1";
  en.annotation_id = "074b26b1";
  en.state_iso3 = "SVN";
  en.symbol = "A/HRC/28/15";
  en.paragraph = "115.1";
  en.text = "Take further steps";
  en.themes = {"A12 Acceptance of international norms"};
  en.provenance.format = "uhri-json";
  Recommendation fr = en;
  fr.lang = "fr";
  fr.text = "Prendre de nouvelles mesures";
  fr.themes = {"A12 Acceptation des normes internationales"};
  fr.source_cluster = "";
  EXPECT_EQ(identity_keys(en).ext, identity_keys(fr).ext);
  EXPECT_EQ(identity_keys(en).doc, identity_keys(fr).doc);

  // French after English: the English text and labels stay, the French text is added.
  auto m1 = merge_incoming(en, fr);
  ASSERT_EQ(m1.decision, MergeDecision::Changed);
  EXPECT_EQ(m1.merged.lang, "en");
  EXPECT_EQ(m1.merged.text, en.text);
  EXPECT_EQ(m1.merged.themes, en.themes);
  EXPECT_EQ(m1.merged.variants, (std::vector<TextVariant>{{"fr", fr.text}}));
  // English after French: the same record.
  Recommendation fr_stored = fr;
  auto m2 = merge_incoming(fr_stored, en);
  ASSERT_EQ(m2.decision, MergeDecision::Changed);
  EXPECT_EQ(content_hash(m2.merged), content_hash(m1.merged));
  // Either file again: nothing to do.
  EXPECT_EQ(merge_incoming(m1.merged, fr).decision, MergeDecision::Unchanged);
  EXPECT_EQ(merge_incoming(m1.merged, en).decision, MergeDecision::Unchanged);
  // A newer French text replaces the French version only.
  Recommendation fr2 = fr;
  fr2.text = "Prendre d'autres mesures";
  auto m3 = merge_incoming(m1.merged, fr2);
  ASSERT_EQ(m3.decision, MergeDecision::Changed);
  EXPECT_EQ(m3.merged.text, en.text);
  EXPECT_EQ(m3.merged.variants, (std::vector<TextVariant>{{"fr", fr2.text}}));
  // A third language comes in order of language code.
  Recommendation es = en;
  es.lang = "es";
  es.text = "Adoptar nuevas medidas";
  auto m4 = merge_incoming(m1.merged, es);
  EXPECT_EQ(m4.merged.variants, (std::vector<TextVariant>{{"es", es.text}, {"fr", fr.text}}));
}

TEST(RecordJson, RoundTripsEveryField) {
  Recommendation r;
  r.uid = "R-1";
  r.kind = Kind::Observation;
  r.mechanism = "CRC";
  r.state_iso3 = "PER";
  r.text = "Le Comité « recommande » 人权";
  r.variants = {{"es", "El Comité"}};
  r.themes = {"Right to health"};
  r.sdgs = {"16.2 - x"};
  r.response = Response::SupportedInPart;
  r.upr_session = 3;
  r.provenance = {0, "uhri-json", "f.json", 7};
  derive_sdg_codes(r);
  Recommendation back = from_json(to_json(r));
  EXPECT_EQ(back, r);
  EXPECT_EQ(content_hash(back), content_hash(r));
  back.themes.push_back("Other");
  EXPECT_NE(content_hash(back), content_hash(r));
  // Provenance is not content: moving a record between files does not "change" it.
  back = r;
  back.provenance.row = 99;
  EXPECT_EQ(content_hash(back), content_hash(r));
}

TEST(RecordJson, HandWrittenJsonEqualsNlohmann) {
  Recommendation r;
  r.text = "quote \" backslash \\ newline \n tab \t bell \x07 人权 🕊";
  r.themes = {"a\"b", "c"};
  r.variants = {{"fr", "é\r"}};
  r.year = 2012;
  r.response = Response::Noted;
  EXPECT_EQ(imported_json(r), imported_fields(r).dump());
  EXPECT_EQ(json_string_array({"x", "\u0001"}), nlohmann::json({"x", "\u0001"}).dump());
}

TEST(RecordJson, RejectsWrongTypes) {
  ojson j = to_json(Recommendation{});
  j["year"] = "twenty";
  EXPECT_THROW(from_json(j), InvalidArgument);
  j = to_json(Recommendation{});
  j["kind"] = "wish";
  EXPECT_THROW(from_json(j), InvalidArgument);
}

TEST(Text, BooleansAreParsedStrictly) {
  for (const char* t : {"true", "1", "on", "yes", "TRUE", "On", "Yes"})
    EXPECT_EQ(parse_bool(t), std::optional<bool>(true)) << t;
  for (const char* f : {"false", "0", "off", "no", "FALSE", "Off", "NO"})
    EXPECT_EQ(parse_bool(f), std::optional<bool>(false)) << f;
  for (const char* bad : {"", " true", "2", "ja", "tru", "y", "n", "-1", "truee"})
    EXPECT_EQ(parse_bool(bad), std::nullopt) << bad;
}

TEST(Text, SafeLocalPathsOnly) {
  for (const char* ok : {"/", "/search?q=x", "/account", "/search?q=%C3%A9", "/a/b#c"})
    EXPECT_EQ(safe_local_path(ok), std::optional<std::string>(ok)) << ok;
  // What browsers read as another site once they strip TAB/CR/LF and turn '\' into '/'.
  for (const char* bad :
       {"", "//evil.example", "/\\evil.example", "\\\\evil.example", "/\t/evil.example", "/\n/evil",
        "/\r/evil", " /evil", "\t//evil", "https://evil.example", "javascript:alert(1)",
        "evil.example", "/ok\\..\\", "/a b"})
    EXPECT_EQ(safe_local_path(bad), std::nullopt) << bad;
  EXPECT_EQ(safe_local_path("/\u202e/evil"), std::nullopt);
}

TEST(Text, FindsDisplayControls) {
  EXPECT_EQ(find_display_control("invoice.pdf"), std::nullopt);
  EXPECT_EQ(find_display_control("résumé 人权.pdf"), std::nullopt);
  EXPECT_EQ(find_display_control("invoice\u202efdp.exe"), std::optional<std::size_t>(7));
  EXPECT_EQ(find_display_control("a\u200bb"), std::optional<std::size_t>(1));
  EXPECT_EQ(find_display_control("\u2066x\u2069"), std::optional<std::size_t>(0));
}

TEST(Text, RequireTextCountsCharacters) {
  std::string arabic;
  for (int i = 0; i < 10; ++i) arabic += "\u0639";  // 10 characters, 20 bytes
  EXPECT_NO_THROW(require_text("f", arabic, 10, true));
  try {
    require_text("f", arabic + "\u0639", 10, true);
    FAIL() << "11 characters accepted";
  } catch (const InvalidArgument& e) {
    EXPECT_NE(std::string(e.what()).find("at most 10 characters (got 11)"), std::string::npos);
  }
}

TEST(Crosswalk, KeyIgnoresCaseSpacingPunctuationAndAnd) {
  EXPECT_EQ(concept_key("Budget &resources (for human rights implementation)"),
            concept_key("budget & Resources (for human rights implementation)"));
  EXPECT_EQ(concept_key("Equality and non-discrimination"),
            concept_key("Equality & non-discrimination"));
  EXPECT_NE(concept_key("Children: juvenile justice"), concept_key("Children"));
  EXPECT_EQ(concept_key("Équité"), concept_key("équité"));                  // Unicode case folding
  EXPECT_NE(concept_key("Right to land"), concept_key("Right to handle"));  // "and" only as a word
}

TEST(Crosswalk, OneConceptPerLabel) {
  Crosswalk cw;
  cw.add_term("theme", "Equality & non-discrimination");
  cw.add_legacy_code("B31", "Equality & non-discrimination");
  cw.add_variant("theme", "Prohibition of slavery, trafficking",
                 "Human trafficking & contemporary forms of slavery");
  cw.add_term("person", "Women");  // a current term of an old vocabulary, then remapped
  cw.add_variant("person", "Women", "Women & girls");
  cw.add_issue_theme("Minorities", "Equality & non-discrimination");
  auto one = [&](const char* f, const char* raw) { return cw.concepts_of(f, raw).at(0); };
  EXPECT_EQ(one("theme", "B31 Equality & non-discrimination"), "Equality & non-discrimination");
  EXPECT_EQ(one("theme", "b31  anything else"), "Equality & non-discrimination");  // by code
  EXPECT_EQ(one("theme", "D27 Prohibition of slavery, trafficking"),
            "Human trafficking & contemporary forms of slavery");  // unknown code: by label
  EXPECT_EQ(one("theme", "equality and non-discrimination"), "Equality & non-discrimination");
  EXPECT_EQ(one("person", "women"), "Women & girls");
  EXPECT_EQ(one("theme", "  Something new "), "Something new");
  EXPECT_EQ(cw.concepts_of("issue", "minorities"),
            std::vector<std::string>{"Equality & non-discrimination"});
  EXPECT_TRUE(cw.concepts_of("issue", "Unmapped issue").empty());

  // Unknown labels sharing a key: one concept, the capitalised spelling.
  auto a = cw.answers("person", {"media", "Media", "older persons"});
  ASSERT_EQ(a.size(), 3u);
  EXPECT_EQ(a[0].term, "Media");
  EXPECT_EQ(a[1].term, "Media");
  EXPECT_EQ(a[2].term, "older persons");
  auto d = cw.answers("issue", {"Minorities"});
  ASSERT_EQ(d.size(), 1u);
  EXPECT_TRUE(d[0].derived);
}
