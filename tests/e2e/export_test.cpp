// GET /export and /doc/{id}?format= on the real server over an index built by the real indexer:
// exports stream in chunks, honour the query language, filters, sort and limits of /search, and
// an export indexed again by scholarsearch-index gives the same records back.
#include "../support/http_client.hpp"
#include "../support/temp_dir.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <regex>
#include <set>
#include <sstream>

using namespace scholarsearch::testing;

namespace {

std::string build_index(const TempDir& dir, const std::vector<std::string>& inputs, const std::string& name = "db") {
    const std::string db = dir / name;
    std::vector<std::string> argv{INDEX_BIN, "-q", "--db", db};
    argv.insert(argv.end(), inputs.begin(), inputs.end());
    REQUIRE(run_program(argv) == 0);
    return db;
}

std::vector<json::object> json_lines(const std::string& body) {
    std::vector<json::object> out;
    std::istringstream in(body);
    for (std::string line; std::getline(in, line);) out.push_back(json::parse(line).as_object());
    return out;
}

std::vector<std::string> ids_of(const std::vector<json::object>& records) {
    std::vector<std::string> ids;
    for (const auto& record : records) ids.emplace_back(record.at("id").as_string());
    return ids;
}

std::vector<std::string> author_names(const json::object& record) {
    std::vector<std::string> names;
    if (auto found = record.find("authors"); found != record.end())
        for (const auto& author : found->value().as_array()) names.emplace_back(author.at("name").as_string());
    return names;
}

json::value field(const json::object& record, const char* name) {
    auto found = record.find(name);
    return found == record.end() ? json::value(nullptr) : found->value();
}

/// The BibTeX key our writer gives an id (docs/FORMATS.md, Export).
std::string key_of(const std::string& id) {
    std::string key = id;
    for (char& c : key)
        if (static_cast<unsigned char>(c) <= ' ' || std::string_view(",{}()\"=%\\#~'&$^").find(c) != std::string_view::npos) c = '_';
    return key;
}

/// The chunks of a raw chunked HTTP/1.1 response (headers skipped), in order.
std::vector<std::string> chunks_of(const std::string& raw) {
    std::vector<std::string> chunks;
    std::size_t pos = raw.find("\r\n\r\n");
    REQUIRE(pos != std::string::npos);
    pos += 4;
    while (pos < raw.size()) {
        const std::size_t line_end = raw.find("\r\n", pos);
        REQUIRE(line_end != std::string::npos);
        const std::size_t size = std::stoul(raw.substr(pos, line_end - pos), nullptr, 16);
        if (size == 0) break;
        chunks.push_back(raw.substr(line_end + 2, size));
        pos = line_end + 2 + size + 2;
    }
    return chunks;
}

}  // namespace

TEST_CASE("export: RIS and BibTeX exports indexed again give the same ids, titles, authors, years and DOIs") {
    TempDir dir;
    const std::string db = build_index(dir, {EXPORT_DATA_DIR "/tricky.jsonl", SAMPLE_DIR});
    Server server(SERVER_BIN, db);
    Reply all = get(server.port(), "/export?q=&format=jsonl&limit=100000");
    REQUIRE(all.status == 200);
    const std::vector<json::object> originals = json_lines(all.body);
    REQUIRE(originals.size() == 52);   // 54 records, one per DOI as in /search

    for (const std::string format : {"ris", "bibtex"}) {
        INFO(format);
        Reply exported = get(server.port(), "/export?q=&format=" + format + "&limit=100000");
        REQUIRE(exported.status == 200);
        const std::string extension = format == "ris" ? "ris" : "bib";
        CHECK(std::string(exported.headers[http::field::content_type]).rfind(
                  format == "ris" ? "application/x-research-info-systems" : "application/x-bibtex", 0) == 0);
        CHECK(std::string(exported.headers[http::field::content_disposition]) ==
              "attachment; filename=\"scholarsearch-export." + extension + "\"");
        CHECK(std::string(exported.headers[http::field::transfer_encoding]) == "chunked");
        CHECK(std::string(exported.headers["X-Export-Records"]) == "52");

        const std::string file = dir.write("export." + extension, exported.body);
        const std::string again_db = build_index(dir, {file}, "db-" + format);
        Server again(SERVER_BIN, again_db);
        CHECK(json_lines(get(again.port(), "/export?q=&format=jsonl&limit=100000").body).size() == originals.size());
        std::size_t renamed = 0;
        for (const auto& original : originals) {
            const std::string id(original.at("id").as_string());
            const std::string id_back = format == "ris" ? id : key_of(id);
            renamed += id_back != id;
            INFO(id);
            Reply back = get(again.port(), "/doc/" + url_encoded(id_back));
            REQUIRE(back.status == 200);
            const json::object record = back.json().as_object();
            CHECK(record.at("title") == original.at("title"));
            std::vector<std::string> authors = author_names(original);
            if (format == "bibtex")
                std::replace(authors.begin(), authors.end(), std::string("Smith, John, Jr."), std::string("Smith, Jr., John"));
            CHECK(author_names(record) == authors);
            CHECK(field(record, "year") == field(original, "year"));
            CHECK(field(record, "doi") == field(original, "doi"));
            CHECK(field(record, "venue") == field(original, "venue"));
            CHECK(field(record, "keywords") == field(original, "keywords"));
            CHECK(field(record, "pages") == field(original, "pages"));
        }
        // RIS carries every id in ID; BibTeX keys clean seed-format ids (file#n) and "key with spaces#3".
        CHECK((renamed > 0) == (format == "bibtex"));
    }
}

