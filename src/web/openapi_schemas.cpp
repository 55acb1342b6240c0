#include "web/openapi_schemas.h"

#include <map>
#include <string_view>
#include <utility>

#include "core/record_json.h"

namespace hrtrack::web {

using ojson = nlohmann::ordered_json;

namespace {

// Written after the JSON each handler produces: a field added there belongs here too (the
// OpenAPI test validates real answers against these, and Recommendation admits no other field).
const char* kSchemas = R"json({
  "Error": {
    "type": "object",
    "description": "Every 4xx and 5xx answer of the API",
    "required": ["error", "parameter"],
    "properties": {
      "error": {"type": "string", "description": "What went wrong, for people"},
      "parameter": {"type": "string", "nullable": true,
                    "description": "The query parameter or form field at fault (csrf for a missing CSRF token), or null"}
    }
  },
  "FacetValue": {
    "type": "object",
    "required": ["value", "label", "count"],
    "properties": {
      "value": {"type": "string", "description": "What a filter takes"},
      "label": {"type": "string", "description": "In the asked language"},
      "count": {"type": "integer", "description": "Exact, over the whole result set"}
    }
  },
  "Facets": {
    "type": "object",
    "description": "Facet name -> its values with counts (in the facet list's order)",
    "additionalProperties": {"type": "array", "items": {"$ref": "#/components/schemas/FacetValue"}}
  },
  "Snippet": {
    "type": "object",
    "description": "The text around the words searched for; pieces with hit true are matches",
    "required": ["pieces", "cut_before", "cut_after"],
    "properties": {
      "pieces": {"type": "array", "items": {
        "type": "object", "required": ["text", "hit"],
        "properties": {"text": {"type": "string"}, "hit": {"type": "boolean"}}}},
      "cut_before": {"type": "boolean"},
      "cut_after": {"type": "boolean"}
    }
  },
  "SearchResult": {
    "type": "object",
    "required": ["total", "page", "per_page", "items", "facets"],
    "properties": {
      "total": {"type": "integer", "description": "Exact number of matching recommendations"},
      "page": {"type": "integer"},
      "per_page": {"type": "integer"},
      "items": {"type": "array", "items": {"$ref": "#/components/schemas/Recommendation"}},
      "facets": {"$ref": "#/components/schemas/Facets"}
    }
  },
  "VocabularyList": {
    "type": "object",
    "required": ["vocabularies"],
    "properties": {
      "vocabularies": {"type": "array", "items": {
        "type": "object",
        "required": ["name", "version", "title", "source", "url"],
        "properties": {
          "name": {"type": "string", "example": "sdg"},
          "version": {"type": "string"},
          "title": {"type": "string"},
          "source": {"type": "string"},
          "url": {"type": "string", "example": "/api/vocabularies/sdg"}
        }}}
    }
  },
  "VocabularyTerm": {
    "type": "object",
    "description": "A term; label_<lang> (e.g. label_fr) is its label in the asked language when that is not en",
    "required": ["code", "parent", "label", "labels", "group"],
    "properties": {
      "code": {"type": "string"},
      "parent": {"type": "string", "description": "The group's code, empty at the top level"},
      "label": {"type": "string", "description": "English"},
      "labels": {"type": "object", "additionalProperties": {"type": "string"},
                 "description": "Language -> label"},
      "group": {"type": "boolean"},
      "added_by_import": {"type": "integer", "description": "Present when an import found the term (that import's id)"}
    },
    "additionalProperties": {"type": "string"}
  },
  "Mechanism": {
    "type": "object",
    "required": ["code", "parent", "level", "type", "name", "symbol_prefixes", "aliases"],
    "properties": {
      "code": {"type": "string"},
      "parent": {"type": "string"},
      "level": {"type": "string"},
      "type": {"type": "string"},
      "name": {"type": "string"},
      "symbol_prefixes": {"type": "array", "items": {"type": "string"}},
      "aliases": {"type": "array", "items": {"type": "string"}}
    }
  },
  "Vocabulary": {
    "type": "object",
    "description": "A vocabulary's terms; `mechanisms` has name and terms (Mechanism) only",
    "required": ["name", "terms"],
    "properties": {
      "name": {"type": "string"},
      "version": {"type": "string"},
      "title": {"type": "string"},
      "source": {"type": "string"},
      "terms": {"type": "array", "items": {"anyOf": [
        {"$ref": "#/components/schemas/VocabularyTerm"},
        {"$ref": "#/components/schemas/Mechanism"}]}}
    }
  },
  "FacetCounts": {
    "type": "object",
    "required": ["name", "title", "values"],
    "properties": {
      "name": {"type": "string"},
      "title": {"type": "string"},
      "values": {"type": "array", "items": {"$ref": "#/components/schemas/FacetValue"}}
    }
  },
  "Health": {
    "type": "object",
    "required": ["status", "records", "data_version", "index_bytes"],
    "properties": {
      "status": {"type": "string", "enum": ["ok"]},
      "records": {"type": "integer"},
      "data_version": {"type": "integer"},
      "index_bytes": {"type": "integer"}
    }
  },
  "OpenApiDocument": {
    "type": "object",
    "description": "This document (OpenAPI 3.0)",
    "required": ["openapi", "info", "paths", "components"],
    "properties": {
      "openapi": {"type": "string"},
      "info": {"type": "object"},
      "paths": {"type": "object"},
      "components": {"type": "object"}
    }
  },
  "Me": {
    "type": "object",
    "required": ["user_id", "username", "display_name", "institution_id", "roles", "via_token", "read_only"],
    "properties": {
      "user_id": {"type": "integer"},
      "username": {"type": "string"},
      "display_name": {"type": "string"},
      "institution_id": {"type": "integer", "description": "0 when the user has none"},
      "roles": {"type": "array", "items": {"type": "string"}},
      "via_token": {"type": "boolean"},
      "read_only": {"type": "boolean", "description": "A read-scope API token"}
    }
  },
  "Person": {
    "type": "object",
    "nullable": true,
    "description": "A user, or null when none is set",
    "required": ["id", "username", "display_name", "email"],
    "properties": {
      "id": {"type": "integer"},
      "username": {"type": "string"},
      "display_name": {"type": "string"},
      "email": {"type": "string"}
    }
  },
  "Institution": {
    "type": "object",
    "description": "main_focal, alternate_focal and validator are given for one institution (not in lists)",
    "required": ["id", "code", "name", "type", "parent_id", "main_focal_id", "alternate_focal_id",
                 "validator_id", "created_at", "updated_at"],
    "properties": {
      "id": {"type": "integer"},
      "code": {"type": "string"},
      "name": {"type": "string"},
      "type": {"type": "string"},
      "parent_id": {"type": "integer", "nullable": true},
      "main_focal_id": {"type": "integer", "nullable": true},
      "alternate_focal_id": {"type": "integer", "nullable": true},
      "validator_id": {"type": "integer", "nullable": true},
      "created_at": {"type": "string"},
      "updated_at": {"type": "string"},
      "main_focal": {"$ref": "#/components/schemas/Person"},
      "alternate_focal": {"$ref": "#/components/schemas/Person"},
      "validator": {"$ref": "#/components/schemas/Person"}
    }
  },
  "InstitutionList": {
    "type": "object",
    "required": ["institutions"],
    "properties": {"institutions": {"type": "array", "items": {"$ref": "#/components/schemas/Institution"}}}
  },
  "User": {
    "type": "object",
    "description": "reset_link only in the answer that creates the user",
    "required": ["id", "username", "display_name", "email", "institution_id", "roles", "disabled_at",
                 "last_sign_in_at", "created_at", "updated_at", "disabled"],
    "properties": {
      "id": {"type": "integer"},
      "username": {"type": "string"},
      "display_name": {"type": "string"},
      "email": {"type": "string"},
      "institution_id": {"type": "integer", "nullable": true},
      "roles": {"type": "array", "items": {"type": "string"}},
      "disabled_at": {"type": "string", "nullable": true},
      "last_sign_in_at": {"type": "string", "nullable": true},
      "created_at": {"type": "string"},
      "updated_at": {"type": "string"},
      "disabled": {"type": "boolean"},
      "reset_link": {"type": "string", "description": "A one-time link to set the password"}
    }
  },
  "UserList": {
    "type": "object",
    "required": ["users"],
    "properties": {"users": {"type": "array", "items": {"$ref": "#/components/schemas/User"}}}
  },
  "ResetLink": {
    "type": "object",
    "required": ["reset_link"],
    "properties": {"reset_link": {"type": "string"}}
  },
  "ChangeEntry": {
    "type": "object",
    "required": ["id", "at", "actor", "entity", "entity_id", "field", "before", "after"],
    "properties": {
      "id": {"type": "integer"},
      "at": {"type": "string"},
      "actor": {"type": "string"},
      "entity": {"type": "string"},
      "entity_id": {"type": "string"},
      "field": {"type": "string"},
      "before": {"type": "string", "nullable": true},
      "after": {"type": "string", "nullable": true}
    }
  },
  "ChangeLog": {
    "type": "object",
    "required": ["entries"],
    "properties": {"entries": {"type": "array", "items": {"$ref": "#/components/schemas/ChangeEntry"}}}
  },
  "RecordHistory": {
    "type": "object",
    "required": ["uid", "entries"],
    "properties": {
      "uid": {"type": "string"},
      "entries": {"type": "array", "items": {"$ref": "#/components/schemas/ChangeEntry"}}
    }
  },
  "Cluster": {
    "type": "object",
    "required": ["id", "name", "description", "created_by", "size", "created_at", "updated_at"],
    "properties": {
      "id": {"type": "integer"},
      "name": {"type": "string"},
      "description": {"type": "string"},
      "created_by": {"type": "string"},
      "size": {"type": "integer"},
      "created_at": {"type": "string"},
      "updated_at": {"type": "string"}
    }
  },
  "Added": {
    "type": "object",
    "required": ["added"],
    "properties": {"added": {"type": "integer", "description": "Recommendations added"}}
  },
  "Assignment": {
    "type": "object",
    "required": ["id", "uid", "cluster_id", "institution_id", "role", "created_at"],
    "properties": {
      "id": {"type": "integer"},
      "uid": {"type": "string", "nullable": true},
      "cluster_id": {"type": "integer", "nullable": true},
      "institution_id": {"type": "integer"},
      "role": {"type": "string"},
      "created_at": {"type": "string"}
    }
  },
  "PlanAction": {
    "type": "object",
    "required": ["id", "plan_id", "description", "institution_id", "start_date", "end_date", "cost",
                 "currency", "funding_source", "budget_line"],
    "properties": {
      "id": {"type": "integer"},
      "plan_id": {"type": "integer"},
      "description": {"type": "string"},
      "institution_id": {"type": "integer"},
      "start_date": {"type": "string"},
      "end_date": {"type": "string"},
      "cost": {"type": "string"},
      "currency": {"type": "string"},
      "funding_source": {"type": "string"},
      "budget_line": {"type": "string"}
    }
  },
  "Indicator": {
    "type": "object",
    "required": ["id", "plan_id", "name", "baseline", "target", "unit", "means_of_verification",
                 "frequency_months", "disaggregation"],
    "properties": {
      "id": {"type": "integer"},
      "plan_id": {"type": "integer"},
      "name": {"type": "string"},
      "baseline": {"type": "string"},
      "target": {"type": "string"},
      "unit": {"type": "string"},
      "means_of_verification": {"type": "string"},
      "frequency_months": {"type": "integer"},
      "disaggregation": {"type": "string"}
    }
  },
  "PlanLink": {
    "type": "object",
    "required": ["id", "plan_id", "policy_item_id", "sdg_target"],
    "properties": {
      "id": {"type": "integer"},
      "plan_id": {"type": "integer"},
      "policy_item_id": {"type": "integer", "nullable": true},
      "sdg_target": {"type": "string", "nullable": true}
    }
  },
  "Plan": {
    "type": "object",
    "required": ["id", "uid", "cluster_id", "institution_id", "title", "expected_results", "state",
                 "author_id", "created_at", "updated_at", "actions", "indicators", "links"],
    "properties": {
      "id": {"type": "integer"},
      "uid": {"type": "string", "nullable": true},
      "cluster_id": {"type": "integer", "nullable": true},
      "institution_id": {"type": "integer"},
      "title": {"type": "string"},
      "expected_results": {"type": "string"},
      "state": {"type": "string"},
      "author_id": {"type": "integer", "nullable": true},
      "created_at": {"type": "string"},
      "updated_at": {"type": "string"},
      "actions": {"type": "array", "items": {"$ref": "#/components/schemas/PlanAction"}},
      "indicators": {"type": "array", "items": {"$ref": "#/components/schemas/Indicator"}},
      "links": {"type": "array", "items": {"$ref": "#/components/schemas/PlanLink"}}
    }
  },
  "Evidence": {
    "type": "object",
    "required": ["id", "update_id", "kind", "url", "filename", "content_type", "size", "sha256", "created_at"],
    "properties": {
      "id": {"type": "integer"},
      "update_id": {"type": "integer"},
      "kind": {"type": "string"},
      "url": {"type": "string"},
      "filename": {"type": "string"},
      "content_type": {"type": "string"},
      "size": {"type": "integer"},
      "sha256": {"type": "string"},
      "created_at": {"type": "string"}
    }
  },
  "EvidenceList": {
    "type": "object",
    "required": ["evidence"],
    "properties": {"evidence": {"type": "array", "items": {"$ref": "#/components/schemas/Evidence"}}}
  },
  "ProgressUpdate": {
    "type": "object",
    "required": ["id", "uid", "plan_id", "institution_id", "author_id", "date", "measure_type",
                 "description", "state", "values", "created_at", "updated_at", "evidence"],
    "properties": {
      "id": {"type": "integer"},
      "uid": {"type": "string"},
      "plan_id": {"type": "integer", "nullable": true},
      "institution_id": {"type": "integer"},
      "author_id": {"type": "integer", "nullable": true},
      "date": {"type": "string"},
      "measure_type": {"type": "string"},
      "description": {"type": "string"},
      "state": {"type": "string"},
      "values": {"type": "object", "additionalProperties": {"type": "string"},
                 "description": "Indicator id -> value"},
      "created_at": {"type": "string"},
      "updated_at": {"type": "string"},
      "evidence": {"type": "array", "items": {"$ref": "#/components/schemas/Evidence"}}
    }
  },
  "Assessment": {
    "type": "object",
    "required": ["id", "uid", "party", "institution_id", "author_id", "status", "assessed_on",
                 "justification", "protected", "state", "created_at", "updated_at"],
    "properties": {
      "id": {"type": "integer"},
      "uid": {"type": "string"},
      "party": {"type": "string"},
      "institution_id": {"type": "integer"},
      "author_id": {"type": "integer", "nullable": true},
      "status": {"type": "string"},
      "assessed_on": {"type": "string"},
      "justification": {"type": "string"},
      "protected": {"type": "boolean"},
      "state": {"type": "string"},
      "created_at": {"type": "string"},
      "updated_at": {"type": "string"}
    }
  },
  "OfficialStatus": {
    "type": "object",
    "required": ["uid", "status", "justification", "set_by", "set_at"],
    "properties": {
      "uid": {"type": "string"},
      "status": {"type": "string"},
      "justification": {"type": "string"},
      "set_by": {"type": "string"},
      "set_at": {"type": "string"}
    }
  },
  "WorkflowResult": {
    "type": "object",
    "required": ["entity", "id", "state"],
    "properties": {
      "entity": {"type": "string", "enum": ["plan", "progress_update", "assessment"]},
      "id": {"type": "integer"},
      "state": {"type": "string", "description": "The state after the transition"}
    }
  },
  "Followup": {
    "type": "object",
    "description": "What the signed-in caller may see of a recommendation's follow-up",
    "required": ["uid", "plans", "updates", "assessments"],
    "properties": {
      "uid": {"type": "string"},
      "plans": {"type": "array", "items": {"$ref": "#/components/schemas/Plan"}},
      "updates": {"type": "array", "items": {"$ref": "#/components/schemas/ProgressUpdate"}},
      "assessments": {"type": "array", "items": {
        "type": "object",
        "description": "author and person are what the caller may know of who wrote it",
        "required": ["id", "party", "status", "assessed_on", "justification", "state", "author", "person"],
        "properties": {
          "id": {"type": "integer"},
          "party": {"type": "string"},
          "status": {"type": "string"},
          "assessed_on": {"type": "string"},
          "justification": {"type": "string"},
          "state": {"type": "string"},
          "author": {"type": "string"},
          "person": {"type": "string"}
        }}}
    }
  },
  "PublicFollowup": {
    "type": "object",
    "description": "The published follow-up, as the record page shows it (labels in the asked language; protected civil-society authors masked)",
    "required": ["responsible", "clusters", "plans", "updates", "parties", "has_responsible",
                 "has_clusters", "has_plans", "has_updates", "has_assessments", "has_any"],
    "properties": {
      "responsible": {"type": "array", "items": {
        "type": "object", "required": ["name", "role"],
        "properties": {"name": {"type": "string"}, "role": {"type": "string"}}}},
      "clusters": {"type": "array", "items": {
        "type": "object", "required": ["name", "href"],
        "properties": {"name": {"type": "string"}, "href": {"type": "string"}}}},
      "official": {
        "type": "object", "description": "Absent when no official status is set",
        "required": ["status", "scale", "justification", "date"],
        "properties": {"status": {"type": "string"}, "scale": {"type": "string"},
                       "justification": {"type": "string"}, "date": {"type": "string"}}},
      "plans": {"type": "array", "items": {
        "type": "object", "required": ["id", "href", "title", "institution", "actions", "indicators", "links"],
        "properties": {
          "id": {"type": "string"}, "href": {"type": "string"}, "title": {"type": "string"},
          "institution": {"type": "string"}, "state_label": {"type": "string"},
          "actions": {"type": "array", "items": {"type": "object"}},
          "indicators": {"type": "array", "items": {"type": "object"}},
          "links": {"type": "array", "items": {"type": "object", "properties": {"text": {"type": "string"}}}}
        }}},
      "updates": {"type": "array", "items": {
        "type": "object", "required": ["id", "href", "measure", "institution", "values", "evidence"],
        "properties": {
          "id": {"type": "string"}, "href": {"type": "string"}, "measure": {"type": "string"},
          "institution": {"type": "string"}, "date": {"type": "string"},
          "description": {"type": "string"},
          "values": {"type": "array", "items": {"type": "object", "properties": {
            "name": {"type": "string"}, "value": {"type": "string"}}}},
          "evidence": {"type": "array", "items": {"type": "object"}}
        }}},
      "parties": {"type": "array", "items": {
        "type": "object", "required": ["party", "items", "empty"],
        "properties": {
          "party": {"type": "string"},
          "empty": {"type": "boolean"},
          "items": {"type": "array", "items": {
            "type": "object", "required": ["id", "status", "scale", "date", "justification", "author"],
            "properties": {
              "id": {"type": "string"}, "status": {"type": "string"}, "scale": {"type": "string"},
              "date": {"type": "string"}, "justification": {"type": "string"},
              "author": {"type": "string"}, "person": {"type": "string"},
              "protected": {"type": "boolean"}, "state": {"type": "string"},
              "state_label": {"type": "string"}
            }}}
        }}},
      "has_responsible": {"type": "boolean"},
      "has_clusters": {"type": "boolean"},
      "has_plans": {"type": "boolean"},
      "has_updates": {"type": "boolean"},
      "has_assessments": {"type": "boolean"},
      "has_any": {"type": "boolean"}
    }
  },
  "PolicyItem": {
    "type": "object",
    "required": ["id", "policy_plan_id", "code", "title"],
    "properties": {
      "id": {"type": "integer"},
      "policy_plan_id": {"type": "integer"},
      "code": {"type": "string"},
      "title": {"type": "string"}
    }
  },
  "PolicyPlan": {
    "type": "object",
    "description": "items in the list of national plans only",
    "required": ["id", "kind", "name", "period"],
    "properties": {
      "id": {"type": "integer"},
      "kind": {"type": "string", "enum": ["nhrap", "ndp"]},
      "name": {"type": "string"},
      "period": {"type": "string"},
      "items": {"type": "array", "items": {"$ref": "#/components/schemas/PolicyItem"}}
    }
  },
  "PolicyPlanList": {
    "type": "object",
    "required": ["policy_plans"],
    "properties": {"policy_plans": {"type": "array", "items": {"$ref": "#/components/schemas/PolicyPlan"}}}
  },
  "ReviewQueue": {
    "type": "object",
    "required": ["items"],
    "properties": {"items": {"type": "array", "items": {
      "type": "object",
      "required": ["entity", "id", "uid", "institution_id", "state", "title"],
      "properties": {
        "entity": {"type": "string", "enum": ["plan", "progress_update", "assessment"]},
        "id": {"type": "integer"},
        "uid": {"type": "string"},
        "institution_id": {"type": "integer"},
        "state": {"type": "string"},
        "title": {"type": "string"}
      }}}}
  },
  "ReminderList": {
    "type": "object",
    "required": ["reminders"],
    "properties": {"reminders": {"type": "array", "items": {
      "type": "object",
      "required": ["id", "kind", "message", "link", "read", "emailed"],
      "properties": {
        "id": {"type": "integer"},
        "kind": {"type": "string"},
        "message": {"type": "string"},
        "link": {"type": "string"},
        "read": {"type": "boolean"},
        "emailed": {"type": "boolean"}
      }}}}
  }
})json";

