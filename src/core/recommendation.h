// The recommendation: one paragraph of a mechanism's output addressed to a State (a
// recommendation, a concern/observation or a voluntary pledge). Plain data, no I/O.
// See docs/data-model.md for the meaning of every field.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hrtrack {

enum class Kind { Recommendation, Observation, Pledge };
enum class Level { International, Regional, National };
// The State's position on a UPR recommendation. `None` where the mechanism asks none.
enum class Response { None, Supported, Noted, SupportedInPart, Pending };

std::string_view to_string(Kind);
std::string_view to_string(Level);
std::string_view to_string(Response);
std::optional<Kind> kind_from_string(std::string_view);
std::optional<Level> level_from_string(std::string_view);
// Accepts canonical names and the synonyms found in sources ("Accepted" = Supported,
// "Rejected" = Noted, "Under consideration" = Pending, ...), case-insensitively.
std::optional<Response> response_from_string(std::string_view);

struct TextVariant {
  std::string lang;  // BCP 47 / ISO 639-1 code
  std::string text;
  bool operator==(const TextVariant&) const = default;
};

struct Provenance {
  std::int64_t import_id = 0;
  std::string format;
  std::string file;  // file name (no directory)
  long row = 0;      // row or record index in that file
  bool operator==(const Provenance&) const = default;
};

// Fields that come from a source. Local data (assignments, statuses, notes; later issues) lives
// in other tables and is never touched by an import.
struct Recommendation {
  std::int64_t id = 0;  // store row id; 0 until stored
  std::string uid;      // stable public id derived from the identity key ("R-" + 16 hex)

  Kind kind = Kind::Recommendation;
  Level level = Level::International;
  std::string mechanism;  // code from the mechanism catalogue: "UPR", "CRC", "SP", ...
  std::string body;       // body as named by the source ("SR on freedom of expression")

  std::string state_iso3;               // ISO 3166-1 alpha-3 ("" when unknown)
  std::string state_name;               // as given by the source
  std::vector<std::string> regions;     // of the State concerned (UHRI regions, UN regional group)
  std::vector<std::string> state_orgs;  // organisations the State belongs to (UPR Info "To-Org")

  std::string symbol;     // document symbol, "A/HRC/28/15", "CRC/C/PER/CO/6-7"
  std::string paragraph;  // "115.1", "4", "23 (b)" (normalise_paragraph's form)
  // The paragraph a sub-paragraph belongs to: "23" for "23 (b)", "23 (b)" for "23 (b) (ii)";
  // "" for a whole paragraph. Derived from `paragraph` (derive_paragraph).
  std::string parent_paragraph;
  std::string pub_date;  // ISO 8601 date "2025-02-12" ("" when unknown)
  int year = 0;          // publication year (or session year for UPR when no date)
  int upr_cycle = 0;
  int upr_session = 0;

  std::vector<std::string> recommending_states;
  std::vector<std::string> recommending_regions;
  std::vector<std::string> recommending_orgs;  // UPR Info "From-Org"
  Response response = Response::None;
  std::string response_raw;  // the position as the source worded it ("Accepted")
  std::string response_doc;  // where the position is recorded ("A/HRC/28/15/Add.1 - Para. 3")

  std::string text;  // as issued, in `lang`
  std::string lang = "en";
  // The same text in other languages (from exports in other languages: core/identity.h
  // merge_incoming), one per language, none in `lang`, sorted by language.
  std::vector<TextVariant> variants;

  std::vector<std::string> themes;   // labels as in the vocabulary (current or legacy)
  std::vector<std::string> persons;  // affected persons
  std::vector<std::string> sdgs;     // SDG labels as the source gives them ("16.2 - Protect ...")
  std::vector<std::string> sdg_targets;  // derived from `sdgs`: "16.2"
  std::vector<std::string> sdg_goals;    // derived from `sdgs`: "16" (a target's goal, or a goal)
  std::vector<std::string> issues;       // UPR Info issues
  std::string source_cluster;            // OHCHR thematic-list cluster heading
  int action_category = 0;               // UPR Info 1..5, 0 = unknown

  std::string annotation_id;  // UHRI AnnotationId
  std::string document_id;    // UHRI DocumentId
  std::string uhri_pub_date;  // PublicationDateOnUhri

  Provenance provenance;
  bool deleted = false;

  bool operator==(const Recommendation&) const = default;
};

// Recomputes sdg_targets and sdg_goals from sdgs ("16.2 - ..." -> target 16.2, goal 16;
// "16 - PEACE ..." -> goal 16). Order follows `sdgs`, without repeats.
void derive_sdg_codes(Recommendation& r);

// A paragraph number in one form: "24(a)", "24 (a)", "24 a)" and "24 a)" -> "24 (a)";
// "24 (a)(ii)" -> "24 (a) (ii)"; anything else trimmed and otherwise as it is ("115.1", "4").
std::string normalise_paragraph(std::string_view paragraph);
// The paragraph a normalised paragraph is a sub-paragraph of ("24" for "24 (a)"), "" if none.
std::string parent_paragraph_of(std::string_view normalised);
// Normalises `paragraph` and sets `parent_paragraph` from it.
void derive_paragraph(Recommendation& r);

}  // namespace hrtrack
