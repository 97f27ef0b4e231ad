#pragma once
// The search page served at GET /: one self-contained HTML document (no external resources).
#include <string_view>

namespace scholarsearch::http {

extern const std::string_view search_page_html;

}  // namespace scholarsearch::http