// The one JSON form of a record (core/record_json.h), field by field, plus what the API adds.
ojson recommendation_schema() {
  ojson props = ojson::object();
  ojson required = ojson::array();
  for (const auto& f : record_fields()) {
    ojson p;
    switch (f.type) {
      case FieldType::Text:
        p = {{"type", "string"}};
        break;
      case FieldType::Int:
        p = {{"type", "integer"}};
        // 0 means unknown for these; the export writes null (exporter.h json_record).
        if (std::string_view(f.name) != "source_row") {
          p["nullable"] = true;
          p["description"] = "0 or, in exports, null when unknown";
        }
        break;
      case FieldType::List:
        p = {{"type", "array"}, {"items", {{"type", "string"}}}};
        break;
      case FieldType::Variants: {
        ojson text = {{"type", "string"}};
        ojson variant = {{"type", "object"},
                         {"required", {"lang", "text"}},
                         {"properties", {{"lang", text}, {"text", text}}}};
        p = {{"type", "array"}, {"description", "The text in other languages"}, {"items", variant}};
        break;
      }
    }
    props[f.name] = p;
    required.push_back(f.name);
  }
  props["url"] = {{"type", "string"},
                  {"description", "Its page (API answers; not in exports)"},
                  {"example", "/recommendations/R-0123456789abcdef"}};
  props["state_label"] = {{"type", "string"},
                          {"description", "The state under review, in the asked language (API)"}};
  props["text_lang"] = {
      {"type", "string"},
      {"description", "Search items: the language `text` is in (the asked one when available)"}};
  props["snippet"] = {{"$ref", "#/components/schemas/Snippet"}};
  return {{"type", "object"},
          {"description",
           "Every field of a record (docs/data-model.md). Search items add url, state_label, "
           "text_lang and, when q is given, snippet; one record adds url and state_label."},
          {"required", required},
          {"properties", props},
          {"additionalProperties", false}};
}

}  // namespace