TEST_CASE("export: the query language, filters and sort of /search, a default and a maximum limit") {
    TempDir dir;
    std::string records;
    for (int i = 0; i < 1300; ++i) {
        const std::string n = std::to_string(i);
        records += "{\"id\": \"gen-" + n + "\", \"title\": \"Zeolite membranes number " + n +
                   (i % 3 == 0 ? " for water" : "") + "\", \"year\": " + std::to_string(2000 + i % 20) +
                   ", \"authors\": [\"Author " + std::to_string(i % 7) + "\"], \"keywords\": [\"k" +
                   std::to_string(i % 5) + "\"], \"venue\": \"Venue " + std::to_string(i % 4) + "\"}\n";
    }
    const std::string db = build_index(dir, {dir.write("generated.jsonl", records)});
    Server server(SERVER_BIN, db);
    const auto port = server.port();

    // Default limit 1000, in several chunks (batches of 250 records), in the order of /search.
    Reply first = get(port, "/export?q=zeolite&format=jsonl");
    REQUIRE(first.status == 200);
    const auto ids = ids_of(json_lines(first.body));
    CHECK(ids.size() == 1000);
    CHECK(std::set<std::string>(ids.begin(), ids.end()).size() == ids.size());
    const std::string raw = raw_exchange(port, "GET /export?q=zeolite&format=jsonl&limit=1300 HTTP/1.1\r\nHost: x\r\n"
                                               "Connection: close\r\n\r\n");
    const auto chunks = chunks_of(raw);
    CHECK(chunks.size() >= 5);
    std::string joined;
    for (const auto& chunk : chunks) joined += chunk;
    CHECK(json_lines(joined).size() == 1300);

    const std::string filters = "q=membranes+-water&year=2005..2010&author=Author+3&author=Author+4&keyword=k2&sort=year-asc";
    std::vector<std::string> searched;
    for (int page = 1; page <= 10; ++page) {
        Reply reply = get(port, "/search?" + filters + "&size=100&page=" + std::to_string(page));
        REQUIRE(reply.status == 200);
        const auto hits = hit_ids(reply.json());
        searched.insert(searched.end(), hits.begin(), hits.end());
        if (hits.size() < 100) break;
    }
    REQUIRE(!searched.empty());
    Reply filtered = get(port, "/export?" + filters + "&format=jsonl&limit=100000");
    REQUIRE(filtered.status == 200);
    const auto exported = json_lines(filtered.body);
    CHECK(ids_of(exported) == searched);
    for (const auto& record : exported) {
        const auto year = record.at("year").to_number<int>();
        CHECK((year >= 2005 && year <= 2010));
        CHECK(record.at("title").as_string().find("water") == json::string::npos);
    }
    Reply limited = get(port, "/export?q=zeolite&format=csljson&limit=3");
    REQUIRE(limited.status == 200);
    CHECK(std::string(limited.headers[http::field::content_type]) == "application/vnd.citationstyles.csl+json");
    CHECK(json::parse(limited.body).as_array().size() == 3);
    Reply none = get(port, "/export?q=nosuchwordanywhere&format=csljson");
    REQUIRE(none.status == 200);
    CHECK(json::parse(none.body).as_array().empty());

    const std::vector<std::pair<std::string, std::string>> refusals{
        {"/export?q=zeolite&format=ris&limit=100001", "100000"},
        {"/export?q=zeolite&format=ris&limit=0", "limit"},
        {"/export?q=zeolite&format=ris&limit=lots", "limit"},
        {"/export?q=zeolite&format=xml", "ris, bibtex, csljson, jsonl"},
        {"/export?q=zeolite", "ris, bibtex, csljson, jsonl"},
        {"/export?q=year:abc&format=ris", "year"},
        {"/export?q=zeolite&format=ris&sort=sideways", "sort"},
    };
    for (const auto& [target, detail] : refusals) {
        INFO(target);
        Reply reply = get(port, target);
        CHECK(reply.status == 400);
        CHECK(std::string(reply.headers[http::field::content_type]) == "application/json; charset=utf-8");
        CHECK(std::string(reply.json().at("detail").as_string()).find(detail) != std::string::npos);
    }

    // HEAD gets the headers alone; the connection then serves the next request, and so it does
    // after a whole export.
    Client client(port);
    Reply head = client.request("/export?q=zeolite&format=ris", http::verb::head);
    CHECK(head.status == 200);
    CHECK(head.body.empty());
    CHECK(std::string(head.headers[http::field::content_type]).rfind("application/x-research-info-systems", 0) == 0);
    Reply after_head = client.request("/export?q=zeolite&format=ris&limit=2");
    CHECK(after_head.status == 200);
    CHECK(std::count(after_head.body.begin(), after_head.body.end(), '\n') > 4);
    CHECK(after_head.body.find("ER  - \r\n") != std::string::npos);
    CHECK(client.request("/health").status == 200);
    const std::string metrics = get(port, "/metrics").body;
    CHECK(metrics.find("scholarsearch_requests_total{endpoint=\"export\",status=\"200\"}") != std::string::npos);
}

