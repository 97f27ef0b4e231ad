#include "http/page.hpp"

namespace scholarsearch::http {

const std::string_view search_page_html = R"HTML(<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>scholarsearch</title></head>
<body><form id="search"><input id="q" name="q" autofocus><button>Search</button></form>
<div id="results"></div>
<script>
document.getElementById('search').addEventListener('submit', async (event) => {
  event.preventDefault();
  const q = document.getElementById('q').value;
  const response = await fetch('/search?q=' + encodeURIComponent(q));
  const result = await response.json();
  document.getElementById('results').innerHTML = (result.hits || []).map(h =>
    '<div class="hit"><h3>' + h.title_html + '</h3><p>' + h.snippet + '</p></div>').join('');
});
</script></body></html>
)HTML";

}  // namespace scholarsearch::http