ojson openapi_schemas() {
  ojson s = ojson::parse(kSchemas);
  s["Recommendation"] = recommendation_schema();
  return s;
}

SuccessDoc openapi_success(const std::string& method, const std::string& pattern) {
  static const std::map<std::string, std::pair<int, std::string>> docs = {
      {"GET /api/recommendations", {200, "SearchResult"}},
      {"GET /api/recommendations/{uid}", {200, "Recommendation"}},
      {"GET /api/vocabularies", {200, "VocabularyList"}},
      {"GET /api/vocabularies/{name}", {200, "Vocabulary"}},
      {"GET /api/facets/{name}", {200, "FacetCounts"}},
      {"GET /api/me", {200, "Me"}},
      {"GET /api/institutions", {200, "InstitutionList"}},
      {"POST /api/institutions", {201, "Institution"}},
      {"GET /api/institutions/{id}", {200, "Institution"}},
      {"POST /api/institutions/{id}", {200, "Institution"}},
      {"GET /api/institutions/{id}/users", {200, "UserList"}},
      {"POST /api/users", {201, "User"}},
      {"POST /api/users/{id}/roles", {200, "User"}},
      {"POST /api/users/{id}/disable", {200, "User"}},
      {"POST /api/users/{id}/enable", {200, "User"}},
      {"POST /api/users/{id}/reset", {200, "ResetLink"}},
      {"GET /api/log", {200, "ChangeLog"}},
      {"GET /api/recommendations/{uid}/history", {200, "RecordHistory"}},
      {"GET /api/recommendations/{uid}/followup", {200, "PublicFollowup"}},
      {"GET /api/followup/{uid}", {200, "Followup"}},
      {"POST /api/clusters", {201, "Cluster"}},
      {"POST /api/clusters/{id}/members", {200, "Added"}},
      {"POST /api/assignments", {201, "Assignment"}},
      {"POST /api/plans", {201, "Plan"}},
      {"GET /api/plans/{id}", {200, "Plan"}},
      {"POST /api/plans/{id}/actions", {201, "PlanAction"}},
      {"POST /api/plans/{id}/indicators", {201, "Indicator"}},
      {"POST /api/plans/{id}/links", {201, "PlanLink"}},
      {"POST /api/updates", {201, "ProgressUpdate"}},
      {"POST /api/updates/{id}/evidence", {201, "EvidenceList"}},
      {"POST /api/assessments", {201, "Assessment"}},
      {"POST /api/assessments/{id}", {200, "Assessment"}},
      {"POST /api/workflow/{entity}/{id}", {200, "WorkflowResult"}},
      {"POST /api/recommendations/{uid}/status", {200, "OfficialStatus"}},
      {"GET /api/policy-plans", {200, "PolicyPlanList"}},
      {"POST /api/policy-plans", {201, "PolicyPlan"}},
      {"POST /api/policy-plans/{id}/items", {201, "PolicyItem"}},
      {"POST /api/policy-items/{id}", {200, "PolicyItem"}},
      {"GET /api/review", {200, "ReviewQueue"}},
      {"GET /api/reminders", {200, "ReminderList"}},
      {"GET /api/openapi.json", {200, "OpenApiDocument"}},
      {"GET /api/health", {200, "Health"}},
  };
  SuccessDoc d;
  auto it = docs.find(method + " " + pattern);
  if (it == docs.end()) return d;
  d.found = true;
  d.status = it->second.first;
  d.schema = it->second.second;
  d.description = d.status == 201 ? "Created" : "OK";
  return d;
}

}  // namespace hrtrack::web
