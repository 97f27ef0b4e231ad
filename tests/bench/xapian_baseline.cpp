// The raw-Xapian baseline that our benchmarks and evaluation compare against: what a careful user
// gets from Xapian alone. TermGenerator + English stemmer over title + abstract + keywords, the
// title indexed with wdf x2 (the one field weight any Xapian tutorial adds), BM25 with Xapian's
// defaults (k1 1, b 0.5), QueryParser with STEM_SOME, the default OR operator and the stop list of
// Xapian's own `quest` example. It is the strong baseline: without the stop list or the title
// weight, beating it proves little.
//
//   xapian-baseline index --db DIR corpus.jsonl          (prints records/s)
//   xapian-baseline search --db DIR --queries queries.tsv [--run out.trec] [--hits N] [--repeat R] [--clients C]
//   (C search threads, each with its own Database, share the queries: QPS over all of them)
#include <boost/json.hpp>
#include <xapian.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <exception>
#include <iostream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

// The stop list of xapian-core's examples/quest.cc, word for word.
const std::vector<std::string> quest_stop_words{
    "a",  "about", "an",   "and", "are", "as",  "at",   "be",    "by",    "en",   "for",
    "from", "how", "i",    "in",  "is",  "it",  "of",   "on",    "or",    "that", "the",
    "this", "to",  "was",  "what", "when", "where", "which", "who", "why", "will", "with"};

std::string text_of(const boost::json::value* value) {
    if (!value) return {};
    if (value->is_string()) return std::string(value->get_string());
    if (value->is_array()) {
        std::string joined;
        for (const auto& item : value->get_array())
            if (item.is_string()) joined.append(item.get_string()).append("\n");
        return joined;
    }
    return {};
}

int index_main(const std::string& db_path, const std::vector<std::string>& files, int batch, bool cjk_ngram) {
    Xapian::WritableDatabase db(db_path, Xapian::DB_CREATE_OR_OVERWRITE);
    Xapian::TermGenerator generator;
    generator.set_stemmer(Xapian::Stem("english"));
    // Off by default, Xapian indexes a run of Han characters as one term; the n-gram mode is how
    // a raw-Xapian user makes Chinese searchable, so it is the like-for-like reference on csl.
    if (cjk_ngram) generator.set_flags(Xapian::TermGenerator::FLAG_CJK_NGRAM);
    const auto started = Clock::now();
    std::size_t records = 0, bytes = 0;
    for (const auto& file : files) {
        std::ifstream in(file);
        std::string line;
        while (std::getline(in, line)) {
            bytes += line.size() + 1;
            boost::system::error_code error;
            auto value = boost::json::parse(line, error);
            if (error || !value.is_object()) continue;
            const auto& object = value.get_object();
            Xapian::Document document;
            generator.set_document(document);
            generator.index_text(text_of(object.if_contains("title")), 2);
            generator.increase_termpos();
            generator.index_text(text_of(object.if_contains("abstract")));
            generator.increase_termpos();
            generator.index_text(text_of(object.if_contains("keywords")));
            std::string id = text_of(object.if_contains("id"));
            document.set_data(id);
            std::string id_term = "Q" + id;
            document.add_boolean_term(id_term);
            db.replace_document(id_term, document);
            if (++records % batch == 0) db.commit();
        }
    }
    db.commit();
    const double seconds = std::chrono::duration<double>(Clock::now() - started).count();
    std::printf("records=%zu seconds=%.3f records_per_s=%.1f mb_per_s=%.2f\n", records, seconds,
                records / seconds, bytes / seconds / 1e6);
    return 0;
}

// One client's share of the queries: every query whose position is `client` modulo `clients`, as
// one search thread with its own Database, as a raw-Xapian service would run one per connection.
struct ClientRun {
    std::vector<double> latencies_ms;
    std::vector<std::pair<std::size_t, std::string>> run_lines;  // query position, its TREC lines
};

