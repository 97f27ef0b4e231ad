#pragma once
// The OpenAPI 3.1 description of the HTTP API served at GET /openapi.json. Its one home is
// server/http/openapi.json, compiled in as it is (server/CMakeLists.txt).
#include <string_view>

namespace scholarsearch::http {

extern const std::string_view openapi_json;

}  // namespace scholarsearch::http
