// How well references resolve to records of the collection, against a known graph
// (scripts/make-citation-corpus.py writes both): precision and recall, overall and by the kind
// of item (with a title: the seed format's expanded style; without: Web of Science CR style),
// and by the rule that resolved it. A benchmark: it prints, and fails only when it cannot run.
//
//   citation-resolution CORPUS.jsonl TRUTH.tsv
#include "graph/citation_resolver.hpp"
#include "parse/input.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <string>
#include <unordered_map>

namespace {

struct Counts {
    std::size_t references = 0, edges = 0, resolved = 0, correct = 0;
    void print(const char* name) const {
        const double precision = resolved ? double(correct) / double(resolved) : 1.0;
        const double recall = edges ? double(correct) / double(edges) : 1.0;
        std::printf("| %s | %zu | %zu | %zu | %zu | %zu | %.5f | %.5f |\n", name, references, edges, resolved, correct,
                    resolved - correct, precision, recall);
    }
};

}  // namespace

int main(int argc, char** argv) try {
    using namespace scholarsearch;
    if (argc != 3) {
        std::cerr << "usage: citation-resolution CORPUS.jsonl TRUTH.tsv\n";
        return 2;
    }
    std::unordered_map<std::string, std::string> truth;  // "citing\tn" -> cited or "-"
    std::ifstream in(argv[2]);
    for (std::string line; std::getline(in, line);) {
        const auto last_tab = line.rfind('\t');
        if (last_tab != std::string::npos) truth[line.substr(0, last_tab)] = line.substr(last_tab + 1);
    }
    const parse::ParseResult parsed = parse::parse_file(argv[1]);
    if (parsed.records.empty()) {
        std::cerr << "citation-resolution: no records in " << argv[1] << '\n';
        return 2;
    }
    const auto started = std::chrono::steady_clock::now();
    graph::CitationResolver resolver;
    for (const auto& record : parsed.records) resolver.add(record);
    const auto added = std::chrono::steady_clock::now();

    std::unordered_map<std::string, std::vector<std::string>> works_by_id;
    for (const auto& record : parsed.records) {
        const graph::Work work = graph::work_of(record);
        works_by_id[work.id] = graph::citing_keys_of_work(work);
    }
    std::size_t keyless_edges = 0;
    Counts all, titled, untitled;
    std::map<std::string, Counts> by_rule;
    std::size_t unknown = 0;
    for (const auto& record : parsed.records) {
        for (const auto& reference : record.references) {
            const auto it = truth.find(record.id.value_or("") + "\t" + std::to_string(reference.n));
            if (it == truth.end()) {
                ++unknown;
                continue;
            }
            const bool edge = it->second != "-";
            const auto found = resolver.resolve(reference);
            for (Counts* counts : {&all, reference.title ? &titled : &untitled}) {
                ++counts->references;
                counts->edges += edge;
                counts->resolved += found.has_value();
                counts->correct += found && found->id == it->second;
            }
            if (found) {
                // The index finds the records citing a work by these keys: each edge must carry one.
                const auto keys = graph::citing_keys(reference);
                const auto& target = works_by_id.at(found->id);
                if (std::none_of(keys.begin(), keys.end(), [&](const std::string& key) {
                        return std::find(target.begin(), target.end(), key) != target.end();
                    }))
                    ++keyless_edges;
                Counts& rule = by_rule[std::string(graph::rule_name(found->rule))];
                ++rule.resolved;
                rule.correct += found->id == it->second;
            }
        }
    }
    const auto resolved = std::chrono::steady_clock::now();
    std::printf("%zu records, %zu references (%zu not in the truth file); keys for every record %.2f s, "
                "resolving %.2f s (%.2f µs per reference)\n\n",
                parsed.records.size(), all.references, unknown, std::chrono::duration<double>(added - started).count(),
                std::chrono::duration<double>(resolved - added).count(),
                std::chrono::duration<double, std::micro>(resolved - added).count() / double(std::max<std::size_t>(1, all.references)));
    std::printf("resolved references without a citing key of their record (must be 0): %zu\n\n", keyless_edges);
    std::printf("| items | references | true edges | resolved | right | wrong | precision | recall |\n"
                "|---|---:|---:|---:|---:|---:|---:|---:|\n");
    all.print("all");
    titled.print("with a title (seed format style)");
    untitled.print("without a title (WoS CR style)");
    std::printf("\n| rule | resolved | right | precision |\n|---|---:|---:|---:|\n");
    for (const auto& [rule, counts] : by_rule)
        std::printf("| %s | %zu | %zu | %.5f |\n", rule.c_str(), counts.resolved, counts.correct,
                    counts.resolved ? double(counts.correct) / double(counts.resolved) : 1.0);
    return 0;
} catch (const std::exception& error) {
    std::cerr << "citation-resolution: " << error.what() << '\n';
    return 2;
}
