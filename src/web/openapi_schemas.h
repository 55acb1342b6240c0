// The schemas of the OpenAPI document (routes.cpp writes the paths): one per JSON form the API
// answers, written after the code that produces it (core/*_json.cpp, the handlers).
#pragma once
#include <nlohmann/json.hpp>
#include <string>

namespace hrtrack::web {

// components.schemas: Recommendation (from core/record_fields()), Error, SearchResult, ...
nlohmann::ordered_json openapi_schemas();

// What a route answers when it succeeds: its status (200 or 201) and the name of its schema in
// components.schemas. `found` is false for a route the table does not describe (a test fails).
struct SuccessDoc {
  bool found = false;
  int status = 200;
  std::string schema;
  std::string description;
};
SuccessDoc openapi_success(const std::string& method, const std::string& pattern);

}  // namespace hrtrack::web