TEST_CASE("export: /doc/{id}?format= gives one record in that format, JSON stays the default") {
    TempDir dir;
    Server server(SERVER_BIN, build_index(dir, {EXPORT_DATA_DIR "/tricky.jsonl"}));
    const auto port = server.port();
    Reply stored = get(port, "/doc/zh-1");
    REQUIRE(stored.status == 200);
    CHECK(std::string(stored.headers[http::field::content_type]) == "application/json; charset=utf-8");
    CHECK(stored.json().at("id") == "zh-1");
    CHECK(get(port, "/doc/zh-1?format=json").body == stored.body);

    Reply bib = get(port, "/doc/tricky-1?format=bibtex");
    REQUIRE(bib.status == 200);
    CHECK(std::string(bib.headers[http::field::content_type]) == "application/x-bibtex; charset=utf-8");
    CHECK(std::string(bib.headers[http::field::content_disposition]) == "attachment; filename=\"tricky-1.bib\"");
    CHECK(bib.body.rfind("@article{tricky-1,\n", 0) == 0);
    CHECK(bib.body.find("100\\% of \\$5 \\& \\#1 costs\\_\\{n\\}") != std::string::npos);

    Reply ris = get(port, "/doc/zh-1?format=ris");
    REQUIRE(ris.status == 200);
    CHECK(ris.body.rfind("TY  - JOUR\r\nID  - zh-1\r\n", 0) == 0);
    CHECK(ris.body.find("AB  - 本文研究开放政府数据平台。 第二段：公民参与的机制与效果。\r\n") != std::string::npos);

    Reply csl = get(port, "/doc/zh-1?format=csljson");
    REQUIRE(csl.status == 200);
    const json::array items = json::parse(csl.body).as_array();
    REQUIRE(items.size() == 1);
    CHECK(items[0].at("author").as_array()[0] == json::object{{"family", "张"}, {"given", "伟"}});
    CHECK(items[0].at("issued") == json::parse(R"({"date-parts": [[2021]]})"));

    Reply line = get(port, "/doc/zh-1?format=jsonl");
    REQUIRE(line.status == 200);
    CHECK(std::string(line.headers[http::field::content_type]) == "application/x-ndjson");
    CHECK(line.body == stored.body + "\n");

    Reply odd = get(port, "/doc/key%20with%20spaces%233?format=ris");
    REQUIRE(odd.status == 200);
    CHECK(std::string(odd.headers[http::field::content_disposition]) == "attachment; filename=\"key_with_spaces_3.ris\"");

    Reply bad = get(port, "/doc/zh-1?format=xml");
    CHECK(bad.status == 400);
    CHECK(std::string(bad.json().at("detail").as_string()).find("json, ris, bibtex, csljson, jsonl") != std::string::npos);
    CHECK(get(port, "/doc/no-such-id?format=ris").status == 404);
}