ClientRun search_client(const std::string& db_path, const std::vector<std::pair<std::string, std::string>>& queries,
                        unsigned client, unsigned clients, int hits, int repeat, bool cjk_ngram, bool keep_run) {
    Xapian::Database db(db_path);
    Xapian::Enquire enquire(db);
    Xapian::QueryParser parser;
    parser.set_database(db);
    parser.set_stemmer(Xapian::Stem("english"));
    parser.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
    Xapian::SimpleStopper stopper(quest_stop_words.begin(), quest_stop_words.end());
    parser.set_stopper(&stopper);
    const unsigned cjk_flag = cjk_ngram ? Xapian::QueryParser::FLAG_CJK_NGRAM : 0;
    ClientRun out;
    for (int r = 0; r < repeat; ++r) {
        for (std::size_t q = client; q < queries.size(); q += clients) {
            const auto& [qid, text] = queries[q];
            const auto t0 = Clock::now();
            Xapian::Query query;
            try {
                query = parser.parse_query(text, Xapian::QueryParser::FLAG_DEFAULT | cjk_flag);
            } catch (const Xapian::QueryParserError&) {
                query = parser.parse_query(text, cjk_flag);
            }
            enquire.set_query(query);
            Xapian::MSet mset = enquire.get_mset(0, hits);
            out.latencies_ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
            if (r == 0 && keep_run) {
                std::ostringstream lines;
                int rank = 1;
                for (auto it = mset.begin(); it != mset.end(); ++it, ++rank)
                    lines << qid << " Q0 " << it.get_document().get_data() << ' ' << rank << ' ' << it.get_weight()
                          << " xapian-bm25\n";
                out.run_lines.emplace_back(q, lines.str());
            }
        }
    }
    return out;
}

int search_main(const std::string& db_path, const std::string& queries_path, const std::string& run_path,
                int hits, int repeat, unsigned clients, bool cjk_ngram) {
    std::vector<std::pair<std::string, std::string>> queries;
    std::ifstream in(queries_path);
    for (std::string line; std::getline(in, line);) {
        auto tab = line.find('\t');
        if (tab != std::string::npos) queries.emplace_back(line.substr(0, tab), line.substr(tab + 1));
    }
    clients = std::max(1u, clients);
    std::vector<ClientRun> runs(clients);
    std::vector<std::exception_ptr> failures(clients);
    const auto started = Clock::now();
    std::vector<std::thread> threads;
    for (unsigned c = 0; c < clients; ++c)
        threads.emplace_back([&, c] {
            try {
                runs[c] = search_client(db_path, queries, c, clients, hits, repeat, cjk_ngram, !run_path.empty());
            } catch (...) {
                failures[c] = std::current_exception();
            }
        });
    for (auto& thread : threads) thread.join();
    const double seconds = std::chrono::duration<double>(Clock::now() - started).count();
    for (const auto& failure : failures)
        if (failure) std::rethrow_exception(failure);
    std::vector<double> latencies_ms;
    std::vector<std::string> run_lines(queries.size());
    for (auto& run : runs) {
        latencies_ms.insert(latencies_ms.end(), run.latencies_ms.begin(), run.latencies_ms.end());
        for (auto& [q, lines] : run.run_lines) run_lines[q] = std::move(lines);
    }
    if (!run_path.empty()) {
        std::ofstream run(run_path);
        for (const auto& lines : run_lines) run << lines;
    }
    std::sort(latencies_ms.begin(), latencies_ms.end());
    auto pct = [&](double p) {
        return latencies_ms.empty() ? 0.0 : latencies_ms[std::min(latencies_ms.size() - 1, std::size_t(p * latencies_ms.size()))];
    };
    std::printf("queries=%zu clients=%u p50_ms=%.3f p99_ms=%.3f qps=%.1f\n", latencies_ms.size(), clients, pct(0.5),
                pct(0.99), latencies_ms.size() / seconds);
    return 0;
}

}  // namespace

int main(int argc, char** argv) try {
    if (argc < 2) {
        std::cerr << "usage: xapian-baseline index --db DIR [--cjk-ngram] FILE... | search --db DIR [--cjk-ngram] --queries TSV [--run OUT] [--hits N] [--repeat R] [--clients C]\n";
        return 2;
    }
    std::string mode = argv[1], db, queries, run;
    std::vector<std::string> files;
    int hits = 10, repeat = 1, batch = 10000, clients = 1;
    bool cjk_ngram = false;
    for (int i = 2; i < argc; ++i) {
        std::string arg = argv[i];
        auto next = [&] { return i + 1 < argc ? std::string(argv[++i]) : std::string(); };
        if (arg == "--db") db = next();
        else if (arg == "--queries") queries = next();
        else if (arg == "--run") run = next();
        else if (arg == "--hits") hits = std::stoi(next());
        else if (arg == "--repeat") repeat = std::stoi(next());
        else if (arg == "--clients") clients = std::stoi(next());
        else if (arg == "--batch-size") batch = std::stoi(next());
        else if (arg == "--cjk-ngram") cjk_ngram = true;
        else files.push_back(arg);
    }
    if (mode == "index") return index_main(db, files, batch, cjk_ngram);
    if (mode == "search") return search_main(db, queries, run, hits, repeat, static_cast<unsigned>(std::max(1, clients)), cjk_ngram);
    std::cerr << "unknown mode " << mode << '\n';
    return 2;
} catch (const Xapian::Error& error) {
    std::cerr << "xapian-baseline: " << error.get_description() << '\n';
    return 2;
}
